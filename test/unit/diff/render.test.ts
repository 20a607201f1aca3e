import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderDiffSvg } from '../../../server/src/diff/render-svg';
import { renderDiffText } from '../../../server/src/diff/render-text';
import type { PathDiff } from '../../../server/src/diff/path-diff';
import type { Trace } from '../../../server/src/trace/trace';

const source = (name: string, file: string) => ({
  name,
  file,
  line: 1,
  signature: `int ${name}(void)`,
  text: '',
});

const diff: PathDiff = {
  kind: 'scenario',
  subject: 'synthetic',
  old: { kernel: '6.1.1' },
  new: { kernel: '6.12.1' },
  path: [
    { function: 'entry', depth: 0, statement: 0, side: 'both' },
    { function: 'gone', depth: 1, statement: 0, side: 'old' },
    { function: 'fresh', depth: 1, statement: 0, side: 'new' },
  ],
  functions: [
    {
      name: 'entry',
      status: 'changed',
      old: source('entry', 'a.c'),
      new: source('entry', 'b.c'),
      diff: ['@@ -1,1 +1,1 @@', '-x', '+y'],
    },
    { name: 'gone', status: 'only-old', old: source('gone', 'a.c') },
    { name: 'fresh', status: 'only-new', new: source('fresh', 'b.c') },
  ],
  hops: [],
  events: [],
  results: [
    {
      call: 'recvmsg',
      line: 12,
      old: { step: 1, line: 12, column: 2, call: 'recvmsg', return: 4 },
      new: { step: 1, line: 12, column: 2, call: 'recvmsg', return: -1, errno: 'EAGAIN' },
      fields: ['return', 'errno'],
    },
  ],
};

test('the text names each function’s status, where it moved, its diff and the results that differ', () => {
  const text = renderDiffText(diff);
  assert.match(text, /~ entry {2}a\.c -> b\.c {2}changed\n {6}@@ -1,1 \+1,1 @@\n {6}-x\n {6}\+y/);
  assert.match(text, /- gone {2}a\.c {2}only in 6\.1\.1/);
  assert.match(text, /\+ fresh {2}b\.c {2}only in 6\.12\.1/);
  assert.match(text, /line 12 recvmsg\(\): return: 4 -> -1; errno: \(none\) -> "EAGAIN"/);
});

test('the diagram marks changed functions and those on one path only', () => {
  const merged: Trace = {
    scenario: 'synthetic',
    kernel: 'both',
    results: [],
    events: ['entry', 'gone', 'fresh'].map((fn, index) => ({
      index,
      function: fn,
      file: 'a.c',
      line: 1,
      anchor: 'enter',
      values: {},
      depth: index === 0 ? 0 : 1,
      statement: 0,
    })),
  };
  const svg = renderDiffSvg(diff, merged);
  assert.match(svg, /data-node="entry" data-mark="changed"/);
  assert.match(svg, /data-node="gone" data-mark="removed"/);
  assert.match(svg, /data-node="fresh" data-mark="added"/);
  assert.match(svg, /only in 6\.1\.1/);
});
