import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScenario } from '../../../server/src/scenario/parse';
import { ScenarioConstants } from '../../../server/src/scenario/constants';
import { traceScenario, pathOf } from '../../../server/src/trace/trace';
import { renderTraceText } from '../../../server/src/trace/render-text';
import { renderTraceSvg } from '../../../server/src/trace/render-svg';
import { fakeKernelIndex, type FakeSourceFile } from '../models/fake-kernel-index';
import { scenarioText } from '../models/run-text';

const afPacket: FakeSourceFile = {
  file: 'net/packet/af_packet.c',
  lines: [
    'static int packet_create(struct net *net, struct socket *sock, int protocol,',
    '\t\t\t int kern)',
    '{',
    '\tif (sock->type != SOCK_DGRAM && sock->type != SOCK_RAW &&',
    '\t    sock->type != SOCK_PACKET)',
    '\t\treturn -ESOCKTNOSUPPORT;',
    '}',
  ],
  functions: [{ name: 'packet_create', first: 0, last: 6 }],
};

async function streamTrace() {
  const { program } = await parseScenario(
    scenarioText('\tsocket(AF_PACKET, SOCK_STREAM, htons(ETH_P_ALL));'),
    'stream.c',
  );
  const index = fakeKernelIndex('6.1.192', [afPacket]);
  return traceScenario(program!, index, new ScenarioConstants(index), {
    lines: (f) => (f === afPacket.file ? afPacket.lines : undefined),
  });
}

test('trace events carry 1-based lines of the kernel source and the kernel line itself', async () => {
  const trace = await streamTrace();
  const check = trace.events.find((e) => e.function === 'packet_create' && e.anchor === 'typeCheck')!;
  assert.equal(check.line, 4);
  assert.equal(check.source, 'if (sock->type != SOCK_DGRAM && sock->type != SOCK_RAW &&');
  assert.equal(check.file, 'net/packet/af_packet.c');
  assert.deepEqual(pathOf(trace), [
    '__sys_socket',
    '__sock_create',
    'net_proto_family.create->packet_create',
    'packet_create',
  ]);
  const unresolved = trace.events.find((e) => e.function === '__sock_create' && e.anchor === 'lookup')!;
  assert.match(unresolved.unresolved ?? '', /no definition of __sock_create/);
});

test('the text form shows the result, the function header, the numbered kernel line and the branch', async () => {
  const text = renderTraceText(await streamTrace());
  assert.match(text, /\[0\] line 5: socket\(\) = -1, ESOCKTNOSUPPORT/);
  assert.match(text, /packet_create {2}net\/packet\/af_packet\.c:1/);
  assert.match(
    text,
    / {4}4 \| if \(sock->type != SOCK_DGRAM && sock->type != SOCK_RAW &&\n.*sock->type = 1; -> type rejected: -ESOCKTNOSUPPORT/,
  );
});

test('the SVG has one box per function and labels the ops hop', async () => {
  const svg = renderTraceSvg(await streamTrace());
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<rect /g) ?? []).length, 3);
  assert.match(svg, /net_proto_family\.create \(packet_family_ops\)/);
});

test('a trace places each packet end on the line of the tree that frees it', async () => {
  const udp: FakeSourceFile = {
    file: 'net/ipv4/udp.c',
    lines: [
      'int __udp4_lib_rcv(struct sk_buff *skb, struct udp_table *udptable, int proto)',
      '{',
      '\ticmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);',
      '\tkfree_skb_reason(skb, drop_reason);',
      '}',
    ],
    functions: [{ name: '__udp4_lib_rcv', first: 0, last: 4 }],
  };
  const { program } = await parseScenario(
    scenarioText(
      '\tknr_veth_pair();\n\tknr_send(KNR_IF_PEER, knr_ipv4_udp(KNR_ADDR_PEER, KNR_ADDR_VETH, 40000, 9, 10));',
    ),
    'udp.c',
  );
  const index = fakeKernelIndex('6.1.192', [udp]);
  const trace = traceScenario(program!, index, new ScenarioConstants(index), {
    lines: (f) => (f === udp.file ? udp.lines : undefined),
  });
  assert.deepEqual(
    trace.ends?.map((end) => `${end.function}:${end.line} ${end.how} ${end.reason}`),
    ['__udp4_lib_rcv:4 freed NO_SOCKET'],
  );
});
