// The built server over stdio, with the real index, on the synthetic tree test/fixtures/mini-kernel.
// Cursor positions come from markers in the fixture text.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  CallHierarchyIncomingCall,
  CallHierarchyItem,
  CallHierarchyOutgoingCall,
  Hover,
  Location,
} from 'vscode-languageserver-protocol';
import { markedFile, miniKernel, positionOf, type MarkedFile } from './support/markers';
import { hopTables } from './support/hop-label';
import { startKernelServer, type KernelServer } from './support/stdio-session';

const socket = markedFile(miniKernel, 'net/socket.c');
const packet = markedFile(miniKernel, 'net/packet/af_packet.c');
const header = markedFile(miniKernel, 'include/linux/net.h');
const tipc = markedFile(miniKernel, 'net/tipc/socket.c');
const inet = markedFile(miniKernel, 'net/ipv4/af_inet.c');
const minmax = markedFile(miniKernel, 'include/linux/minmax.h');

const packetRecvmsg = positionOf(packet.text, 'packet_recvmsg', { after: 'static int ' });
const inetRecvmsg = positionOf(inet.text, 'inet_recvmsg');

function at(file: MarkedFile, marker: string) {
  return { textDocument: { uri: file.uri }, position: file.at(marker) };
}

function places(locations: Location[] | null): string[] {
  return (locations ?? [])
    .map(
      (l) =>
        `${l.uri.slice(l.uri.indexOf('mini-kernel/') + 'mini-kernel/'.length)}:${l.range.start.line}:${l.range.start.character}`,
    )
    .sort();
}

function place(file: string, position: { line: number; character: number }): string {
  return `${file}:${position.line}:${position.character}`;
}

function markdown(hover: Hover | null): string {
  assert.ok(hover, 'a hover');
  return (hover.contents as { value: string }).value;
}

