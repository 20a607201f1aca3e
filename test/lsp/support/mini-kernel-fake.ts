// The fake index's answers for test/fixtures/mini-kernel, with spans taken from the fixture text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Installation } from '../../../server/src/index/queries';
import { FakeIndex, span } from './fake-index';
import { markedFile, miniKernel, positionOf } from './markers';

function spanOf(file: string, needle: string, after?: string) {
  const text = readFileSync(join(miniKernel, file), 'utf8');
  const at = positionOf(text, needle, { after });
  return span(at.line, at.character, needle.length);
}

export function miniKernelFake(): FakeIndex {
  const index = new FakeIndex(miniKernel);
  const packet = 'net/packet/af_packet.c';
  const header = 'include/linux/net.h';
  const packetText = readFileSync(join(miniKernel, packet), 'utf8');
  const doc = packetText.slice(packetText.indexOf('/**'), packetText.indexOf('*/') + 2);
  const packetRecvmsg = spanOf(packet, 'packet_recvmsg', 'static int ');
  index.addFunction(packet, {
    name: 'packet_recvmsg',
    span: { ...packetRecvmsg, column: 0, endLine: packetRecvmsg.line + 3, endColumn: 1 },
    nameSpan: packetRecvmsg,
    isStatic: true,
    isDefinition: true,
    signature: 'static int packet_recvmsg(struct socket *sock, struct msghdr *m, int len, int flags)',
    doc,
  });
  const inetRecvmsg = spanOf('net/ipv4/af_inet.c', 'inet_recvmsg');
  index.addFunction('net/ipv4/af_inet.c', {
    name: 'inet_recvmsg',
    span: inetRecvmsg,
    nameSpan: inetRecvmsg,
    isStatic: false,
    isDefinition: true,
    signature: 'int inet_recvmsg(struct socket *sock, struct msghdr *m, int len, int flags)',
  });
  const marked = markedFile(miniKernel, packet);
  const value = marked.at('designator_value');
  const slotSpan = span(value.line, value.character, 'packet_recvmsg'.length);
  index.file(packet).slots.push({
    table: 'packet_ops',
    struct: 'proto_ops',
    field: 'recvmsg',
    value: 'packet_recvmsg',
    addressOf: false,
    span: slotSpan,
    recovered: false,
  });
  const field = markedFile(miniKernel, header).at('field_recvmsg');
  const fieldSpan = span(field.line, field.character, 'recvmsg'.length);
  const structSpan = spanOf(header, 'proto_ops', 'struct proto_ops {');
  index.file(header).structs.push({
    name: 'proto_ops',
    kind: 'struct',
    span: { ...structSpan, endLine: structSpan.line + 4 },
    nameSpan: structSpan,
    fields: [
      {
        name: 'recvmsg',
        nameSpan: fieldSpan,
        type: 'int (*)(struct socket *, struct msghdr *, int, int)',
        isFunctionPointer: true,
      },
    ],
  });
  index.symbols.push(
    { kind: 'struct', name: 'proto_ops', file: header, span: structSpan, detail: 'struct proto_ops' },
    {
      kind: 'field',
      name: 'recvmsg',
      file: header,
      span: fieldSpan,
      container: 'proto_ops',
      detail: 'recvmsg',
    },
    { kind: 'macro', name: 'PF_PACKET', file: header, span: spanOf(header, 'PF_PACKET'), detail: '17' },
  );
  index.macros.set('PF_PACKET', '17');
  const installation = (
    fn: string,
    installer: string,
    evidence: Installation['evidence'],
    file: string,
    at: typeof slotSpan,
  ): Installation => ({
    function: fn,
    functionLocation: index.symbols.find((s) => s.name === fn && s.kind === 'function'),
    struct: 'proto_ops',
    field: 'recvmsg',
    source:
      evidence === 'assignment'
        ? { kind: 'binding', assignedIn: installer }
        : { kind: 'slot', table: installer },
    evidence,
    file,
    span: at,
  });
  index.installations.push(
    installation('inet_recvmsg', 'inet_init', 'assignment', 'net/ipv4/af_inet.c', inetRecvmsg),
    installation('packet_recvmsg', 'packet_ops', 'initializer', packet, slotSpan),
    installation(
      'packet_recvmsg',
      'packet_ops_spkt',
      'initializer',
      packet,
      spanOf(packet, 'packet_recvmsg', 'packet_ops_spkt'),
    ),
  );
  const call = markedFile(miniKernel, 'net/socket.c').at('indirect_call');
  const callSpan = span(call.line, call.character, 'recvmsg'.length);
  index.calls.push({
    file: 'net/socket.c',
    target: {
      file: 'net/socket.c',
      span: callSpan,
      caller: 'sock_recvmsg_plain',
      callee: 'recvmsg',
      struct: 'proto_ops',
      candidates: index.implementations('proto_ops', 'recvmsg'),
      indirect: true,
    },
  });
  index.file('net/socket.c').calls.push({
    caller: 'sock_recvmsg_plain',
    line: call.line,
    column: call.character,
    callee: 'recvmsg',
    receiver: { root: 'socket', fields: ['ops'] },
  });
  index.edges.push({
    caller: 'sock_recvmsg_plain',
    callee: 'packet_recvmsg',
    calleeLocation: index.symbols.find((s) => s.name === 'packet_recvmsg'),
    file: 'net/socket.c',
    span: callSpan,
    hop: { struct: 'proto_ops', field: 'recvmsg', tables: ['packet_ops'], evidence: 'initializer' },
    evidence: 'type-matched-call',
  });
  const direct = markedFile(miniKernel, 'net/socket.c').at('direct_call');
  index.calls.push({
    file: 'net/socket.c',
    target: {
      file: 'net/socket.c',
      span: span(direct.line, direct.character, 'sock_recvmsg_nosec'.length),
      caller: 'sock_recvmsg',
      callee: 'sock_recvmsg_nosec',
      candidates: [],
      indirect: false,
    },
  });
  // Looking this name up throws: the request guard's test.
  index.failing.add('sock_recvmsg_nosec');
  return index;
}
