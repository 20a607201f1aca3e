// The LSP layer against a fake index, in process: what each capability makes of the index's
// answers, the request guard, bad requests, and both languages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type {
  CodeLens,
  DocumentSymbol,
  Hover,
  Location,
  SymbolInformation,
} from 'vscode-languageserver-protocol';
import { zhCn } from '../../server/src/models/catalogue/zh-cn';
import { markedFile, miniKernel, positionOf, type MarkedFile } from './support/markers';
import { miniKernelFake } from './support/mini-kernel-fake';
import { startInProcess, type InProcessServer } from './support/in-process';

const socket = markedFile(miniKernel, 'net/socket.c');
const packet = markedFile(miniKernel, 'net/packet/af_packet.c');
const header = markedFile(miniKernel, 'include/linux/net.h');

function at(file: MarkedFile, marker: string) {
  return { textDocument: { uri: file.uri }, position: file.at(marker) };
}

function hoverText(hover: Hover | null): string {
  assert.ok(hover, 'a hover');
  const contents = hover.contents as { kind: string; value: string };
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

describe('language server features over a fake index (English)', () => {
  let server: InProcessServer;
  before(async () => {
    server = await startInProcess(miniKernel, miniKernelFake());
    await server.indexed;
  });
  after(() => server.close());

  test('hover on an indirect call lists its implementations by evidence, strongest first, with tables', async () => {
    const text = hoverText(
      await server.client.sendRequest('textDocument/hover', at(socket, 'indirect_call')),
    );
    assert.match(text, /3 implementations of `proto_ops.recvmsg`/);
    const initializer = text.indexOf('*table initialiser* (2)');
    const assignment = text.indexOf('*run-time assignment* (1)');
    assert.ok(initializer >= 0 && assignment > initializer, text);
    assert.match(text, /`packet_ops` → `packet_recvmsg`/);
    assert.match(text, /`packet_ops_spkt` → `packet_recvmsg`/);
    assert.match(text, /`inet_init` → `inet_recvmsg`/);
  });

  test('hover on a function shows its signature, kernel-doc, installations and indirect callers', async () => {
    const text = hoverText(
      await server.client.sendRequest('textDocument/hover', at(packet, 'designator_value')),
    );
    assert.match(text, /```c\nstatic int packet_recvmsg\(struct socket \*sock/);
    assert.match(text, /take one frame off the socket's queue/);
    assert.match(text, /\*\*Parameters\*\*/);
    assert.match(text, /Installed in 2 ops-table slots/);
    assert.match(text, /`packet_ops.recvmsg`/);
    assert.match(text, /`sock_recvmsg_plain` via proto_ops.recvmsg \(packet_ops\)/);
  });

  test('definition: a designator value goes to the function, the designator to the field', async () => {
    const toFunction = (await server.client.sendRequest(
      'textDocument/definition',
      at(packet, 'designator_value'),
    )) as Location[];
    assert.deepEqual(
      toFunction.map((l) => [l.uri, l.range.start]),
      [[packet.uri, positionOf(packet.text, 'packet_recvmsg', { after: 'static int ' })]],
    );
    const toField = (await server.client.sendRequest(
      'textDocument/definition',
      at(packet, 'designator_recvmsg'),
    )) as Location[];
    assert.deepEqual(
      toField.map((l) => [l.uri, l.range.start]),
      [[header.uri, header.at('field_recvmsg')]],
    );
  });

  test('implementation on a function-pointer field in its struct lists every installed function once', async () => {
    const found = (await server.client.sendRequest(
      'textDocument/implementation',
      at(header, 'field_recvmsg'),
    )) as Location[];
    const targets = found.map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line}`);
    assert.deepEqual(targets.sort(), [
      `af_inet.c:${positionOf(markedFile(miniKernel, 'net/ipv4/af_inet.c').text, 'inet_recvmsg').line}`,
      `af_packet.c:${positionOf(packet.text, 'packet_recvmsg', { after: 'static int ' }).line}`,
    ]);
  });

  test('comparing a path across kernel versions with one tree served says it needs two', async () => {
    await assert.rejects(
      server.client.sendRequest('kernelNetReader/comparePath', { scenario: { name: 'raw-create' } }),
      (error: Error) => {
        assert.match(error.message, /needs two indexed kernel trees .*; 1 is ready/);
        return true;
      },
    );
  });

  test('an exception in a handler fails that request only; the server keeps answering', async () => {
    await assert.rejects(
      server.client.sendRequest('textDocument/hover', at(socket, 'direct_call')),
      (error: Error & { code?: number }) => {
        assert.equal(error.code, -32603);
        assert.match(error.message, /textDocument\/hover failed: fake index failure on sock_recvmsg_nosec/);
        return true;
      },
    );
    assert.ok(
      server.logs.some((line) => line.includes('fake index failure on sock_recvmsg_nosec')),
      'the failure is logged',
    );
    assert.ok(await server.client.sendRequest('textDocument/hover', at(socket, 'indirect_call')));
  });

  test('unknown documents and positions past the end get empty answers, not errors', async () => {
    const outside = {
      textDocument: { uri: pathToFileURL('/nonexistent/file.c').href },
      position: { line: 0, character: 0 },
    };
    assert.equal(await server.client.sendRequest('textDocument/hover', outside), null);
    assert.equal(await server.client.sendRequest('textDocument/definition', outside), null);
    const pastEnd = { textDocument: { uri: socket.uri }, position: { line: 100000, character: 5 } };
    assert.equal(await server.client.sendRequest('textDocument/hover', pastEnd), null);
    const pastLineEnd = { textDocument: { uri: socket.uri }, position: { line: 0, character: 100000 } };
    assert.equal(await server.client.sendRequest('textDocument/implementation', pastLineEnd), null);
    assert.equal(await server.client.sendRequest('textDocument/documentSymbol', outside), null);
  });

  test('a macro hovers with its value', async () => {
    const use = {
      textDocument: { uri: header.uri },
      position: positionOf(header.text, 'PF_PACKET', { after: '(PF_PACKET' }),
    };
    const text = hoverText(await server.client.sendRequest('textDocument/hover', use));
    assert.match(text, /#define PF_PACKET 17/);
  });

  test('code lens over an installed function names its slots; over an indirect call it counts implementations', async () => {
    const packetLenses = (await server.client.sendRequest('textDocument/codeLens', {
      textDocument: { uri: packet.uri },
    })) as CodeLens[];
    // Other lenses (the Trace lens over a modelled function) may sit beside it: take the installations lens.
    const installed = packetLenses.filter(
      (lens) => (lens.data as { kind?: string } | undefined)?.kind === 'installed',
    );
    assert.equal(installed.length, 1);
    const resolved = (await server.client.sendRequest('codeLens/resolve', installed[0])) as CodeLens;
    assert.equal(resolved.command?.title, 'packet_ops.recvmsg · packet_ops_spkt.recvmsg');
    assert.equal(resolved.command?.command, 'kernelNetReader.showLocations');
    assert.equal((resolved.command?.arguments?.[2] as Location[]).length, 2);
    const callLenses = (await server.client.sendRequest('textDocument/codeLens', {
      textDocument: { uri: socket.uri },
    })) as CodeLens[];
    assert.deepEqual(
      callLenses.map((lens) => lens.range.start),
      [socket.at('indirect_call')],
    );
    const counted = (await server.client.sendRequest('codeLens/resolve', callLenses[0])) as CodeLens;
    assert.equal(counted.command?.title, '3 implementations');
    assert.equal((counted.command?.arguments?.[2] as Location[]).length, 3);
  });

  test('document symbols come from the file facts; workspace symbols from the index search', async () => {
    const symbols = (await server.client.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri: header.uri },
    })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['proto_ops'],
    );
    assert.deepEqual(
      symbols[0].children?.map((s) => s.name),
      ['recvmsg'],
    );
    const found = (await server.client.sendRequest('workspace/symbol', {
      query: 'recvmsg',
    })) as SymbolInformation[];
    assert.deepEqual(found.map((s) => s.name).sort(), ['inet_recvmsg', 'packet_recvmsg', 'recvmsg']);
  });
});

