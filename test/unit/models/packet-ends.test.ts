import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PacketEnd } from '../../../server/src/models';
import { runText } from './run-text';

const summary = (end: PacketEnd): string =>
  [end.statement, end.how, end.function, end.reason ?? '', (end.queuedTo ?? []).join(',')].join(' ');

const udpToClosedPort = [
  '\tknr_veth_pair();',
  '\tint raw = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);',
  '\tknr_send(KNR_IF_PEER, knr_ipv4_udp(KNR_ADDR_PEER, KNR_ADDR_VETH, 40000, 9, 10));',
  '\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 254, 10));',
  '\tchar buf[256];',
  '\trecv(raw, buf, sizeof(buf), MSG_DONTWAIT);',
];

test('a UDP datagram to a closed port is freed in __udp4_lib_rcv (NO_SOCKET), its raw clone is consumed when read', async () => {
  const run = await runText(udpToClosedPort.join('\n'));
  assert.deepEqual(run.ends.map(summary), [
    '2 freed __udp4_lib_rcv NO_SOCKET ',
    '3 freed ip_protocol_deliver_rcu IP_NOPROTO ',
    '4 consumed skb_free_datagram  3',
  ]);
  assert.deepEqual(
    run.ends.map((end) => end.packet),
    [0, 1, 2],
  );
});

test('the line that frees a packet has an event naming the drop reason', async () => {
  const run = await runText(udpToClosedPort.join('\n'));
  const freeing = run.events.filter((e) => e.values['drop reason'] !== undefined);
  assert.deepEqual(
    freeing.map((e) => `${e.function}:${e.anchor}:${e.branch}`),
    ['__udp4_lib_rcv:drop:freed: NO_SOCKET', 'ip_protocol_deliver_rcu:noProto:freed: IP_NOPROTO'],
  );
});

test('6.12 frees through sk_skb_reason_drop, the line the 6.12 tree has', async () => {
  const run = await runText(udpToClosedPort.join('\n'), '6.12.57');
  assert.equal(run.ends[0].anchor, 'reasonDrop');
});

test('taps share the frame: only the last holder ends it, each tap that queues has a clone of its own', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint a = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
      '\tint b = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
      '\tknr_send(KNR_IF_PEER, knr_ipv4_udp(KNR_ADDR_PEER, KNR_ADDR_VETH, 40000, 9, 10));',
      '\tchar buf[256];',
      '\trecv(a, buf, sizeof(buf), 0);',
    ].join('\n'),
  );
  // The two taps and IP share the frame; IP, the last handler, frees it; each tap queued a clone. The
  // port unreachable leaves on knr0 past both taps as one clone (skb2): the first tap clones it again,
  // the second queues skb2 itself. The first recv reads the datagram; the rest stays queued.
  assert.deepEqual(run.ends.map(summary), [
    '3 freed __udp4_lib_rcv NO_SOCKET ',
    '4 consumed skb_free_datagram  3',
    '3 queued packet_rcv  3',
    '3 queued packet_rcv  4',
    '3 queued packet_rcv  4',
  ]);
});

test('a frame no handler takes is freed in __netif_receive_skb_core (UNHANDLED_PROTO); a last tap takes it instead', async () => {
  const alone = await runText(
    ['\tknr_veth_pair();', '\tknr_send(KNR_IF_PEER, knr_ethernet(0x88b5, 20));'].join('\n'),
  );
  assert.deepEqual(alone.ends.map(summary), ['1 freed __netif_receive_skb_core UNHANDLED_PROTO ']);
  const tapped = await runText(
    [
      '\tknr_veth_pair();',
      '\tint a = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
      '\tstruct sock_filter code[] = { { 0x06, 0, 0, 0 } };',
      '\tstruct sock_fprog prog = { .len = 1, .filter = code };',
      '\tsetsockopt(a, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));',
      '\tknr_send(KNR_IF_PEER, knr_ethernet(0x88b5, 20));',
    ].join('\n'),
  );
  // The tap is pt_prev: called with the core's reference, its filter's drop is the frame's end.
  assert.deepEqual(tapped.ends.map(summary), ['3 consumed packet_rcv  ']);
});

test('a drop reason the tree does not define stops the run as an error of the model', async () => {
  const run = await runText(udpToClosedPort.join('\n'), '6.1.192');
  const kernel = run.kernel;
  assert.throws(
    () => kernel.checkDropReason('NO_SUCH_REASON'),
    /enum skb_drop_reason does not define SKB_DROP_REASON_NO_SUCH_REASON/,
  );
  kernel.checkDropReason('NO_SOCKET');
});

test('closing a packet socket purges its queue: kfree_skb in skb_queue_purge on 6.1, QUEUE_PURGE on 6.12', async () => {
  const body = [
    '\tknr_veth_pair();',
    '\tint a = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
    '\tknr_send(KNR_IF_PEER, knr_ethernet(0x88b5, 20));',
    '\tclose(a);',
  ].join('\n');
  const old = await runText(body, '6.1.192');
  assert.deepEqual(old.ends.map(summary), ['3 freed skb_queue_purge NOT_SPECIFIED 3']);
  const recent = await runText(body, '6.12.57');
  assert.deepEqual(recent.ends.map(summary), ['3 freed skb_queue_purge_reason QUEUE_PURGE 3']);
});

test('a closed raw socket’s queue is freed after an RCU grace period: its skbs stay queued in the run', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint raw = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);',
      '\tknr_send(KNR_IF_PEER, knr_ipv4_udp(KNR_ADDR_PEER, KNR_ADDR_VETH, 40000, 9, 10));',
      '\tclose(raw);',
    ].join('\n'),
  );
  assert.deepEqual(run.ends.map(summary), [
    '2 freed __udp4_lib_rcv NO_SOCKET ',
    '2 queued __sock_queue_rcv_skb  3',
  ]);
});

test('a datagram to a neighbour address is freed by ip_error (IP_INADDRERRORS), the route input when forwarding is off', async () => {
  const run = await runText(
    ['\tknr_veth_pair();', '\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 10));'].join(
      '\n',
    ),
  );
  assert.deepEqual(run.ends.map(summary), ['1 freed ip_error IP_INADDRERRORS ']);
  assert.equal(run.ends[0].caller, 'ip_rcv');
});

test("an ICMP message shorter than its header fails icmp_rcv's checksum check: freed with ICMP_CSUM", async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, IPPROTO_ICMP, 2));',
    ].join('\n'),
  );
  assert.deepEqual(run.ends.map(summary), ['1 freed icmp_rcv ICMP_CSUM ']);
});

test('a packet socket frame shorter than the link header is freed in packet_snd after its skb was built', async () => {
  const run = await runText(
    [
      '\tint raw = socket(AF_PACKET, SOCK_RAW, htons(0x88b5));',
      '\tchar frame[10] = { 0 };',
      '\tstruct sockaddr_ll lo = { .sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = KNR_IFINDEX_LO, .sll_halen = 6 };',
      '\tsendto(raw, frame, sizeof(frame), 0, (struct sockaddr *)&lo, sizeof(lo));',
    ].join('\n'),
  );
  assert.deepEqual(run.ends.map(summary), ['1 freed packet_snd NOT_SPECIFIED ']);
});
