// The query server's lifecycle on a copy of test/fixtures/index-tree: it answers as the command does in
// process, stops when idle, replaces a socket and lock left by a dead server, ends a start race with
// one server, refuses a folder or socket that is not the user's alone, and notices a changed tree.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runKnr } from '../../../server/src/cli/knr';
import { openIndexWithSummary } from '../../../server/src/index/open';
import { askServer } from '../../../server/src/cli/query-server/client';
import {
  checkOwnSocket,
  currentUid,
  preparePrivateFolder,
  serverPlace,
  UnsafePlaceError,
  type ServerPlace,
} from '../../../server/src/cli/query-server/socket-place';
import type { QueryReply } from '../../../server/src/cli/query-server/wire';
import { repoRoot } from '../../support/prerequisites';

const fixture = join(repoRoot, 'test', 'fixtures', 'index-tree');
const serverMain = join(repoRoot, 'server', 'src', 'cli', 'query-server', 'server-main.ts');

let scratch: string;
const started: ChildProcess[] = [];

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'knr-query-server-'));
});

after(() => {
  for (const child of started) if (child.exitCode === null) child.kill();
  rmSync(scratch, { recursive: true, force: true });
});

interface Setup {
  root: string;
  cache: string;
  place: ServerPlace;
  /** Starts the server as the client does, with these settings. */
  start: () => ChildProcess;
}

function setup(name: string, env: Record<string, string> = {}): Setup {
  const root = join(scratch, name, 'tree');
  const cache = join(scratch, name, 'cache');
  const folder = join(scratch, name, 'servers');
  cpSync(fixture, root, { recursive: true });
  mkdirSync(cache);
  const place = serverPlace(root, cache, 'test', folder);
  const start = () => {
    preparePrivateFolder(folder);
    const log = openSync(place.log, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', serverMain, root, cache, 'test'], {
      cwd: repoRoot,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        KNR_SERVER_DIR: folder,
        KNR_SERVER_IDLE: '30',
        KNR_SERVER_CHECK_MS: '100',
        ...env,
      },
    });
    started.push(child);
    return child;
  };
  return { root, cache, place, start };
}

const argvFor = (s: Setup, ...args: string[]) => [...args, '--kernel', s.root, '--cache', s.cache, '--json'];

async function inProcess(argv: string[]): Promise<QueryReply> {
  const lines: QueryReply['lines'] = [];
  const code = await runKnr(argv, {
    out: (text) => lines.push(['out', text]),
    err: (text) => lines.push(['err', text]),
    isTTY: false,
  });
  return { lines, code };
}

/** The reply without the query's own timing, the one field that differs from run to run. */
function withoutTiming(reply: QueryReply): QueryReply {
  return {
    code: reply.code,
    lines: reply.lines.map(([stream, text]) => [stream, text.replace(/"queryMs": [\d.]+/, '"queryMs": 0')]),
  };
}

const functionsOf = (reply: QueryReply): string[] =>
  (
    JSON.parse(reply.lines.map(([, text]) => text).join('\n')) as { results: Array<{ function: string }> }
  ).results
    .map((result) => result.function)
    .sort();

/** A new file with a proto_ops table that installs added_recvmsg. */
function addTable(root: string): void {
  writeFileSync(
    join(root, 'net', 'added.c'),
    [
      '#include <linux/net.h>',
      'static int added_recvmsg(struct socket *sock, struct msghdr *m, int len, int flags)',
      '{',
      '\treturn len;',
      '}',
      'static const struct proto_ops added_ops = {',
      '\t.recvmsg = added_recvmsg,',
      '};',
      '',
    ].join('\n'),
  );
}

/** The child's exit code; the client unrefs the server it starts, so a timer keeps this test waiting. */
function exited(child: ChildProcess, limitMs = 20_000): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const limit = setTimeout(
      () => reject(new Error(`pid ${child.pid} still runs after ${limitMs} ms`)),
      limitMs,
    );
    child.once('exit', (code) => {
      clearTimeout(limit);
      resolve(code);
    });
  });
}

