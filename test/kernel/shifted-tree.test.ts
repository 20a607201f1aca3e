// The kernel suites do not depend on line numbers: they pass on a copy of the 6.1 tree in which
// af_packet.c, raw.c and socket.c start with blank lines, so every function in them sits lower.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { definitionLine } from '../support/definition-line';
import { kernelTree, repoRoot, requires } from '../support/prerequisites';
import { makeShiftedCopy } from '../support/shifted-tree';

const tree = kernelTree('6.1');
const shiftedFiles = ['net/packet/af_packet.c', 'net/ipv4/raw.c', 'net/socket.c'];
const blankLines = 17;
const suites = ['test/kernel/index.test.ts', 'test/kernel/models.test.ts'];

/** This run's environment, less the marker that makes node's test runner report to a parent runner. */
function nestedRunEnvironment(copy: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KNR_TEST_KERNEL_6_1: copy };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

describe('the kernel suites on a tree whose lines moved', requires('real 6.1 tree', tree.missing), () => {
  test('pass with blank lines inserted at the top of af_packet.c, raw.c and socket.c', () => {
    const copy = join(repoRoot, '.cache', 'shifted-trees', '6.1');
    makeShiftedCopy(tree.path, copy, shiftedFiles, blankLines);
    const original = definitionLine(readFileSync(join(tree.path, 'net/socket.c'), 'utf8'), 'sock_recvmsg');
    const moved = definitionLine(readFileSync(join(copy, 'net/socket.c'), 'utf8'), 'sock_recvmsg');
    assert.equal(moved, original + blankLines);

    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...suites],
      { cwd: repoRoot, encoding: 'utf8', env: nestedRunEnvironment(copy) },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 0, output.slice(-6000));
    assert.match(run.stdout, /models on the real 6\.1 tree/);
    assert.match(run.stdout, /kernel index on the real 6\.1 tree/);
    assert.doesNotMatch(output, /SKIPPED/);
    assert.match(run.stdout, /ℹ fail 0/);
  });
});
