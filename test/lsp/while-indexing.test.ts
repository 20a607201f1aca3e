// While the tree is still being indexed, an open document is indexed first and answered from; a
// hover with nothing to say yet says that indexing is under way.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { KernelIndex } from '../../server/src/index/kernel-index';
import { runScenarioRequest } from '../../server/src/protocol';
import { startInProcess, type InProcessServer } from './support/in-process';
import { markedFile, miniKernel, positionOf } from './support/markers';

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('answers while the tree is still indexing', () => {
  let server: InProcessServer;
  const packet = markedFile(miniKernel, 'net/packet/af_packet.c');
  before(async () => {
    // An index that never finishes: nothing in it but what the server adds for open documents.
    const index = new KernelIndex(miniKernel, '6.1.0');
    server = await startInProcess(miniKernel, () => ({ index, ready: new Promise(() => undefined) }));
    await server.indexed;
  });
  after(() => server.close());

  test('an opened document is indexed at once and hovers answer from it', async () => {
    await server.client.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: packet.uri,
        languageId: 'c',
        version: 1,
        text: readFileSync(join(miniKernel, 'net/packet/af_packet.c'), 'utf8'),
      },
    });
    const position = positionOf(packet.text, 'packet_recvmsg', { after: 'static int ' });
    const hover = await eventually(async () => {
      const answer = (await server.client.sendRequest('textDocument/hover', {
        textDocument: { uri: packet.uri },
        position,
      })) as Hover | null;
      const value = (answer?.contents as { value: string } | undefined)?.value ?? '';
      return value.includes('static int packet_recvmsg(') ? value : undefined;
    }, 'a hover from the open document');
    assert.match(hover, /take one frame off the socket's queue/);
  });

  test('a hover on something not indexed yet says that indexing is under way', async () => {
    const onStruct = {
      textDocument: { uri: packet.uri },
      position: positionOf(packet.text, 'socket', { after: 'struct socket *sock' }),
    };
    const answer = (await server.client.sendRequest('textDocument/hover', onStruct)) as Hover | null;
    assert.match((answer?.contents as { value: string }).value, /indexing the kernel tree/);
  });

  test('a scenario run waits for the whole tree: it says the tree is still being indexed', async () => {
    await assert.rejects(
      server.client.sendRequest(runScenarioRequest, {
        scenario: { name: 'packet-recvmsg-flags' },
        engine: 'model',
      }),
      /still being indexed/,
    );
  });
});

describe('an index found damaged after it was ready', () => {
  test('is built again, and the log says why', async () => {
    let starts = 0;
    let reportDamage: ((reason: string) => void) | undefined;
    const server = await startInProcess(miniKernel, (options) => {
      starts++;
      reportDamage ??= options.onDamaged;
      return { index: new KernelIndex(miniKernel, '6.1.0'), ready: Promise.resolve() };
    });
    try {
      await server.indexed;
      const damaged = await eventually(async () => reportDamage, 'the first start');
      assert.equal(starts, 1);
      damaged('index.bin: section text (bytes 0-100) fails its checksum');
      await eventually(async () => (starts === 2 ? true : undefined), 'a second start');
      await eventually(
        async () => server.logs.find((line) => /fails its checksum: indexing .* again/.test(line)),
        'the reason in the log',
      );
    } finally {
      await server.close();
    }
  });
});
