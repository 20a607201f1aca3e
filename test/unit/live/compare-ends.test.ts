// Packet ends compared packet by packet: by how, function and reason, with the models' declarations
// of where the kernel reports an end shown as declared, never dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareEnds,
  describeEndDifference,
  type ModelPacketEnd,
} from '../../../server/src/live/compare-ends';
import type { KernelPacketEnd } from '../../../server/src/scenario/result';

const modelEnd = (
  end: Partial<ModelPacketEnd> & Pick<ModelPacketEnd, 'function' | 'how'>,
): ModelPacketEnd => ({
  packet: 0,
  statement: 2,
  file: 'net/x.c',
  anchor: 'drop',
  line: 10,
  ...end,
});
const kernelEnd = (
  fn: string,
  how: KernelPacketEnd['how'],
  reason?: string,
  statement = 2,
): KernelPacketEnd => ({
  packet: 0,
  statement,
  how,
  function: fn,
  location: `${fn}+0x10/0x100`,
  ...(reason ? { reason } : {}),
});

test('the same ends agree; a tail call and an inlined function are declared, shown with their declaration', () => {
  const result = compareEnds(
    [
      modelEnd({ function: '__udp4_lib_rcv', how: 'freed', reason: 'NO_SOCKET' }),
      modelEnd({
        function: 'ip_protocol_deliver_rcu',
        how: 'freed',
        reason: 'IP_NOPROTO',
        caller: 'ip_local_deliver_finish',
      }),
      modelEnd({ function: 'skb_free_datagram', how: 'consumed', statement: 5, caller: 'raw_recvmsg' }),
    ],
    [
      kernelEnd('__udp4_lib_rcv', 'freed', 'NO_SOCKET'),
      kernelEnd('ip_local_deliver_finish', 'freed', 'IP_NOPROTO'),
      kernelEnd('raw_recvmsg', 'consumed', undefined, 5),
    ],
  );
  assert.deepEqual(result.differences, []);
  assert.equal(result.compared, 3);
  assert.deepEqual(
    result.declared.map((d) => d.declaration),
    [
      'ip_protocol_deliver_rcu is inlined into ip_local_deliver_finish: the kernel reports ip_local_deliver_finish',
      'skb_free_datagram ends with a tail call to the freeing function: the kernel reports its caller',
    ],
  );
});

test('a declaration covers only the function it names: another caller is a difference', () => {
  const result = compareEnds(
    [modelEnd({ function: 'skb_free_datagram', how: 'consumed', caller: 'raw_recvmsg' })],
    [kernelEnd('packet_recvmsg', 'consumed')],
  );
  assert.deepEqual(result.differences[0].differs, ['function']);
  assert.match(
    describeEndDifference(result.differences[0]),
    /model consumed in skb_free_datagram at net\/x\.c:10; kernel consumed at packet_recvmsg\+0x10\/0x100/,
  );
});

test('how, reason and a packet only one side has are differences', () => {
  const result = compareEnds(
    [modelEnd({ function: 'ip_rcv_core', how: 'freed', reason: 'OTHERHOST' })],
    [kernelEnd('ip_rcv_core', 'consumed'), kernelEnd('packet_rcv', 'consumed')],
  );
  assert.deepEqual(
    result.differences.map((d) => d.differs),
    [['how', 'reason'], ['missing']],
  );
});

test('queued ends compare by how only; without kernel ends nothing is compared and the reason is kept', () => {
  const queued = compareEnds(
    [modelEnd({ function: 'packet_rcv', how: 'queued', statement: 3 })],
    [
      {
        packet: 0,
        how: 'queued',
        function: 'skb_queue_purge_reason',
        location: 'skb_queue_purge_reason+0x1/0x2',
        reason: 'QUEUE_PURGE',
      },
    ],
  );
  assert.deepEqual(queued.differences, []);
  const unavailable = compareEnds([modelEnd({ function: 'x', how: 'freed' })], undefined, 'not root');
  assert.equal(unavailable.unavailable, 'not root');
  assert.equal(unavailable.compared, 0);
});
