import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pendingCleanups, registerCleanup, runAllCleanups } from '../../server/src/live/cleanup';

test('an unregistered action runs once, and signal handlers go with the last action', () => {
  const before = process.listenerCount('SIGTERM');
  let runs = 0;
  const release = registerCleanup('demo', () => runs++);
  assert.equal(process.listenerCount('SIGTERM'), before + 1);
  assert.deepEqual(pendingCleanups(), ['demo']);
  release();
  release();
  assert.equal(runs, 1);
  assert.deepEqual(pendingCleanups(), []);
  assert.equal(process.listenerCount('SIGTERM'), before);
});

test('runAllCleanups runs the newest first and survives a failing action', () => {
  const order: string[] = [];
  registerCleanup('namespace', () => order.push('namespace'));
  registerCleanup('broken', () => {
    throw new Error('fails');
  });
  registerCleanup('program', () => order.push('program'));
  const write = process.stderr.write;
  let reported = '';
  process.stderr.write = ((text: string) => ((reported += text), true)) as typeof process.stderr.write;
  try {
    runAllCleanups();
  } finally {
    process.stderr.write = write;
  }
  assert.deepEqual(order, ['program', 'namespace']);
  assert.match(reported, /cleanup of broken failed/);
  assert.deepEqual(pendingCleanups(), []);
});
