// Packet ends compared packet by packet: by how, function and reason, with the models' declarations
// of where the kernel reports an end shown as declared, never dropped; a declaration for kernels from
// a later change on holds only for a live kernel of that release or newer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareEnds,
  describeDeclaredDifference,
  describeEndDifference,
  type ModelPacketEnd,
} from '../../../server/src/live/compare-ends';
import { releaseVersion, type LaterKernelChange } from '../../../server/src/models';
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

// A synthetic change newer than the indexed trees (not one of the models' own), in the shape the
// models declare: kernels from 7.3 on report no end where the model consumes, and free an skb
// without a socket in another function.
const change: LaterKernelChange = {
  since: '7.3',
  commit: '0123456789ab',
  subject: 'example: handler ends the skb itself',
  newCode: { file: 'net/x.c', pattern: 'return handler(skb);' },
};
const consumedHere = modelEnd({
  function: 'proto_rcv',
  how: 'consumed',
  declared: { change, kernel: [], why: 'the handler queues the skb itself' },
});
const freedHere = modelEnd({
  function: 'proto_rcv',
  how: 'freed',
  reason: 'NO_SOCKET',
  declared: {
    change,
    kernel: [{ how: 'freed', function: 'handler_rcv', reason: 'NO_SOCKET' }],
    why: 'the handler frees it',
  },
});

test('a declaration from a later change holds for kernels from its first release on, with the change named', () => {
  for (const release of ['7.3.0', '7.18.44-fc-v1272', '8.0.1']) {
    const none = compareEnds([consumedHere], [], undefined, release);
    assert.deepEqual(none.differences, [], release);
    assert.equal(none.declared.length, 1);
    assert.equal(none.declared[0].kernel, undefined);
    assert.equal(
      describeDeclaredDifference(none.declared[0]),
      'statement #2: model consumed in proto_rcv at net/x.c:10; kernel no end (declared: from 7.3 on ' +
        '(0123456789ab "example: handler ends the skb itself"): the handler queues the skb itself)',
    );
    const elsewhere = compareEnds(
      [freedHere],
      [kernelEnd('handler_rcv', 'freed', 'NO_SOCKET')],
      undefined,
      release,
    );
    assert.deepEqual(elsewhere.differences, [], release);
    assert.match(
      describeDeclaredDifference(elsewhere.declared[0]),
      /declared to be reported as freed in handler_rcv \(NO_SOCKET\); kernel freed at handler_rcv/,
    );
  }
});

test('before the change, or with no release known, the same kernel ends are differences', () => {
  for (const release of ['7.2.9', '6.18.44-fc-v1272', undefined]) {
    const none = compareEnds([consumedHere], [], undefined, release);
    assert.deepEqual(
      none.differences.map((d) => d.differs),
      [['missing']],
      String(release),
    );
    const elsewhere = compareEnds(
      [freedHere],
      [kernelEnd('handler_rcv', 'freed', 'NO_SOCKET')],
      undefined,
      release,
    );
    assert.deepEqual(
      elsewhere.differences.map((d) => d.differs),
      [['function']],
    );
    // The model's own end is what an older kernel reports.
    const own = compareEnds([freedHere], [kernelEnd('proto_rcv', 'freed', 'NO_SOCKET')], undefined, release);
    assert.deepEqual(own.differences, []);
    assert.equal(own.agreed.length, 1);
  }
});

