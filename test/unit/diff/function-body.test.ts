import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodiesDiffer, unifiedBodyDiff } from '../../../server/src/diff/function-body';

const before = [
  'static int demo_recv(struct sock *sk, int flags)',
  '{',
  '\tint err;',
  '',
  '\tif (flags & MSG_OOB)',
  '\t\treturn -EOPNOTSUPP;',
  '\terr = demo_copy(sk);',
  '\treturn err;',
  '}',
].join('\n');

test('re-indented and re-wrapped text is not a change', () => {
  const rewrapped = before.replace(
    '\tif (flags & MSG_OOB)\n\t\treturn',
    '    if (flags &\n        MSG_OOB)  return',
  );
  assert.equal(bodiesDiffer(before, rewrapped), false);
  assert.deepEqual(unifiedBodyDiff(before, rewrapped), []);
});

test('an edited statement is a change, a comment too', () => {
  assert.equal(bodiesDiffer(before, before.replace('demo_copy(sk)', 'demo_copy(sk, flags)')), true);
  assert.equal(bodiesDiffer(before, before.replace('\tint err;', '\tint err; /* why */')), true);
});

test('the diff counts lines from the function’s first line and keeps context around the change', () => {
  const after = before.replace('\terr = demo_copy(sk);', '\terr = demo_copy_full(sk);\n\tdemo_note(sk);');
  assert.deepEqual(unifiedBodyDiff(before, after), [
    '@@ -4,6 +4,7 @@',
    ' ',
    ' \tif (flags & MSG_OOB)',
    ' \t\treturn -EOPNOTSUPP;',
    '-\terr = demo_copy(sk);',
    '+\terr = demo_copy_full(sk);',
    '+\tdemo_note(sk);',
    ' \treturn err;',
    ' }',
  ]);
});

test('changes far apart make separate hunks', () => {
  const lines = Array.from({ length: 20 }, (_, i) => `\tstep(${i});`);
  const after = [...lines];
  after[1] = '\tstep(100);';
  after[18] = '\tstep(118);';
  const hunks = unifiedBodyDiff(lines.join('\n'), after.join('\n')).filter((l) => l.startsWith('@@'));
  assert.deepEqual(hunks, ['@@ -1,5 +1,5 @@', '@@ -16,5 +16,5 @@']);
});
