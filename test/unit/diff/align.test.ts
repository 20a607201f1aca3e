import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignSequences } from '../../../server/src/diff/align';

const align = (a: string[], b: string[]) =>
  alignSequences(a, b, (x) => x).map((p) =>
    p.old !== undefined && p.new !== undefined
      ? `=${a[p.old]}`
      : p.old !== undefined
        ? `-${a[p.old]}`
        : `+${b[p.new!]}`,
  );

test('equal sequences align one to one', () => {
  assert.deepEqual(align(['a', 'b', 'c'], ['a', 'b', 'c']), ['=a', '=b', '=c']);
});

test('an inserted and a removed element stay on their own side, in order', () => {
  assert.deepEqual(align(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd']), ['=a', '-b', '=c', '+x', '=d']);
});

test('a replaced element is a removal then an insertion', () => {
  assert.deepEqual(align(['sys', 'old_fn', 'tail'], ['sys', 'new_fn', 'tail']), [
    '=sys',
    '-old_fn',
    '+new_fn',
    '=tail',
  ]);
});

test('the longest common subsequence is matched across repeats', () => {
  assert.deepEqual(align(['a', 'b', 'a', 'b'], ['b', 'a', 'b']), ['-a', '=b', '=a', '=b']);
});

test('empty sides', () => {
  assert.deepEqual(align([], ['a']), ['+a']);
  assert.deepEqual(align(['a'], []), ['-a']);
  assert.deepEqual(align([], []), []);
});