describe('query server', () => {
  test('answers each served command as the command prints it in process', async () => {
    const s = setup('answers');
    const questions = [
      ['impls', 'proto_ops.recvmsg'],
      ['resolve', 'net/socket.c:9:50'],
      ['callers', 'sock_recvmsg_nosec'],
      ['callees', 'sock_recvmsg'],
      ['definition', 'sock_recvmsg'],
      ['tables', 'proto_ops'],
      ['impls', 'no_such_struct.recvmsg'],
    ];
    for (const question of questions) {
      const argv = argvFor(s, ...question);
      const served = await askServer(s.place, { argv }, s.start);
      assert.deepEqual(withoutTiming(served), withoutTiming(await inProcess(argv)), question.join(' '));
    }
    assert.ok(
      functionsOf(await askServer(s.place, { argv: argvFor(s, 'impls', 'proto_ops.recvmsg') }, s.start))
        .length > 0,
    );
    assert.equal(
      started.filter((child) => child.exitCode === null).length,
      1,
      'one server for all questions',
    );
  });

  test('a folder that is not a kernel tree: the error as in process, then the server stops', async () => {
    const s = setup('not-a-tree', { KNR_SERVER_IDLE: '600' });
    rmSync(join(s.root, 'Makefile'));
    let server: ChildProcess | undefined;
    const argv = argvFor(s, 'impls', 'proto_ops.recvmsg');
    const reply = await askServer(s.place, { argv }, () => (server = s.start()));
    assert.equal(reply.code, 2);
    assert.deepEqual(reply, await inProcess(argv));
    assert.ok(server);
    assert.equal(await exited(server), 0, 'stopped within seconds, not after the idle period');
  });

  test('stops after the idle period and removes its socket, lock and port file', async () => {
    const s = setup('idle', { KNR_SERVER_IDLE: '0.5' });
    let server: ChildProcess | undefined;
    await askServer(s.place, { argv: argvFor(s, 'impls', 'proto_ops.recvmsg') }, () => (server = s.start()));
    assert.ok(server);
    assert.ok(existsSync(s.place.port), 'the loopback door is open while it serves');
    assert.equal(await exited(server), 0);
    assert.equal(existsSync(s.place.socket), false);
    assert.equal(existsSync(s.place.lock), false);
    assert.equal(existsSync(s.place.port), false);
  });

  test('ended by SIGTERM, it removes its socket, lock and port file', async () => {
    const s = setup('terminated');
    let server: ChildProcess | undefined;
    await askServer(s.place, { argv: argvFor(s, 'impls', 'proto_ops.recvmsg') }, () => (server = s.start()));
    assert.ok(server && existsSync(s.place.port));
    server.kill('SIGTERM');
    assert.equal(await exited(server), 0);
    for (const file of [s.place.socket, s.place.lock, s.place.port])
      assert.equal(existsSync(file), false, file);
  });

  test('replaces the socket and lock of a server that died', async () => {
    const s = setup('stale');
    preparePrivateFolder(s.place.folder);
    // A socket file nothing listens on, as a killed server leaves it, and a lock naming a dead process.
    const dead = spawn(process.execPath, ['-e', '0']);
    await exited(dead);
    writeFileSync(s.place.lock, String(dead.pid));
    const orphan = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(s.place.socket)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    await exited(orphan);
    assert.ok(existsSync(s.place.socket), 'the dead server left its socket');
    const reply = await askServer(s.place, { argv: argvFor(s, 'impls', 'proto_ops.recvmsg') }, s.start);
    assert.equal(reply.code, 0);
    assert.ok(functionsOf(reply).length > 0);
  });

  test('two calls racing to start it end with one server', async () => {
    const s = setup('race');
    const argv = argvFor(s, 'impls', 'proto_ops.recvmsg');
    const before = started.length;
    const replies = await Promise.all([
      askServer(s.place, { argv }, s.start),
      askServer(s.place, { argv }, s.start),
    ]);
    const ours = started.slice(before);
    assert.equal(ours.length, 2, 'both calls found no server and started one');
    assert.deepEqual(functionsOf(replies[0]), functionsOf(replies[1]));
    // The loser exits on its own (code 0) once it sees the winner's lock.
    assert.equal(await Promise.race(ours.map((child) => exited(child))), 0);
    assert.equal(ours.filter((child) => child.exitCode === null).length, 1);
  });

  test('refuses a folder or socket that is not the user alone', async () => {
    const s = setup('foreign');
    const otherUid = currentUid() + 1;
    preparePrivateFolder(s.place.folder);
    assert.throws(
      () => preparePrivateFolder(s.place.folder, otherUid),
      (error: Error) => {
        assert.ok(error instanceof UnsafePlaceError);
        assert.match(
          error.message,
          new RegExp(`owned by uid ${currentUid()}, not by you \\(uid ${otherUid}\\)`),
        );
        return true;
      },
    );
    chmodSync(s.place.folder, 0o755);
    await assert.rejects(
      askServer(s.place, { argv: argvFor(s, 'impls', 'proto_ops.recvmsg') }, s.start),
      /its mode is 755, others may enter it/,
    );
    assert.equal(existsSync(s.place.socket), false, 'nothing was started in it');
    chmodSync(s.place.folder, 0o700);
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(s.place.socket, resolve));
    assert.throws(() => checkOwnSocket(s.place.socket, otherUid), UnsafePlaceError);
    listener.close();
  });

  test('notices a changed tree while in use, by its repeated checks', async () => {
    const s = setup('changed');
    const argv = argvFor(s, 'impls', 'proto_ops.recvmsg');
    const first = functionsOf(await askServer(s.place, { argv }, s.start));
    assert.ok(!first.includes('added_recvmsg'));
    addTable(s.root);
    // The server checks the tree's stat times every 100 ms here; ask until it answers with the new file.
    const deadline = Date.now() + 20_000;
    let latest = first;
    while (!latest.includes('added_recvmsg') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      latest = functionsOf(await askServer(s.place, { argv }, s.start));
    }
    assert.deepEqual(latest, [...first, 'added_recvmsg'].sort());
    // The server saved what it re-indexed: a warm start from the cache parses nothing and agrees.
    const { index, summary } = await openIndexWithSummary(s.root, { cache: s.cache });
    assert.equal(summary.parsed, 0);
    assert.deepEqual(
      index
        .implementations('proto_ops', 'recvmsg')
        .map((i) => i.function)
        .sort(),
      latest,
    );
  });

  test('an answer after the last check went stale waits for a new one', async () => {
    // No repeated check within the test; every answer finds the last check too old.
    const s = setup('stale-check', { KNR_SERVER_CHECK_MS: '600000', KNR_SERVER_FRESH_MS: '0' });
    const argv = argvFor(s, 'impls', 'proto_ops.recvmsg');
    const first = functionsOf(await askServer(s.place, { argv }, s.start));
    addTable(s.root);
    assert.deepEqual(
      functionsOf(await askServer(s.place, { argv }, s.start)),
      [...first, 'added_recvmsg'].sort(),
    );
  });
});
