// The live limit is per statement, not per run: a program that keeps finishing statements runs as long
// as it needs, and one that goes quiet is stopped, saying after how long.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordsToRun, RecordError } from '../../server/src/live/records';
import { runWithStatementLimit } from '../../server/src/live/run-program';

test('a program that prints a record every 0.4 s runs past the limit in total', async () => {
  const outcome = await runWithStatementLimit(
    ['sh', '-c', 'for i in 1 2 3 4 5 6; do echo "line $i"; sleep 0.4; done'],
    {},
    1500,
  );
  assert.equal(outcome.stoppedAfterQuietMs, undefined);
  assert.equal(outcome.status, 0);
  assert.equal(outcome.stdout.trim().split('\n').length, 6);
});

test('a program that finishes no statement within the limit is killed, and the run says why', async () => {
  const started = Date.now();
  const outcome = await runWithStatementLimit(['sh', '-c', 'echo started; exec sleep 60'], {}, 500);
  assert.ok(Date.now() - started < 30_000);
  assert.equal(outcome.stoppedAfterQuietMs, 500);
  assert.equal(outcome.signal, 'SIGKILL');
  assert.throws(
    () => recordsToRun('demo', '6.18.0', [], { ...outcome, stdout: '' }),
    (error) =>
      error instanceof RecordError &&
      /was stopped: no statement finished within 0\.5 s \(the live limit per statement\)/.test(error.message),
  );
});
