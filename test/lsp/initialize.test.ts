import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startLspServer } from '../support/lsp-client';

test('knr lsp --stdio answers initialize with its capabilities', async () => {
  const session = startLspServer();
  try {
    const result = (await session.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
    })) as { capabilities: Record<string, unknown>; serverInfo?: { name: string } };
    assert.equal(result.serverInfo?.name, 'kernel-net-reader');
    assert.ok(result.capabilities.textDocumentSync, 'textDocumentSync is announced');
  } finally {
    await session.close();
  }
  assert.equal(session.process.exitCode, 0, `server exits cleanly after shutdown/exit: ${session.stderr()}`);
});
