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

test('a loaded index with its keys finds rows without reading the chunks of the table it does not return', () => {
  // Three chunks of a one-integer-per-row table (a chunk is 2^20 integers); key = row % 1024.
  const rows = 3 * 2 ** 20;
  const built = new IntColumn();
  for (let row = 0; row < rows; row++) built.push(row % 1024);
  const saved = new SortedIndex(built, 1, 0);
  const persisted = saved.merged();
  const keys = saved.mergedKeys();
  assert.deepEqual([...keys.subarray(0, 3)], [0, 0, 0]);

  const read: number[] = [];
  const loaded = new IntColumn(built.filledChunks(), (start) => read.push(start / 4 / 2 ** 20));
  const index = new SortedIndex(loaded, 1, 0, persisted, keys);
  assert.equal(index.rowsWith(7).length, rows / 1024);
  assert.equal(index.hasKey(1024), false);
  assert.deepEqual(read, [], 'no row read: the keys answer');
  assert.equal(loaded.get(7), 7);
  assert.deepEqual(read, [0], 'reading a row found reads its chunk only');
  assert.throws(() => new SortedIndex(loaded, 1, 0, persisted, keys.subarray(1)), /keys for/);
});
