import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffResults } from '../../../server/src/diff/results-diff';
import type { StatementResult } from '../../../server/src/scenario/result';

const at = (line: number, call: string, rest: Partial<StatementResult>): StatementResult => ({
  step: 0,
  line,
  column: 2,
  call,
  return: 0,
  ...rest,
});

test('results compare field by field; equal ones and the step number are not differences', () => {
  const older = [
    at(9, 'socket', { return: 3 }),
    at(10, 'recvmsg', { step: 1, return: 60, bytes: 60, msgFlags: [] }),
  ];
  const newer = [at(9, 'socket', { return: 3 }), at(10, 'recvmsg', { step: 7, return: -1, errno: 'EAGAIN' })];
  const differences = diffResults(older, newer);
  assert.equal(differences.length, 1);
  assert.equal(differences[0].call, 'recvmsg');
  assert.deepEqual(differences[0].fields.sort(), ['bytes', 'errno', 'msgFlags', 'return']);
});

test('a statement run more often on one side is a result on that side only', () => {
  const older = [at(12, 'recv', { return: 4 })];
  const newer = [at(12, 'recv', { return: 4 }), at(12, 'recv', { return: 4 })];
  const differences = diffResults(older, newer);
  assert.equal(differences.length, 1);
  assert.equal(differences[0].old, undefined);
});

test('control messages that differ are named', () => {
  const older = [at(20, 'recvmsg', { control: [] })];
  const newer = [at(20, 'recvmsg', { control: [{ level: 'SOL_PACKET', type: 'PACKET_AUXDATA' } as never] })];
  assert.deepEqual(diffResults(older, newer)[0].fields, ['control']);
});
