import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogueKeys, localeFrom, messagesFor } from '../../server/src/l10n';

test('every catalogue has exactly the English keys, each with the same placeholders', () => {
  assert.deepEqual(catalogueKeys('zh-cn'), catalogueKeys('en'));
  const en = messagesFor('en');
  const zh = messagesFor('zh-cn');
  for (const key of catalogueKeys('en') as Parameters<typeof en.format>[0][]) {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(placeholders(zh.format(key)), placeholders(en.format(key)), key);
  }
});

test('locales map to catalogues; unknown and traditional-script tags fall back to English', () => {
  assert.equal(localeFrom('zh-CN'), 'zh-cn');
  assert.equal(localeFrom('zh-cn'), 'zh-cn');
  assert.equal(localeFrom('zh-Hans-CN'), 'zh-cn');
  assert.equal(localeFrom('zh'), 'zh-cn');
  assert.equal(localeFrom('zh-TW'), 'en');
  assert.equal(localeFrom('en-US'), 'en');
  assert.equal(localeFrom('fr'), 'en');
  assert.equal(localeFrom(undefined), 'en');
});

test('format fills placeholders and leaves unknown ones visible', () => {
  const en = messagesFor('en');
  assert.equal(en.format('codeLens.implementations', { count: 12 }), '12 implementations');
  assert.equal(messagesFor('zh-cn').format('codeLens.implementations', { count: 12 }), '12 个实现');
  assert.equal(en.format('codeLens.implementations'), '{count} implementations');
});
