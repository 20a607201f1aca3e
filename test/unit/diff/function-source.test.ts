import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findFunctionSource } from '../../../server/src/diff/function-source';
import { compareFunction } from '../../../server/src/diff/function-compare';
import type { SymbolLocation } from '../../../server/src/index/queries';
import type { SourceReader } from '../../../server/src/trace/anchors';

// Two synthetic trees: the function moved to another file and line, and gained a statement.
const oldFiles: Record<string, string[]> = {
  'net/old/place.c': ['/* header */', 'static int demo(int a)', '{', '\treturn a;', '}', ''],
  'include/net/demo.h': ['int demo(int a);'],
};
const newFiles: Record<string, string[]> = {
  'net/new/place.c': ['', '', '', 'static int demo(int a)', '{', '\ta++;', '\treturn a;', '}'],
};

const location = (file: string, first: number, last: number, lastColumn: number): SymbolLocation => ({
  kind: 'function',
  name: 'demo',
  file,
  span: { line: first, column: 11, endLine: first, endColumn: 15 },
  extent: { line: first, column: 0, endLine: last, endColumn: lastColumn },
  detail: 'static int demo(int a)',
});

const reader = (files: Record<string, string[]>): SourceReader => ({ lines: (f) => files[f] });

const oldIndex = {
  definitions: () => [
    { ...location('include/net/demo.h', 0, 0, 16), detail: 'int demo(int a)' },
    location('net/old/place.c', 1, 4, 1),
  ],
};
const newIndex = { definitions: () => [location('net/new/place.c', 3, 7, 1)] };

test('a definition is found by name in the file asked for, with its whole text', () => {
  const found = findFunctionSource(oldIndex, reader(oldFiles), 'demo', { file: 'net/old/place.c' })!;
  assert.equal(found.file, 'net/old/place.c');
  assert.equal(found.line, 2);
  assert.equal(found.text, 'static int demo(int a)\n{\n\treturn a;\n}');
});

test('a prototype is not a definition to compare', () => {
  const prototypeOnly = { definitions: () => [oldIndex.definitions()[0]] };
  assert.equal(findFunctionSource(prototypeOnly, reader(oldFiles), 'demo'), undefined);
});

test('a function that moved file and line is matched by name; its changed body is the difference', () => {
  const older = findFunctionSource(oldIndex, reader(oldFiles), 'demo', { file: 'net/old/place.c' });
  const newer = findFunctionSource(newIndex, reader(newFiles), 'demo', { file: 'net/old/place.c' });
  const comparison = compareFunction('demo', { old: true, new: true }, older, newer);
  assert.equal(comparison.status, 'changed');
  assert.equal(comparison.new?.file, 'net/new/place.c');
  assert.ok(comparison.diff?.includes('+\ta++;'));
});

test('on one path only, or without a definition in an index, a function is not called unchanged', () => {
  const older = findFunctionSource(oldIndex, reader(oldFiles), 'demo', { file: 'net/old/place.c' });
  assert.equal(compareFunction('demo', { old: true, new: false }, older, undefined).status, 'only-old');
  const missing = compareFunction('demo', { old: true, new: true }, older, undefined);
  assert.equal(missing.status, 'not-found');
  assert.equal(missing.missing, 'new');
});
