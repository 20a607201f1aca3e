import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FileIndexer } from '../../../server/src/index/file-indexer';

describe('initialiser lists', () => {
  let indexer: FileIndexer;
  before(async () => {
    indexer = await FileIndexer.create();
  });
  const elementsOf = (text: string) =>
    indexer.indexText('t.c', text).tables.map((t) => `${t.name}:${t.elements}`);

  test('a list of plain values counts its elements, with or without a comment among them', () => {
    assert.deepEqual(elementsOf('static const u8 fw[] = { 0x1f, 2, -3, MAX(4, 5) };\n'), ['fw:4']);
    assert.deepEqual(elementsOf('static const u8 fw[] = { 0x1f, /* two */ 2, 3 };\n'), ['fw:3']);
    assert.deepEqual(elementsOf('static const u8 fw[] = { };\n'), ['fw:0']);
  });

  test('nested lists of plain values keep their element positions', () => {
    const facts = indexer.indexText(
      't.c',
      'static const struct ops tbl[] = { { 1, 2 }, { 3, 4 }, { .open = f_open } };\n',
    );
    assert.deepEqual(
      facts.tables.map((t) => `${t.name}:${t.elements}`),
      ['tbl:3'],
    );
    assert.deepEqual(
      facts.slots.map((s) => `${s.element}.${s.field}=${s.value}`),
      ['2.open=f_open'],
    );
  });

  test('slots a macro of the file fills are slots of each table that names it, nested macros included', () => {
    const source = [
      '#define HWSIM_COMMON_OPS \\',
      '\t.tx = hwsim_tx, \\',
      '\t.start = &hwsim_start, \\',
      '\t.config.set = hwsim_config',
      '#define HWSIM_CHANCTX_OPS \\',
      '\tHWSIM_COMMON_OPS, \\',
      '\t.add_chanctx = hwsim_add_chanctx,',
      'static const struct ieee80211_ops hwsim_ops = {',
      '\tHWSIM_COMMON_OPS,',
      '\t.sw_scan_start = hwsim_scan,',
      '};',
      'static const struct ieee80211_ops hwsim_mchan_ops = {',
      '\tHWSIM_CHANCTX_OPS',
      '\t.stop = HWSIM_STOP_VALUE,',
      '};',
      '',
    ].join('\n');
    const facts = indexer.indexText('drivers/net/wireless/hwsim.c', source);
    const slots = (table: string) =>
      facts.slots
        .filter((slot) => slot.table === table)
        .map((slot) => `${slot.field}=${slot.addressOf ? '&' : ''}${slot.value}@${slot.span.line + 1}`)
        .sort();
    assert.deepEqual(slots('hwsim_ops'), [
      'config.set=hwsim_config@9',
      'start=&hwsim_start@9',
      'sw_scan_start=hwsim_scan@10',
      'tx=hwsim_tx@9',
    ]);
    assert.deepEqual(slots('hwsim_mchan_ops'), [
      'add_chanctx=hwsim_add_chanctx@13',
      'config.set=hwsim_config@13',
      'start=&hwsim_start@13',
      'stop=HWSIM_STOP_VALUE@14',
      'tx=hwsim_tx@13',
    ]);
  });
});
