// bin/knr, the shell client, on a copy of test/fixtures/index-tree: with a query server running it
// prints what the node client prints, without running node; in every case it cannot be sure of that
// (no server, a stale port file, a folder or port file that is not ours alone, a listener that does not
// know the server secret, another tree) it runs the node client. A stand-in `node` first on PATH
// shows which way it went. Needs `npm run build` (the server is dist/query-server.js).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { knrScript } from '../support/lsp-client';
import { repoRoot } from '../support/prerequisites';

const fixture = join(repoRoot, 'test', 'fixtures', 'index-tree');
let scratch: string;
let tree: string;
let otherTree: string;
let cache: string;
let servers: string;
/** Holds a `node` that only says it ran: put first on PATH, it shows that bin/knr fell back. */
let standIn: string;
const nodeRan = 'the node client ran\n';

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'knr-shell-client-'));
  tree = join(scratch, 'tree');
  otherTree = join(scratch, 'other-tree');
  cache = join(scratch, 'cache');
  servers = join(scratch, 'servers');
  standIn = join(scratch, 'stand-in');
  cpSync(fixture, tree, { recursive: true });
  cpSync(fixture, otherTree, { recursive: true });
  mkdirSync(cache);
  mkdirSync(standIn);
  writeFileSync(join(standIn, 'node'), `#!/bin/sh\nprintf '${nodeRan.trim()}\\n'\nexit 97\n`, {
    mode: 0o755,
  });
});

after(() => {
  for (const pid of serverPids()) stop(pid);
  rmSync(scratch, { recursive: true, force: true });
});

/** Ends a server and waits until it is gone (it removes its files first). */
function stop(pid: number): void {
  try {
    process.kill(pid);
    for (;;) {
      process.kill(pid, 0);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  } catch {
    // gone
  }
}

/** Ends the server of `root` (its log names the tree). */
function stopServerOf(root: string): void {
  for (const name of readdirSync(servers).filter((file) => file.endsWith('.log')))
    if (readFileSync(join(servers, name), 'utf8').includes(`serving ${root} `))
      stop(Number(readFileSync(join(servers, name.replace(/\.log$/, '.lock')), 'utf8')));
}

function serverPids(folder = servers): number[] {
  try {
    return readdirSync(folder)
      .filter((name) => name.endsWith('.lock'))
      .map((name) => Number(readFileSync(join(folder, name), 'utf8')));
  } catch {
    return [];
  }
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  /** The stand-in node first on PATH. */
  withoutNode?: boolean;
  folder?: string;
  cwd?: string;
}

function environment(options: RunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KNR_SERVER_DIR: options.folder ?? servers,
    KNR_SERVER_IDLE: '120',
    KNR_CACHE: cache,
  };
  delete env.KNR_NO_SERVER;
  delete env.NODE_OPTIONS;
  if (options.withoutNode) env.PATH = `${standIn}:${process.env.PATH}`;
  return env;
}

/** The query's own duration is the one figure that differs between two runs. */
const withoutTiming = (result: Run): Run => ({
  status: result.status,
  stdout: result.stdout.replace(/"queryMs": [\d.]+/, '"queryMs": 0'),
  stderr: result.stderr,
});

/** bin/knr run as an executable. */
function knr(args: string[], options: RunOptions = {}): Run {
  const env = environment(options);
  return withoutTiming(
    spawnSync(knrScript(), args, { encoding: 'utf8', env, cwd: options.cwd, timeout: 60_000 }),
  );
}

/** The same without blocking this process, which may be the listener bin/knr talks to. */
function knrAsync(args: string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(knrScript(), args, { env: environment(options), timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      if (status === null) reject(error);
      else resolve(withoutTiming({ status, stdout, stderr }));
    });
  });
}

const fellBack: Run = { status: 97, stdout: nodeRan, stderr: '' };

/** Starts this suite's server (through the node client, as the first query does). */
function startServer(): void {
  const first = knr(['impls', 'proto_ops.recvmsg', '--kernel', tree]);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(serverPids().length, 1);
}

function portFile(folder = servers): string {
  const [name] = readdirSync(folder).filter((file) => file.endsWith('.port'));
  assert.ok(name, 'the server wrote its port file');
  return join(folder, name);
}

