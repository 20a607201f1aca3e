// The scenario's packet ends picked out of a trace: synthetic trace lines in the kernel's format, with
// unrelated traffic interleaved on the same CPUs and in the scenario's own task's time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  endsFromTrace,
  locationFunction,
  parseTraceLine,
  TraceParseError,
} from '../../../server/src/live/skb-ends';

const header = ['# tracer: nop', '#', '#                                _-----=> irqs-off/BH-disabled', ''];

function line(task: string, cpu: number, flags: string, event: string, text: string): string {
  return `${task.padStart(16)} [00${cpu}] ${flags} 60923.530813: ${event}: ${text}`;
}

const scenario = 'scenario-300';
const other = 'ping-400';

const trace = [
  ...header,
  // `ip netns exec` before the program starts: not the scenario's.
  line(scenario, 0, '.....', 'consume_skb', 'skbaddr=00000000000000a1 location=netlink_recvmsg+0x171/0x2e0'),
  line(scenario, 0, '.....', 'tracing_mark_write', 'knr begin'),
  line(scenario, 0, '.....', 'tracing_mark_write', 'knr statement 2'),
  line(scenario, 0, 'b....', 'net_dev_queue', 'dev=knr1 skbaddr=00000000000000b1 len=52'),
  line(scenario, 0, 'b....', 'netif_rx', 'dev=knr0 skbaddr=00000000000000b1 len=38'),
  // Unrelated traffic of another namespace, in softirq on the scenario's time and on another CPU.
  line(scenario, 0, '..s1.', 'netif_receive_skb', 'dev=lo skbaddr=00000000000000c1 len=30'),
  line(
    scenario,
    0,
    '..s1.',
    'kfree_skb',
    'skbaddr=00000000000000c1 rx_sk=0000000000000000 protocol=2048 location=__udp4_lib_rcv+0x4bc/0xd00 reason: NO_SOCKET',
  ),
  line(other, 1, '..s1.', 'netif_receive_skb', 'dev=lo skbaddr=00000000000000c2 len=30'),
  line(other, 1, '.....', 'tracing_mark_write', 'knr statement 7'),
  line(scenario, 0, '..s1.', 'netif_receive_skb', 'dev=knr0 skbaddr=00000000000000b1 len=38'),
  // The reply the kernel sends back to the peer while delivering the scenario's frame.
  line(scenario, 0, 'b.s2.', 'net_dev_queue', 'dev=knr0 skbaddr=00000000000000b2 len=80'),
  line(scenario, 0, 'b.s2.', 'netif_rx', 'dev=knr1 skbaddr=00000000000000b2 len=66'),
  // A clone made during delivery: its address was never announced.
  line(
    scenario,
    0,
    '..s1.',
    'kfree_skb',
    'skbaddr=00000000000000d1 rx_sk=0000000000000000 protocol=2048 location=raw_rcv+0x40/0x100 reason: SOCKET_FILTER',
  ),
  line(
    other,
    1,
    '..s1.',
    'kfree_skb',
    'skbaddr=00000000000000c2 rx_sk=0000000000000000 protocol=2048 location=__udp4_lib_rcv+0x4bc/0xd00 reason: NO_SOCKET',
  ),
  line(
    scenario,
    0,
    '..s1.',
    'kfree_skb',
    'skbaddr=00000000000000b1 rx_sk=0000000000000000 protocol=2048 location=__udp4_lib_rcv+0x4bc/0xd00 reason: NO_SOCKET',
  ),
  // The reply arrives in the peer namespace: not the scenario's any more.
  line(scenario, 0, '..s1.', 'netif_receive_skb', 'dev=knr1 skbaddr=00000000000000b2 len=66'),
  line(scenario, 0, '..s1.', 'consume_skb', 'skbaddr=00000000000000b2 location=icmp_rcv+0x259/0x3a0'),
  line(
    scenario,
    0,
    '..s1.',
    'napi_poll',
    'napi poll on napi struct 00000000e578633c for device (no_device) work 2 budget 64',
  ),
  // Unrelated traffic received again after the poll, the scenario's CPU, same address reused.
  line(
    scenario,
    0,
    '..s1.',
    'kfree_skb',
    'skbaddr=00000000000000d1 rx_sk=0000000000000000 protocol=2048 location=ip_rcv_core+0x1/0x2 reason: OTHERHOST',
  ),
  line(scenario, 1, '.....', 'tracing_mark_write', 'knr statement 3'),
  line(scenario, 1, '.....', 'consume_skb', 'skbaddr=00000000000000e1 location=raw_recvmsg+0xac/0x1d0'),
  line(other, 1, '.....', 'consume_skb', 'skbaddr=00000000000000e2 location=raw_recvmsg+0xac/0x1d0'),
  line(scenario, 1, '.....', 'tracing_mark_write', 'knr end'),
  line(
    scenario,
    1,
    '.....',
    'kfree_skb',
    'skbaddr=00000000000000e3 rx_sk=0000000000000000 protocol=3 location=skb_queue_purge_reason+0xfc/0x140 reason: QUEUE_PURGE',
  ),
].join('\n');

test("only the scenario's own ends are kept, each on its statement", () => {
  const ends = endsFromTrace(trace, { peerDevices: ['knr1'] });
  assert.deepEqual(
    ends.map((end) => [end.packet, end.statement, end.how, end.function, end.reason]),
    [
      [0, 2, 'freed', 'raw_rcv', 'SOCKET_FILTER'],
      [1, 2, 'freed', '__udp4_lib_rcv', 'NO_SOCKET'],
      [2, 3, 'consumed', 'raw_recvmsg', undefined],
      [3, undefined, 'queued', 'skb_queue_purge_reason', 'QUEUE_PURGE'],
    ],
  );
  assert.equal(ends[1].location, '__udp4_lib_rcv+0x4bc/0xd00');
});

test('without the program\'s "knr begin" marker nothing is the scenario\'s', () => {
  const withoutBegin = trace.replace('knr begin', 'something else');
  assert.deepEqual(endsFromTrace(withoutBegin, { peerDevices: [] }), []);
});

test('a line that is not a trace record is an error naming its line', () => {
  assert.throws(
    () => endsFromTrace('# header\ngarbage', { peerDevices: [] }),
    (error: unknown) => {
      assert.ok(error instanceof TraceParseError);
      assert.match(error.message, /trace line 2/);
      return true;
    },
  );
  assert.equal(parseTraceLine('# tracer: nop', 1), undefined);
});

test('the function of a location drops the offset and a module name', () => {
  assert.equal(locationFunction('packet_rcv+0x30/0x4a0 [af_packet]'), 'packet_rcv');
  assert.equal(locationFunction('icmp_rcv+0x259/0x3a0'), 'icmp_rcv');
  assert.equal(
    locationFunction('__netif_receive_skb_core.constprop.0+0x388/0x1450'),
    '__netif_receive_skb_core',
  );
});
