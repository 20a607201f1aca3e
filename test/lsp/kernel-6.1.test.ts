// The built server over stdio on the real 6.1 tree: the socket receive path through proto_ops, in
// English and Simplified Chinese. The tree is indexed once into the shared cache, then reused; one
// server answers in both languages (the language setting switches the catalogue at run time).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  CallHierarchyIncomingCall,
  CallHierarchyItem,
  Hover,
  Location,
} from 'vscode-languageserver-protocol';
import { requires } from '../support/prerequisites';
import { places61, sharedCache, tree61, type Places61 } from './support/kernel-61';
import { hopTables } from './support/hop-label';
import { positionOf } from './support/markers';
import { startKernelServer, type KernelServer } from './support/stdio-session';

const skip = requires('language server on the 6.1 tree', tree61.missing);
const indexingTimeout = 30 * 60 * 1000;

function markdown(hover: Hover | null): string {
  assert.ok(hover, 'a hover');
  return (hover.contents as { value: string }).value;
}

function places(locations: Location[] | null): string[] {
  return (locations ?? []).map((l) => `${l.uri.slice(l.uri.indexOf('/6.1/') + 5)}:${l.range.start.line}`);
}

describe(
  'language server on the 6.1 tree, in English then in Simplified Chinese',
  { ...skip, timeout: indexingTimeout },
  () => {
    let server: KernelServer;
    let at: Places61;
    let socket: string;
    let packet: string;
    before(async () => {
      at = places61(tree61.path);
      server = await startKernelServer({ kernel: tree61.path, cache: sharedCache() });
      await server.ready;
      socket = await server.open('net/socket.c');
      packet = await server.open('net/packet/af_packet.c');
    });
    after(() => server?.close());

    test('hover on sock->ops->recvmsg lists packet_recvmsg among the implementations of proto_ops.recvmsg', async () => {
      const text = markdown(
        await server.request('textDocument/hover', {
          textDocument: { uri: socket },
          position: at.indirectRecvmsg,
        }),
      );
      assert.match(text, /\*\*\d+ implementations of `proto_ops.recvmsg`\*\* through `INDIRECT_CALL_INET`/);
      assert.match(text, /`packet_ops` → `packet_recvmsg`/);
      assert.match(text, /`inet_stream_ops` → `inet_recvmsg`/);
    });

    test('definition of sock->ops->recvmsg is the field in struct proto_ops', async () => {
      const found = await server.request<Location[]>('textDocument/definition', {
        textDocument: { uri: socket },
        position: at.indirectRecvmsg,
      });
      assert.deepEqual(places(found), [`include/linux/net.h:${at.protoOpsRecvmsgField.line}`]);
    });

    test('implementation of sock->ops->recvmsg includes packet_recvmsg and inet_recvmsg', async () => {
      const found = places(
        await server.request('textDocument/implementation', {
          textDocument: { uri: socket },
          position: at.indirectRecvmsg,
        }),
      );
      assert.ok(found.includes(`net/packet/af_packet.c:${at.packetRecvmsg.line}`), found.join('\n'));
      assert.ok(
        found.some((place) => place.startsWith('net/ipv4/af_inet.c:')),
        found.join('\n'),
      );
    });

    test('hover on packet_recvmsg names packet_ops and the indirect call that reaches it', async () => {
      const text = markdown(
        await server.request('textDocument/hover', {
          textDocument: { uri: packet },
          position: at.packetRecvmsg,
        }),
      );
      assert.match(text, /static int packet_recvmsg\(struct socket \*sock, struct msghdr \*msg, size_t len/);
      assert.match(text, /`packet_ops.recvmsg`/);
      assert.match(text, /`packet_ops_spkt.recvmsg`/);
      assert.match(text, /`sock_recvmsg_nosec` via proto_ops.recvmsg \(([\w, ]*, )?packet_ops(, [\w, ]*)?\)/);
    });

    test('call hierarchy: sock_recvmsg_nosec calls packet_recvmsg via proto_ops.recvmsg (packet_ops)', async () => {
      const items = await server.request<CallHierarchyItem[]>('textDocument/prepareCallHierarchy', {
        textDocument: { uri: packet },
        position: at.packetRecvmsg,
      });
      assert.deepEqual(
        items.map((item) => item.name),
        ['packet_recvmsg'],
      );
      const incoming = await server.request<CallHierarchyIncomingCall[]>('callHierarchy/incomingCalls', {
        item: items[0],
      });
      const edge = incoming.find(
        (call) =>
          call.from.name === 'sock_recvmsg_nosec' &&
          hopTables(call.from.detail, 'via proto_ops.recvmsg (', ')').includes('packet_ops'),
      );
      assert.ok(edge, incoming.map((call) => `${call.from.name} ${call.from.detail}`).join('\n'));
      assert.ok(edge.from.uri.endsWith('/net/socket.c'));
      assert.deepEqual(
        edge.fromRanges.map((range) => range.start.line),
        [at.indirectRecvmsg.line],
      );
    });

    test('references to packet_recvmsg include both ops-table slots that install it', async () => {
      const found = places(
        await server.request('textDocument/references', {
          textDocument: { uri: packet },
          position: at.packetRecvmsg,
          context: { includeDeclaration: false },
        }),
      );
      assert.ok(found.includes(`net/packet/af_packet.c:${at.packetOpsSlotValue.line}`), found.join('\n'));
      assert.equal(
        found.filter((place) => place.startsWith('net/packet/af_packet.c:')).length >= 2,
        true,
        found.join('\n'),
      );
    });

    test("a static table resolves in its own file: packet_ops in af_packet.c is not tipc's", async () => {
      const use = positionOf(at.packetC, 'packet_ops', { after: 'sock->ops = &packet_ops;' });
      const found = places(
        await server.request('textDocument/definition', { textDocument: { uri: packet }, position: use }),
      );
      assert.deepEqual(found, [
        `net/packet/af_packet.c:${positionOf(at.packetC, 'packet_ops', { after: 'static const struct proto_ops packet_ops = {' }).line}`,
      ]);
    });

    test('hover on sock->ops->recvmsg and on packet_recvmsg, and the call hierarchy label, in Chinese', async () => {
      // One indexed tree serves both languages: the extension's language setting switches the catalogue.
      await server.session.connection.sendNotification('workspace/didChangeConfiguration', {
        settings: { kernelNetReader: { language: 'zh-cn' } },
      });
      const call = markdown(
        await server.request('textDocument/hover', {
          textDocument: { uri: socket },
          position: at.indirectRecvmsg,
        }),
      );
      assert.match(call, /`proto_ops.recvmsg` 共有 \d+ 个实现/);
      assert.match(call, /`packet_ops` → `packet_recvmsg`/);
      const fn = markdown(
        await server.request('textDocument/hover', {
          textDocument: { uri: packet },
          position: at.packetRecvmsg,
        }),
      );
      assert.match(fn, /安装在 \d+ 个操作表槽位中/);
      assert.match(fn, /`packet_ops.recvmsg`/);
      const items = await server.request<CallHierarchyItem[]>('textDocument/prepareCallHierarchy', {
        textDocument: { uri: packet },
        position: at.packetRecvmsg,
      });
      const incoming = await server.request<CallHierarchyIncomingCall[]>('callHierarchy/incomingCalls', {
        item: items[0],
      });
      assert.ok(
        incoming.some(
          (c) =>
            c.from.name === 'sock_recvmsg_nosec' &&
            hopTables(c.from.detail, '经由 proto_ops.recvmsg（', '）').includes('packet_ops'),
        ),
      );
    });
  },
);