describe('language server features over a fake index (Simplified Chinese)', () => {
  let server: InProcessServer;
  before(async () => {
    server = await startInProcess(miniKernel, miniKernelFake(), { locale: 'zh-CN' });
    await server.indexed;
  });
  after(() => server.close());

  test('hover is written from the Chinese catalogue', async () => {
    const call = hoverText(
      await server.client.sendRequest('textDocument/hover', at(socket, 'indirect_call')),
    );
    assert.match(call, /`proto_ops.recvmsg` 共有 3 个实现/);
    assert.match(call, /\*操作表初始化\* \(2\)/);
    const fn = hoverText(
      await server.client.sendRequest('textDocument/hover', at(packet, 'designator_value')),
    );
    assert.match(fn, /\*\*参数\*\*/);
    assert.match(fn, /安装在 2 个操作表槽位中/);
    assert.match(fn, /`sock_recvmsg_plain` 经由 proto_ops.recvmsg（packet_ops）/);
  });

  test('a modelled function hovers with its model note from the Chinese catalogue', async () => {
    const fn = hoverText(
      await server.client.sendRequest('textDocument/hover', at(packet, 'designator_value')),
    );
    assert.match(fn, /\*\*模型\*\*: /);
    assert.ok(fn.includes(zhCn.packet_recvmsg), fn);
    assert.match(fn, /模型逐步经过此函数中的 \d+ 条语句/);
  });
});

describe('a workspace that is not a kernel tree', () => {
  test('gets one clear message, and the server keeps answering', async () => {
    const server = await startInProcess('/tmp', miniKernelFake());
    try {
      const status = await server.client.sendRequest('kernelNetReader/status', {});
      assert.deepEqual((status as { trees: unknown[] }).trees, []);
      assert.equal(server.shown.length, 1);
      assert.match(server.shown[0], /not a kernel tree/);
      assert.equal(await server.client.sendRequest('textDocument/hover', at(socket, 'indirect_call')), null);
    } finally {
      await server.close();
    }
  });
});

describe('the language setting of the extension', () => {
  test('switches the catalogue when it changes, and `auto` follows the client locale again', async () => {
    const server = await startInProcess(miniKernel, miniKernelFake(), { locale: 'en-US' });
    try {
      await server.indexed;
      const hover = async () =>
        hoverText(await server.client.sendRequest('textDocument/hover', at(socket, 'indirect_call')));
      assert.match(await hover(), /3 implementations of/);
      await server.client.sendNotification('workspace/didChangeConfiguration', {
        settings: { kernelNetReader: { language: 'zh-cn' } },
      });
      assert.match(await hover(), /共有 3 个实现/);
      await server.client.sendNotification('workspace/didChangeConfiguration', {
        settings: { kernelNetReader: { language: 'auto' } },
      });
      assert.match(await hover(), /3 implementations of/);
    } finally {
      await server.close();
    }
  });
});
