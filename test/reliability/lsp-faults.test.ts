// Faults on the language server's stdio: broken framing, bodies that are not JSON-RPC, unknown
// methods, a cancellation storm, requests after shutdown, and a client that disappears. After every
// fault the protocol can recover from, the next ordinary request must still be answered.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource, type SymbolInformation } from 'vscode-languageserver-protocol';
import { startLspServer } from '../support/lsp-client';
import { miniKernel } from '../lsp/support/markers';
import { startKernelServer, type KernelServer } from '../lsp/support/stdio-session';

/** One LSP frame around a body, with the length the body really has unless told otherwise. */
function frame(body: string, length: number | string = Buffer.byteLength(body)): string {
  return `Content-Length: ${length}\r\n\r\n${body}`;
}

function waitForExit(
  child: { exitCode: number | null; once(event: 'exit', f: () => void): unknown },
  ms: number,
) {
  return new Promise<number | null>((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => reject(new Error(`the server did not exit within ${ms} ms`)), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(child.exitCode);
    });
  });
}

describe('language server faults over stdio (real index of the mini-kernel)', { timeout: 60000 }, () => {
  let server: KernelServer;
  let faults = 0;

  /** Writes raw bytes between two ordinary requests, then checks the server still answers. */
  async function inject(raw: string): Promise<void> {
    await stillAnswers();
    server.session.process.stdin.write(raw);
    faults++;
    await stillAnswers();
  }
  async function stillAnswers(): Promise<void> {
    const found = await server.request<SymbolInformation[]>('workspace/symbol', { query: 'packet_recvmsg' });
    assert.ok(
      found.some((symbol) => symbol.name === 'packet_recvmsg'),
      `an answer after ${faults} faults`,
    );
  }

  before(async () => {
    server = await startKernelServer({ kernel: miniKernel });
    await server.ready;
  });
  after(async () => {
    await server.close();
    console.log(`lsp-faults: ${faults} faults injected into one server`);
  });

  test('a body that is not JSON, or JSON that is not a message, is dropped', async () => {
    await inject(frame('{not json'));
    await inject(frame('42'));
    await inject(frame('[]'));
    await inject(frame('null'));
    await inject(frame('{"jsonrpc":"2.0","id":7001}'));
    await inject(frame('{"jsonrpc":"2.0","id":7002,"method":42}'));
  });

  test('a header without a usable Content-Length loses that frame only', async () => {
    await inject(frame('{"jsonrpc":"2.0","id":7101,"method":"workspace/symbol","params":{}}', 'abc'));
    await inject('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}');
    await inject(frame('{}', -5));
    await inject(frame('{}', '99999999999999'));
    await inject('\r\n\r\n');
    await inject('garbage without any header at all');
  });

  test('a frame shorter or longer than its Content-Length costs at most the next message', async () => {
    const body = '{"jsonrpc":"2.0","method":"$/noSuchNotification","params":{}}';
    // The over-long frame swallows the start of the message after it: that one is lost, not later ones.
    const sacrificed = frame('{"jsonrpc":"2.0","method":"$/lostNotification","params":{"padding":"....."}}');
    await inject(frame(body, Buffer.byteLength(body) + 40) + sacrificed);
    await inject(frame(body, Buffer.byteLength(body) - 10));
  });

  test('unknown methods: a request answers MethodNotFound, a notification is ignored', async () => {
    await assert.rejects(
      server.request('knr/noSuchMethod', {}),
      (error: Error & { code?: number }) => error.code === -32601,
    );
    await server.session.connection.sendNotification('knr/noSuchNotification', {});
    faults += 2;
    await stillAnswers();
  });

  test('requests with missing or wrong parameters answer an error or nothing, not a dead server', async () => {
    for (const method of ['textDocument/definition', 'textDocument/hover', 'textDocument/references']) {
      for (const params of [null, {}, { textDocument: 42, position: 'x' }]) {
        await server.request(method, params).catch(() => undefined);
        faults++;
      }
    }
    await stillAnswers();
  });

  test('a storm of 500 requests cancelled at once, then an ordinary request answers', async () => {
    // Each cancellation follows its request closely, so most arrive while the request is still
    // queued (cheap requests sent far ahead of their cancellation are simply answered).
    const storm = Array.from({ length: 500 }, (_, n) => {
      const source = new CancellationTokenSource();
      const answer = server.session.connection
        .sendRequest<SymbolInformation[]>('workspace/symbol', { query: `recv${n % 7}` }, source.token)
        .then(
          (symbols) => (Array.isArray(symbols) ? 'answered' : 'malformed'),
          (error: Error & { code?: number }) => (error.code === -32800 ? 'cancelled' : error.message),
        );
      source.cancel();
      return answer;
    });
    const started = Date.now();
    const outcomes = await Promise.all(storm);
    await stillAnswers();
    faults += outcomes.length;
    const unexpected = outcomes.filter((o) => o !== 'answered' && o !== 'cancelled');
    assert.deepEqual(unexpected, [], 'every request answered or cancelled, nothing else');
    assert.ok(outcomes.includes('cancelled'), 'the cancellations took effect');
    assert.ok(Date.now() - started < 10000, 'the storm settled in under 10 s');
  });
});

describe('the end of a session', { timeout: 30000 }, () => {
  test('requests after shutdown are refused; exit then ends the process with 0', async () => {
    const session = startLspServer();
    await session.connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
    await session.connection.sendNotification('initialized', {});
    await session.connection.sendRequest('shutdown');
    await assert.rejects(
      session.connection.sendRequest('workspace/symbol', { query: 'x' }),
      (error: Error & { code?: number }) => error.code === -32600,
    );
    const exited = waitForExit(session.process, 5000);
    await session.connection.sendNotification('exit');
    assert.equal(await exited, 0, session.stderr());
    session.connection.dispose();
  });

  test('stdin closed without shutdown: the server exits within 5 s', async () => {
    const session = startLspServer();
    await session.connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
    const exited = waitForExit(session.process, 5000);
    session.process.stdin.end();
    assert.equal(await exited, 1, 'an exit without shutdown is code 1');
    session.connection.dispose();
  });

  test('the editor process killed while stdin stays open: the server exits within 10 s', async () => {
    const editor = spawn('sleep', ['600']);
    const session = startLspServer();
    try {
      await session.connection.sendRequest('initialize', {
        processId: editor.pid,
        rootUri: null,
        capabilities: {},
      });
      const exited = waitForExit(session.process, 10000);
      editor.kill('SIGKILL');
      assert.notEqual(await exited, null);
    } finally {
      editor.kill('SIGKILL');
      session.process.kill('SIGKILL');
      session.connection.dispose();
    }
  });
});