describe('language server on the mini-kernel fixture (real index, stdio)', () => {
  let server: KernelServer;
  before(async () => {
    server = await startKernelServer({ kernel: miniKernel });
    await server.ready;
    for (const file of ['net/socket.c', 'net/packet/af_packet.c']) await server.open(file);
  });
  after(() => server.close());

  test('indexing reports work-done progress from begin to end', () => {
    assert.equal(server.progress[0]?.kind, 'begin');
    assert.equal(server.progress.at(-1)?.kind, 'end');
  });

  test('definition: a direct call, a designator value, a designator, a static table per file', async () => {
    const nosec = positionOf(socket.text, 'sock_recvmsg_nosec', { after: 'static inline int ' });
    assert.deepEqual(places(await server.request('textDocument/definition', at(socket, 'direct_call'))), [
      place('net/socket.c', nosec),
    ]);
    assert.deepEqual(
      places(await server.request('textDocument/definition', at(packet, 'designator_value'))),
      [place('net/packet/af_packet.c', packetRecvmsg)],
    );
    assert.deepEqual(
      places(await server.request('textDocument/definition', at(packet, 'designator_recvmsg'))),
      [place('include/linux/net.h', header.at('field_recvmsg'))],
    );
    assert.deepEqual(places(await server.request('textDocument/definition', at(tipc, 'tipc_table_use'))), [
      place('net/tipc/socket.c', positionOf(tipc.text, 'packet_ops', { after: 'struct proto_ops ' })),
    ]);
  });

  test('definition on an indirect call goes to the field of the receiver struct', async () => {
    assert.deepEqual(places(await server.request('textDocument/definition', at(socket, 'indirect_call'))), [
      place('include/linux/net.h', header.at('field_recvmsg')),
    ]);
  });

  test('implementation: on an indirect call, inside INDIRECT_CALL_INET, on the field, on a designator', async () => {
    const expected = [
      place('net/ipv4/af_inet.c', inetRecvmsg),
      place('net/packet/af_packet.c', packetRecvmsg),
      place('net/tipc/socket.c', positionOf(tipc.text, 'tipc_recvmsg')),
    ];
    for (const [file, marker] of [
      [socket, 'indirect_call'],
      [socket, 'wrapped_call'],
      [header, 'field_recvmsg'],
      [packet, 'designator_recvmsg'],
    ] as const) {
      assert.deepEqual(
        places(await server.request('textDocument/implementation', at(file, marker))),
        expected,
        marker,
      );
    }
  });

  test('implementation on a struct type lists its tables', async () => {
    const onType = {
      textDocument: { uri: packet.uri },
      position: positionOf(packet.text, 'proto_ops', { after: 'static const struct ' }),
    };
    const tables = places(await server.request('textDocument/implementation', onType));
    assert.deepEqual(tables, [
      place('net/ipv4/af_inet.c', positionOf(inet.text, 'inet_stream_ops')),
      place('net/packet/af_packet.c', positionOf(packet.text, 'packet_ops', { after: 'struct proto_ops ' })),
      place('net/packet/af_packet.c', positionOf(packet.text, 'packet_ops_spkt')),
      place('net/tipc/socket.c', positionOf(tipc.text, 'packet_ops', { after: 'struct proto_ops ' })),
    ]);
  });

  test('references to a function: the slots that install it, and its declaration on request', async () => {
    const slots = [
      place('net/packet/af_packet.c', packet.at('designator_value')),
      place(
        'net/packet/af_packet.c',
        positionOf(packet.text, 'packet_recvmsg', { after: 'packet_ops_spkt' }),
      ),
    ];
    const params = { ...at(packet, 'designator_value'), context: { includeDeclaration: false } };
    assert.deepEqual(places(await server.request('textDocument/references', params)), slots);
    const withDeclaration = { ...params, context: { includeDeclaration: true } };
    assert.deepEqual(
      places(await server.request('textDocument/references', withDeclaration)),
      [...slots, place('net/packet/af_packet.c', packetRecvmsg)].sort(),
    );
  });

  test('a local: definition at its declaration, hover with its type, references in its function', async () => {
    const declaration = place('net/socket.c', positionOf(socket.text, 'ret', { after: 'int ' }));
    const use = place('net/socket.c', positionOf(socket.text, 'ret/*@local_use'));
    assert.deepEqual(places(await server.request('textDocument/definition', at(socket, 'local_use'))), [
      declaration,
    ]);
    assert.match(
      markdown(await server.request('textDocument/hover', at(socket, 'local_use'))),
      /int ret \(local\)/,
    );
    const params = { ...at(socket, 'local_use'), context: { includeDeclaration: false } };
    assert.deepEqual(places(await server.request('textDocument/references', params)), [use]);
    const withDeclaration = { ...params, context: { includeDeclaration: true } };
    assert.deepEqual(
      places(await server.request('textDocument/references', withDeclaration)),
      [declaration, use].sort(),
    );
  });

  test('references to a table: where it is assigned', async () => {
    const onTable = {
      textDocument: { uri: packet.uri },
      position: positionOf(packet.text, 'packet_ops_spkt', {
        after: 'static const struct proto_ops packet_ops_spkt',
      }),
      context: { includeDeclaration: false },
    };
    const found = places(await server.request('textDocument/references', onTable));
    const assignment = positionOf(packet.text, 'sock->ops = &packet_ops_spkt;');
    assert.deepEqual(
      found.map((p) => p.split(':').slice(0, 2).join(':')),
      [`net/packet/af_packet.c:${assignment.line}`],
    );
  });

  test('call hierarchy: the indirect edge from sock_recvmsg_nosec to packet_recvmsg, labelled with the hop', async () => {
    const items = await server.request<CallHierarchyItem[]>(
      'textDocument/prepareCallHierarchy',
      at(packet, 'designator_value'),
    );
    assert.deepEqual(
      items.map((i) => i.name),
      ['packet_recvmsg'],
    );
    const incoming = await server.request<CallHierarchyIncomingCall[]>('callHierarchy/incomingCalls', {
      item: items[0],
    });
    const fromNosec = incoming.filter((call) => call.from.name === 'sock_recvmsg_nosec');
    assert.ok(fromNosec.length > 0, JSON.stringify(incoming.map((c) => [c.from.name, c.from.detail])));
    assert.ok(
      fromNosec.some((call) =>
        hopTables(call.from.detail, 'via proto_ops.recvmsg (', ')').includes('packet_ops'),
      ),
      JSON.stringify(fromNosec.map((c) => c.from.detail)),
    );
    assert.deepEqual(
      fromNosec[0].fromRanges.map((r) => r.start),
      [socket.at('wrapped_call')],
    );

    const [nosec] = await server.request<CallHierarchyItem[]>('textDocument/prepareCallHierarchy', {
      textDocument: { uri: socket.uri },
      position: positionOf(socket.text, 'sock_recvmsg_nosec', { after: 'static inline int ' }),
    });
    const outgoing = await server.request<CallHierarchyOutgoingCall[]>('callHierarchy/outgoingCalls', {
      item: nosec,
    });
    const labels = outgoing.map((call) => `${call.to.name} ${call.to.detail}`);
    assert.ok(
      outgoing.some(
        (call) =>
          call.to.name === 'packet_recvmsg' &&
          hopTables(call.to.detail, 'via proto_ops.recvmsg (', ')').includes('packet_ops'),
      ),
      labels.join('\n'),
    );
    assert.ok(
      labels.some((label) => label.startsWith('inet_recvmsg')),
      labels.join('\n'),
    );
  });

  test('hover on sock->ops->recvmsg lists packet_recvmsg; hover on packet_recvmsg names packet_ops', async () => {
    const call = markdown(await server.request('textDocument/hover', at(socket, 'indirect_call')));
    assert.match(call, /implementations of `proto_ops.recvmsg`/);
    assert.match(call, /`packet_ops` → `packet_recvmsg`/);
    const fn = markdown(await server.request('textDocument/hover', at(packet, 'designator_value')));
    assert.match(fn, /static int packet_recvmsg\(struct socket \*sock/);
    assert.match(fn, /`packet_ops.recvmsg`/);
    assert.match(fn, /take one frame off the socket's queue/);
  });

  test('hover on a macro shows its value, evaluated', async () => {
    const text = markdown(await server.request('textDocument/hover', at(socket, 'macro_use')));
    assert.match(text, /#define SOCK_QUEUE_BITS \(PF_PACKET << 2\)/);
    assert.match(text, /68/);
  });

  test('function-like macros: definition of a call and of a file-scope use, hover with parameters and body', async () => {
    const maxT = positionOf(minmax.text, 'max_t', { after: '#define ' });
    assert.deepEqual(places(await server.request('textDocument/definition', at(socket, 'macro_call'))), [
      place('include/linux/minmax.h', maxT),
    ]);
    assert.deepEqual(
      places(await server.request('textDocument/definition', at(socket, 'file_scope_macro'))),
      [place('include/linux/minmax.h', positionOf(minmax.text, 'module_init', { after: '#define ' }))],
    );
    const text = markdown(await server.request('textDocument/hover', at(socket, 'macro_call')));
    assert.ok(
      text.includes('#define max_t(type, x, y) \\\n\t__cmp((type)(x), \\\n\t      (type)(y), >)'),
      text,
    );
    assert.match(text, /include\/linux\/minmax\.h/);
  });

  test('references to a function-like macro: its calls, and its definitions on request', async () => {
    const onDefine = {
      textDocument: { uri: minmax.uri },
      position: positionOf(minmax.text, 'max_t', { after: '#define ' }),
    };
    const found = await server.request<Location[]>('textDocument/references', {
      ...onDefine,
      context: { includeDeclaration: true },
    });
    assert.deepEqual(places(found), [
      place('include/linux/minmax.h', onDefine.position),
      place('net/socket.c', socket.at('macro_call')),
    ]);
  });

  test('document and workspace symbols list function-like macros', async () => {
    const symbols = await server.request<{ name: string; detail?: string }[]>('textDocument/documentSymbol', {
      textDocument: { uri: minmax.uri },
    });
    assert.deepEqual(
      symbols.map((symbol) => `${symbol.name} ${symbol.detail ?? ''}`),
      ['_FIXTURE_MINMAX_H ', '__cmp (x, y, op)', 'max_t (type, x, y)', 'module_init (fn)'],
    );
    const found = await server.request<{ name: string; location: Location }[]>('workspace/symbol', {
      query: 'max_t',
    });
    assert.deepEqual(
      found.filter((symbol) => symbol.name === 'max_t').map((symbol) => places([symbol.location])[0]),
      [place('include/linux/minmax.h', positionOf(minmax.text, 'max_t', { after: '#define ' }))],
    );
  });

  test('workspace symbols find functions across the tree', async () => {
    const found = await server.request<{ name: string }[]>('workspace/symbol', { query: 'recvmsg' });
    const names = found.map((s) => s.name);
    for (const name of ['packet_recvmsg', 'inet_recvmsg', 'sock_recvmsg_nosec'])
      assert.ok(names.includes(name), names.join(' '));
  });
});

describe('language server on the mini-kernel fixture in Simplified Chinese', () => {
  let server: KernelServer;
  before(async () => {
    server = await startKernelServer({ kernel: miniKernel, locale: 'zh-CN' });
    await server.ready;
  });
  after(() => server.close());

  test('hover and call hierarchy speak Chinese', async () => {
    const call = markdown(await server.request('textDocument/hover', at(socket, 'indirect_call')));
    assert.match(call, /`proto_ops.recvmsg` 共有 \d+ 个实现/);
    assert.match(call, /`packet_ops` → `packet_recvmsg`/);
    const fn = markdown(await server.request('textDocument/hover', at(packet, 'designator_value')));
    assert.match(fn, /安装在 \d+ 个操作表槽位中/);
    assert.match(fn, /`packet_ops.recvmsg`/);
    const items = await server.request<CallHierarchyItem[]>(
      'textDocument/prepareCallHierarchy',
      at(packet, 'designator_value'),
    );
    const incoming = await server.request<CallHierarchyIncomingCall[]>('callHierarchy/incomingCalls', {
      item: items[0],
    });
    assert.ok(
      incoming.some((c) => hopTables(c.from.detail, '经由 proto_ops.recvmsg（', '）').includes('packet_ops')),
    );
  });
});