/** A listener on 127.0.0.1 that keeps what it receives; `reply` is sent on each connection's first data. */
async function impostor(reply?: string): Promise<{ server: Server; port: number; received: () => string }> {
  let received = '';
  const server = createServer((socket) => {
    socket.on('data', (chunk) => {
      if (reply !== undefined && received === '') socket.write(reply);
      received += chunk.toString('utf8');
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return { server, port: (server.address() as AddressInfo).port, received: () => received };
}

/** A private folder holding only a port file with `text`. */
function folderWithPortFile(name: string, text: string): string {
  const folder = join(scratch, name);
  mkdirSync(folder, { mode: 0o700 });
  writeFileSync(join(folder, '0123456789abcdef.port'), text, { mode: 0o600 });
  return folder;
}

describe('bin/knr, the shell client', () => {
  test('with no server it runs the node client', () => {
    assert.deepEqual(knr(['impls', 'proto_ops.recvmsg', '--kernel', tree], { withoutNode: true }), fellBack);
  });

  test('answers each served command as the node client does, without node', () => {
    startServer();
    const at = 'net/socket.c:9:50';
    const questions = [
      ['impls', 'proto_ops.recvmsg'],
      ['impls', 'proto_ops.recvmsg', '--json'],
      ['resolve', at],
      ['resolve', at, '--json'],
      ['callers', 'sock_recvmsg_nosec'],
      ['callers', 'sock_recvmsg_nosec', '--json'],
      ['callees', 'sock_recvmsg', '--json'],
      ['definition', 'sock_recvmsg'],
      ['definition', 'sock_recvmsg', '--json'],
      ['tables', 'proto_ops', '--json'],
      ['impls', 'no_such_struct.recvmsg'],
      ['definition', 'no_such_name_anywhere', '--json'],
      ['callers'],
    ];
    for (const question of questions) {
      const argv = [...question, '--kernel', tree];
      const direct = knr(argv, { withoutNode: true });
      assert.notDeepEqual(direct, fellBack, `knr ${question.join(' ')} was answered without node`);
      assert.deepEqual(direct, knr([...argv, '--no-server']), `knr ${question.join(' ')}`);
    }
  });

  test('a relative --kernel is read from the working folder', () => {
    startServerIfNone();
    const direct = knr(['impls', 'proto_ops.recvmsg', '--kernel', '.'], { withoutNode: true, cwd: tree });
    assert.equal(direct.status, 0);
    assert.deepEqual(direct, knr(['impls', 'proto_ops.recvmsg', '--kernel', tree, '--no-server']));
  });

  test("with two servers in the folder, each tree's query reaches its own server", () => {
    startServerIfNone();
    const second = knr(['impls', 'proto_ops.recvmsg', '--kernel', otherTree]);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(serverPids().length, 2);
    // The first port file in the folder belongs to one of them: the other is reached by its `elsewhere`.
    for (const root of [tree, otherTree]) {
      const argv = ['definition', 'sock_recvmsg', '--kernel', root];
      const direct = knr(argv, { withoutNode: true });
      assert.notDeepEqual(direct, fellBack, root);
      assert.deepEqual(direct, knr([...argv, '--no-server']), root);
    }
    stopServerOf(otherTree);
  });

  test('what the server would not answer as the node client does goes to the node client', () => {
    startServerIfNone();
    const runsNode = [
      ['impls', 'proto_ops.recvmsg', '--kernel', otherTree],
      ['impls', 'proto_ops.recvmsg', '--kernel', tree, '--no-server'],
      ['impls', 'proto_ops.recvmsg', '--kernel', tree, '--cache', join(scratch, 'another-cache')],
      ['impls', 'proto_ops.recvmsg', '--kernel', tree, '--help'],
      ['impls', '--kernel'],
      ['index', '--kernel', tree],
      ['--version'],
    ];
    for (const argv of runsNode) assert.deepEqual(knr(argv, { withoutNode: true }), fellBack, argv.join(' '));
  });

  test('a port file left by a dead server: the node client, at once', async () => {
    const closed = await impostor();
    closed.server.close();
    const folder = folderWithPortFile('stale', `${closed.port} a b\n`);
    const began = Date.now();
    assert.deepEqual(
      await knrAsync(['impls', 'x.y', '--kernel', tree], { withoutNode: true, folder }),
      fellBack,
    );
    assert.ok(Date.now() - began < 2000, 'no wait for a port nothing listens on');
  });

  test('a listener without the server secret gets the client secret and nothing else', async () => {
    for (const [name, reply] of [
      ['silent', undefined],
      ['wrong', 'knr-server not-the-secret\n'],
    ] as const) {
      const listener = await impostor(reply);
      const folder = folderWithPortFile(`impostor-${name}`, `${listener.port} hello1 proof2\n`);
      const run = await knrAsync(['callers', 'x', '--kernel', tree], { withoutNode: true, folder });
      listener.server.close();
      assert.deepEqual(run, fellBack, name);
      assert.equal(listener.received(), 'knr-hello hello1\n', name);
    }
  });

  test('a folder or port file that is not ours alone: the node client', () => {
    startServerIfNone();
    const argv = ['impls', 'proto_ops.recvmsg', '--kernel', tree];
    const port = portFile();
    try {
      chmodSync(servers, 0o755);
      assert.deepEqual(knr(argv, { withoutNode: true }), fellBack, 'a folder others may enter');
      chmodSync(servers, 0o700);
      if (process.getuid?.() === 0) {
        chownSync(servers, 4242, 4242);
        assert.deepEqual(knr(argv, { withoutNode: true }), fellBack, 'a folder another user owns');
        chownSync(servers, 0, 0);
        chownSync(port, 4242, 4242);
        assert.deepEqual(knr(argv, { withoutNode: true }), fellBack, 'a port file another user owns');
        chownSync(port, 0, 0);
      }
      chmodSync(port, 0o640);
      assert.deepEqual(knr(argv, { withoutNode: true }), fellBack, 'a port file others may read');
      chmodSync(port, 0o600);
      assert.notDeepEqual(knr(argv, { withoutNode: true }), fellBack, 'ours again: answered');
    } finally {
      chmodSync(servers, 0o700);
    }
  });

  test('the server says nothing to a client without the secret', async () => {
    startServerIfNone();
    const [port] = readFileSync(portFile(), 'utf8').split(' ');
    const received = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect({ host: '127.0.0.1', port: Number(port) }, () =>
        socket.write(`knr-hello ${'0'.repeat(64)}\n`),
      );
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('error', () => {});
      socket.on('close', () => resolve(text));
    });
    assert.equal(received, '');
  });
});

function startServerIfNone(): void {
  if (serverPids().length === 0) startServer();
}