test('on a kernel with the change, an end other than the declared one is still a difference', () => {
  const release = '7.4.0';
  // The declaration says no end; the kernel reports the model's own: an undeclared extra end.
  const kept = compareEnds([consumedHere], [kernelEnd('proto_rcv', 'consumed')], undefined, release);
  assert.deepEqual(
    kept.differences.map((d) => [d.differs, d.kernel?.function]),
    [[['missing'], 'proto_rcv']],
  );
  // The declaration names handler_rcv with NO_SOCKET; another reason there differs, and says what was declared.
  const reason = compareEnds(
    [freedHere],
    [kernelEnd('handler_rcv', 'freed', 'SOCKET_FILTER')],
    undefined,
    release,
  );
  assert.deepEqual(reason.differences[0].differs, ['reason']);
  assert.match(
    describeEndDifference(reason.differences[0]),
    /model freed in proto_rcv \(NO_SOCKET\) at net\/x\.c:10, declared to be reported as freed in handler_rcv \(NO_SOCKET\); kernel freed at handler_rcv\+0x10\/0x100 \(SOCKET_FILTER\)/,
  );
});

test('a declaration that keeps the model’s end adds the later kernel’s end after it, only from the change on', () => {
  const kept = modelEnd({
    function: 'proto_rcv',
    how: 'freed',
    reason: 'NO_SOCKET',
    declared: {
      change,
      kernel: [{ how: 'consumed', function: 'tap_rcv' }],
      ownEndKept: true,
      why: 'the tap gets the last reference',
    },
  });
  const both = [kernelEnd('proto_rcv', 'freed', 'NO_SOCKET'), kernelEnd('tap_rcv', 'consumed')];
  const after = compareEnds([kept], both, undefined, '7.3.1');
  assert.deepEqual(after.differences, []);
  assert.deepEqual([after.agreed.length, after.declared.length], [1, 1]);
  const before = compareEnds([kept], both, undefined, '7.2.0');
  assert.deepEqual(
    before.differences.map((d) => [d.differs, d.kernel?.function]),
    [[['missing'], 'tap_rcv']],
  );
});

test('a queue freed after an RCU grace period: its end wherever the kernel reported it, or none in the run', () => {
  const queued = modelEnd({
    function: '__sock_queue_rcv_skb',
    how: 'queued',
    declared: {
      kernel: [{ how: 'freed', function: 'inet_sock_destruct', reason: 'QUEUE_PURGE' }],
      afterGracePeriod: true,
      why: 'freed after an RCU grace period',
    },
  });
  const packetQueued = modelEnd({ function: 'packet_rcv', how: 'queued', packet: 1 });
  const exit: KernelPacketEnd = {
    packet: 0,
    how: 'queued',
    function: 'skb_queue_purge_reason',
    location: 'skb_queue_purge_reason+0x1/0x2',
    reason: 'QUEUE_PURGE',
  };
  // Not in the run: declared with no kernel end; the kernel's queued end pairs with the packet socket's.
  const after = compareEnds([queued, packetQueued], [exit], undefined, '6.1.0');
  assert.deepEqual(after.differences, []);
  assert.deepEqual(
    after.declared.map((d) => [d.model.function, d.kernel]),
    [['__sock_queue_rcv_skb', undefined]],
  );
  assert.match(describeDeclaredDifference(after.declared[0]), /kernel no end .*: no end within the run\)$/);
  // Within the run, at a later statement than the queueing (a close): paired there.
  const within = compareEnds(
    [queued],
    [kernelEnd('inet_sock_destruct', 'freed', 'QUEUE_PURGE', 7)],
    undefined,
    '6.1.0',
  );
  assert.deepEqual(within.differences, []);
  assert.equal(within.declared[0].kernel?.statement, 7);
  // Another function or reason is not the declared end.
  const other = compareEnds([queued], [kernelEnd('raw_rcv', 'freed', 'QUEUE_PURGE', 7)], undefined, '6.1.0');
  assert.deepEqual(
    other.differences.map((d) => [d.differs, d.kernel?.function]),
    [[['missing'], 'raw_rcv']],
  );
});

test('an unreadable kernel release is an error that names it', () => {
  assert.throws(
    () => compareEnds([consumedHere], [], undefined, 'linux'),
    /unreadable kernel release 'linux'/,
  );
  assert.deepEqual(releaseVersion('6.18.44-fc-v1272'), [6, 18]);
});
