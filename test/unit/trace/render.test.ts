import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScenario } from '../../../server/src/scenario/parse';
import { ScenarioConstants } from '../../../server/src/scenario/constants';
import { traceScenario, pathOf } from '../../../server/src/trace/trace';
import { renderTraceText } from '../../../server/src/trace/render-text';
import { renderTraceSvg } from '../../../server/src/trace/render-svg';
import { describeEnd, describeVerdict, endMark } from '../../../server/src/trace/describe-end';
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

async function closedPortTrace() {
  const { program } = await parseScenario(
    scenarioText(
      '\tknr_veth_pair();\n\tknr_send(KNR_IF_PEER, knr_ipv4_udp(KNR_ADDR_PEER, KNR_ADDR_VETH, 40000, 9, 10));',
    ),
    'udp.c',
  );
  const index = fakeKernelIndex('6.1.192', [udp]);
  return traceScenario(program!, index, new ScenarioConstants(index), {
    lines: (f) => (f === udp.file ? udp.lines : undefined),
  });
}

test('a trace places each packet end on the line of the tree that frees it', async () => {
  const trace = await closedPortTrace();
  assert.deepEqual(
    trace.ends?.map((end) => `${end.function}:${end.line} ${end.how} ${end.reason}`),
    ['__udp4_lib_rcv:4 freed NO_SOCKET'],
  );
});

const agreed = {
  agreed: true,
  kernel: { how: 'freed' as const, function: '__udp4_lib_rcv', offset: 0x2a4, reason: 'NO_SOCKET' },
};
const disagreed = {
  agreed: false,
  kernel: { how: 'freed' as const, function: 'ip_rcv_core', reason: 'OTHERHOST' },
};

test('an end and the kernel’s verdict in words: how, where, why, and whether the kernel agreed', () => {
  const base = { packet: 0, statement: 1, file: 'net/ipv4/udp.c', anchor: 'drop' };
  assert.equal(
    describeEnd({ ...base, how: 'freed', function: 'ip_rcv_core', reason: 'OTHERHOST' }),
    'freed in ip_rcv_core (OTHERHOST)',
  );
  assert.equal(
    describeEnd({ ...base, how: 'consumed', function: 'skb_free_datagram', queuedTo: [3] }),
    'consumed in skb_free_datagram (queued to fd 3)',
  );
  assert.equal(
    describeEnd({ ...base, how: 'queued', function: 'packet_rcv', queuedTo: [3, 4] }),
    'queued to fd 3, 4 in packet_rcv',
  );
  assert.equal(endMark({ ...base, how: 'freed', function: 'f', reason: 'NO_SOCKET' }), '✗ freed: NO_SOCKET');
  assert.equal(endMark({ ...base, how: 'queued', function: 'f', queuedTo: [3] }), '⇥ queued to fd 3');
  assert.equal(describeVerdict(agreed), 'kernel: kfree_skb in __udp4_lib_rcv+0x2a4 (NO_SOCKET) ✓');
  assert.equal(describeVerdict(disagreed), 'kernel: kfree_skb in ip_rcv_core (OTHERHOST) ✗');
  assert.equal(
    describeVerdict({
      agreed: true,
      declared: '6.1 frees with NOT_SPECIFIED',
      kernel: { how: 'consumed', function: 'f' },
    }),
    'kernel: consume_skb in f ✓ (declared: 6.1 frees with NOT_SPECIFIED)',
  );
  assert.equal(describeVerdict({ agreed: false }), 'kernel: no end recorded ✗');
});

test('the text form lists each packet’s end under the statement that ended it, with the kernel’s verdict when set', async () => {
  const trace = await closedPortTrace();
  const plain = renderTraceText(trace);
  assert.match(
    plain,
    /\n {2}packet 0 ended: freed in __udp4_lib_rcv \(NO_SOCKET\) {2}net\/ipv4\/udp\.c:4(\n|$)/,
  );
  assert.doesNotMatch(plain, /kernel:/);
  // Under statement [1] (the knr_send), after its events, before anything else.
  const statement = plain.indexOf('[1] line');
  assert.ok(statement >= 0 && plain.indexOf('packet 0 ended') > statement);
  trace.ends![0].verdict = agreed;
  assert.match(
    renderTraceText(trace),
    /packet 0 ended: .*\n {4}kernel: kfree_skb in __udp4_lib_rcv\+0x2a4 \(NO_SOCKET\) ✓/,
  );
});

test('the diagram shows each packet’s end under the box of the function that ended it, clickable, with the verdict', async () => {
  const trace = await closedPortTrace();
  const svg = renderTraceSvg(trace);
  const box = /<g data-node="__udp4_lib_rcv"><rect x="(\d+)" y="(\d+)"/.exec(svg);
  assert.ok(box, 'a box for __udp4_lib_rcv');
  const end =
    /<g data-node="end:0" data-end="freed"><text x="(\d+)" y="(\d+)" fill="#a93226">packet 0: freed in __udp4_lib_rcv \(NO_SOCKET\)<\/text><\/g>/.exec(
      svg,
    );
  assert.ok(end, svg);
  assert.ok(Number(end[2]) > Number(box[2]) + 36, 'below the box');
  assert.ok(Number(end[1]) > Number(box[1]), 'indented under it');
  // Boxes after it move down to make room: no box starts between the box and its end line.
  const tops = [...svg.matchAll(/<rect x="\d+" y="(\d+)" width="300"/g)].map((m) => Number(m[1]));
  assert.ok(tops.every((top) => top <= Number(box[2]) || top > Number(end[2])));
  trace.ends![0].verdict = disagreed;
  assert.match(
    renderTraceSvg(trace),
    /<g data-node="end:0" data-end="freed">.*<text [^>]*fill="#a93226" data-agreed="false">kernel: kfree_skb in ip_rcv_core \(OTHERHOST\) ✗<\/text><\/g>/,
  );
  // The diagram is wide enough for a long verdict line.
  const declared = 'the 6.1 series frees it in a function further down, with a reason of its own';
  trace.ends![0].verdict = { ...agreed, declared };
  const wide = renderTraceSvg(trace);
  const width = Number(/^<svg [^>]*width="(\d+)"/.exec(wide)![1]);
  const verdictLine = /<text x="(\d+)"[^>]*data-agreed="true">([^<]*)<\/text>/.exec(wide)!;
  assert.ok(width >= Number(verdictLine[1]) + 7 * verdictLine[2].length, `${width}`);
});
