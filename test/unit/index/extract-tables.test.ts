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
});
