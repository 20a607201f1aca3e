// bin/knr through the query server on the warm 6.1 cache: every served command prints what the same
// command prints in process (--no-server), byte for byte but for the query's own timing, with the same
// exit status; and one server answers them all. The first question starts the server through the node
// client; the rest go from bin/knr to the server directly. Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { positionOf } from '../support/fixture-position';
import { testIndexCache } from '../support/kernel-index';
import { knrScript } from '../support/lsp-client';
import { kernelTree, requires } from '../support/prerequisites';

const tree = kernelTree('6.1');
let serverFolder: string;

function knr(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KNR_SERVER_DIR: serverFolder, KNR_SERVER_IDLE: '120' };
  delete env.KNR_NO_SERVER;
  const result = spawnSync(knrScript(), [...args, '--kernel', tree.path, '--cache', testIndexCache], {
    encoding: 'utf8',
    env,
  });
  // The query's own duration is the one figure that differs between two runs.
  const timing = /"queryMs": [\d.]+/;
  return {
    status: result.status,
    stdout: result.stdout.replace(timing, '"queryMs": 0'),
    stderr: result.stderr,
  };
}

/** The pids in the lock files of the servers started in this suite's folder. */
function serverPids(): number[] {
  return readdirSync(serverFolder)
    .filter((name) => name.endsWith('.lock'))
    .map((name) => Number(readFileSync(join(serverFolder, name), 'utf8')));
}

describe('knr through the query server on the 6.1 tree', requires('real 6.1 tree', tree.missing), () => {
  before(() => {
    serverFolder = mkdtempSync(join(tmpdir(), 'knr-servers-'));
  });
  after(() => {
    for (const pid of serverPids()) process.kill(pid);
    rmSync(serverFolder, { recursive: true, force: true });
  });

  test('each served command answers as it does in process', () => {
    const call = positionOf(tree.path, 'net/socket.c', 'sock->ops->recvmsg', 'sock->ops->'.length);
    const at = `net/socket.c:${call.line + 1}:${call.column + 1}`;
    const questions = [
      ['impls', 'proto_ops.recvmsg', '--json'],
      ['impls', 'proto_ops.recvmsg'],
      ['resolve', at, '--json'],
      ['callers', 'sock_recvmsg', '--json'],
      ['callees', 'packet_recvmsg', '--json'],
      ['definition', 'sock_recvmsg', '--json'],
      ['definition', at, '--json'],
      ['tables', 'proto_ops', '--json'],
      // The server's index is shared: --arch holds for its own request only.
      ['definition', 'memcpy', '--arch', 'arm64', '--json'],
      ['definition', 'memcpy', '--json'],
      ['impls', 'no_such_struct.recvmsg'],
      ['definition', 'no_such_name_anywhere'],
    ];
    for (const question of questions) {
      const served = knr(question);
      const inProcess = knr([...question, '--no-server']);
      assert.deepEqual(served, inProcess, `knr ${question.join(' ')}`);
    }
    assert.equal(serverPids().length, 1, 'one server answered every question');
  });
});
