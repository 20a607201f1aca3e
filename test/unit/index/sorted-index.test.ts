import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IntColumn } from '../../../server/src/index/store/int-column';
import { SortedIndex } from '../../../server/src/index/store/sorted-index';

test('lookups between appends find exactly the rows with the key, however the runs were merged', () => {
  const stride = 3;
  const table = new IntColumn();
  const index = new SortedIndex(table, stride, 1);
  let seed = 42;
  const random = (limit: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % limit;
  };
  for (let round = 0; round < 60; round++) {
    const count = 1 + random(round < 30 ? 20 : 500);
    for (let i = 0; i < count; i++) {
      table.push(round);
      table.push(random(50));
      table.push(i);
    }
    const key = random(50);
    const expected: number[] = [];
    for (let row = 0; row < table.length / stride; row++)
      if (table.get(row * stride + 1) === key) expected.push(row);
    assert.deepEqual(
      index.rowsWith(key).sort((a, b) => a - b),
      expected,
      `round ${round}, key ${key}`,
    );
    assert.equal(index.hasKey(key), expected.length > 0);
  }
  const saved = index.merged();
  assert.equal(saved.length, table.length / stride);
  const reloaded = new SortedIndex(table, stride, 1, saved);
  for (let key = 0; key < 50; key++) assert.deepEqual(reloaded.rowsWith(key), index.rowsWith(key));
});

test('a saved index orders rows by key, then row, for dense and for sparse keys', () => {
  let seed = 7;
  const random = (limit: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % limit;
  };
  // Dense keys are counted; keys spread far wider than the rows are sorted by comparison.
  for (const keyLimit of [30, 10_000_000]) {
    const table = new IntColumn();
    for (let row = 0; row < 2000; row++) table.push(random(keyLimit));
    const expected = Array.from({ length: 2000 }, (_, row) => row).sort(
      (a, b) => table.get(a) - table.get(b) || a - b,
    );
    assert.deepEqual([...new SortedIndex(table, 1, 0).merged()], expected, `keys below ${keyLimit}`);
  }
});
