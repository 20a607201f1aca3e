// The index follows edits and file changes; bad input gets correct answers or clean errors; memory
// returns to its level after a burst of edits. On a temporary copy of the mini-kernel fixture.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CancellationTokenSource,
  type Location,
  type SymbolInformation,
} from 'vscode-languageserver-protocol';
import type { StatusResult } from '../../server/src/lsp/protocol';
import { markedFile, miniKernel, positionOf } from './support/markers';
import { startKernelServer, type KernelServer } from './support/stdio-session';

/** Retries `probe` until it returns a value, for at most `timeoutMs`: waits on the server's real state, not a fixed sleep. */
async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('edits, file changes and bad input (stdio, real index, a copy of the mini-kernel)', () => {
  let tree: string;
  let server: KernelServer;
  const socketText = markedFile(miniKernel, 'net/socket.c').text;

  const symbolNamed = (name: string) => async () => {
    const found = await server.request<SymbolInformation[]>('workspace/symbol', { query: name });
    return found.find((symbol) => symbol.name === name);
  };
  const status = () => server.request<StatusResult>('kernelNetReader/status', { collectGarbage: true });

  before(async () => {
    tree = mkdtempSync(join(tmpdir(), 'knr-mini-kernel-'));
    cpSync(miniKernel, tree, { recursive: true });
    server = await startKernelServer({ kernel: tree });
    await server.ready;
  });
  after(async () => {
    await server.close();
    rmSync(tree, { recursive: true, force: true });
  });

  test('an edit in an open document reaches the index after a pause', async () => {
    const uri = await server.open('net/socket.c');
    const added = '\nint edited_in_editor(void)\n{\n\treturn 0;\n}\n';
    await server.session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: added },
      ],
    });
    const symbol = await eventually(symbolNamed('edited_in_editor'), 'the edited function in the index');
    assert.equal(symbol.location.range.start.line, 3);
  });

  test('a watched file created on disk is indexed', async () => {
    writeFileSync(join(tree, 'net/extra.c'), 'int extra_from_disk(int x)\n{\n\treturn x;\n}\n');
    await server.session.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: server.uri('net/extra.c'), type: 1 }],
    });
    await eventually(symbolNamed('extra_from_disk'), 'the new file in the index');
  });

  test('a burst of 1,000 edits is applied in order, the index follows, and memory returns to its level', async () => {
    const uri = await server.open('net/packet/af_packet.c');
    const before = await status();
    const line = 'int burst_line(void);\n';
    for (let version = 2; version <= 1001; version++) {
      await server.session.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: line },
        ],
      });
    }
    // The last edit removes the 1,000 lines again and adds one marker function.
    await server.session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 1002 },
      contentChanges: [
        { range: { start: { line: 1, character: 0 }, end: { line: 1001, character: 0 } }, text: '' },
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          text: 'int burst_done(void);\n',
        },
      ],
    });
    const done = await eventually(symbolNamed('burst_done'), 'the burst to reach the index');
    assert.equal(done.location.range.start.line, 0);
    const packet = markedFile(miniKernel, 'net/packet/af_packet.c');
    const definitionAfter = await server.request<Location[]>('textDocument/definition', {
      textDocument: { uri },
      position: { ...packet.at('designator_value'), line: packet.at('designator_value').line + 1 },
    });
    const expected = positionOf(packet.text, 'packet_recvmsg', { after: 'static int ' });
    assert.deepEqual(
      definitionAfter.map((l) => l.range.start),
      [{ ...expected, line: expected.line + 1 }],
    );
    const afterBurst = await status();
    const grownMb = (afterBurst.memory.heapUsed - before.memory.heapUsed) / 1048576;
    assert.ok(grownMb < 8, `heap grew by ${grownMb.toFixed(1)} MB over the burst`);
  });

  test('a 20 MB document gets answers or clean errors, and the server keeps answering', async () => {
    const unit = 'static int big_fn_N(int x) { return x + N; }\n';
    const lines: string[] = [];
    for (let n = 0; lines.length * unit.length < 20 * 1024 * 1024; n++)
      lines.push(unit.replace(/N/g, String(n)));
    const uri = await server.open('net/huge.c', lines.join(''));
    const hover = await server.request('textDocument/hover', {
      textDocument: { uri },
      position: { line: 10, character: 12 },
    });
    assert.ok(hover === null || typeof hover === 'object');
    assert.equal(
      await server.request('textDocument/definition', {
        textDocument: { uri },
        position: { line: 400000, character: 3 },
      }),
      null,
    );
    await server.session.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.ok(await eventually(symbolNamed('packet_recvmsg'), 'an answer after the big document'));
  });

  test('a binary file opened as C gets answers or clean errors', async () => {
    const bytes = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const uri = await server.open('net/blob.c', bytes.toString('latin1'));
    for (const method of ['textDocument/hover', 'textDocument/definition', 'textDocument/documentSymbol']) {
      const answer = await server.request(method, {
        textDocument: { uri },
        position: { line: 3, character: 2 },
      });
      assert.ok(answer === null || typeof answer === 'object', method);
    }
    assert.ok(server.session.process.exitCode === null, 'the server is still running');
  });

  test('requests on unknown documents and past the end answer empty', async () => {
    const unknown = {
      textDocument: { uri: 'file:///nowhere/at/all.c' },
      position: { line: 0, character: 0 },
    };
    for (const method of ['textDocument/hover', 'textDocument/definition', 'textDocument/implementation']) {
      assert.equal(await server.request(method, unknown), null, method);
    }
    const pastEnd = {
      textDocument: { uri: server.uri('net/socket.c') },
      position: { line: socketText.split('\n').length + 50, character: 0 },
    };
    assert.equal(await server.request('textDocument/hover', pastEnd), null);
    assert.equal(
      await server.request('textDocument/references', { ...pastEnd, context: { includeDeclaration: true } }),
      null,
    );
  });

  test('a request cancelled while queued answers RequestCancelled; the others are answered', async () => {
    // Index queries are synchronous and short, so cancellation takes effect for requests still queued:
    // the last of a batch is still waiting when its cancellation arrives.
    const source = new CancellationTokenSource();
    const batch = Array.from({ length: 20 }, () =>
      server.request<SymbolInformation[]>('workspace/symbol', { query: 'recvmsg' }),
    );
    const cancelled = server.session.connection.sendRequest(
      'workspace/symbol',
      { query: 'recvmsg' },
      source.token,
    );
    source.cancel();
    await assert.rejects(cancelled, (error: Error & { code?: number }) => error.code === -32800);
    for (const answer of await Promise.all(batch)) assert.ok(answer.length > 0);
  });
});
