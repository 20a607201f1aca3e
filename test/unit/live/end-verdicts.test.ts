// The kernel's verdict on each model end, as the editor shows it after Compare with Live Kernel: agreed,
// agreed as the model declares, or differing, with the kernel's own end and the offset of its location.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareEnds, type ModelPacketEnd } from '../../../server/src/live/compare-ends';
import { endKey, verdictsByEnd } from '../../../server/src/live/end-verdicts';
import type { KernelPacketEnd } from '../../../server/src/scenario/result';

const modelEnd = (
  packet: number,
  fn: string,
  how: ModelPacketEnd['how'],
  reason?: string,
): ModelPacketEnd => ({
  packet,
  statement: 2,
  file: 'net/x.c',
  anchor: 'drop',
  line: 10,
  function: fn,
  how,
  ...(reason ? { reason } : {}),
});
const kernelEnd = (
  packet: number,
  fn: string,
  how: KernelPacketEnd['how'],
  reason?: string,
): KernelPacketEnd => ({
  packet,
  statement: 2,
  how,
  function: fn,
  location: `${fn}+0x4bc/0xd00`,
  ...(reason ? { reason } : {}),
});

test('each model end gets the verdict of its pair: agreed, declared, or differing with the kernel end', () => {
  const agreeing = modelEnd(0, '__udp4_lib_rcv', 'freed', 'NO_SOCKET');
  const declared = { ...modelEnd(1, 'skb_free_datagram', 'consumed'), caller: 'raw_recvmsg' };
  const differing = modelEnd(2, 'ip_rcv_core', 'freed', 'OTHERHOST');
  const unmatched = modelEnd(3, 'packet_rcv', 'consumed');
  const comparison = compareEnds(
    [agreeing, declared, differing, unmatched],
    [
      kernelEnd(0, '__udp4_lib_rcv', 'freed', 'NO_SOCKET'),
      kernelEnd(1, 'raw_recvmsg', 'consumed'),
      kernelEnd(2, 'packet_rcv', 'consumed'),
    ],
  );
  const verdicts = verdictsByEnd(comparison);
  assert.deepEqual(verdicts.get(endKey(agreeing)), {
    agreed: true,
    kernel: { how: 'freed', function: '__udp4_lib_rcv', offset: 0x4bc, reason: 'NO_SOCKET' },
  });
  const declaredVerdict = verdicts.get(endKey(declared));
  assert.equal(declaredVerdict?.agreed, true);
  assert.match(declaredVerdict?.declared ?? '', /tail call/);
  assert.deepEqual(verdicts.get(endKey(differing)), {
    agreed: false,
    kernel: { how: 'consumed', function: 'packet_rcv', offset: 0x4bc },
  });
  assert.deepEqual(verdicts.get(endKey(unmatched)), { agreed: false });
});

test("a verdict belongs to the same end only: another run's end of that packet elsewhere gets none", () => {
  const end = modelEnd(0, '__udp4_lib_rcv', 'freed', 'NO_SOCKET');
  const verdicts = verdictsByEnd(compareEnds([end], [kernelEnd(0, '__udp4_lib_rcv', 'freed', 'NO_SOCKET')]));
  assert.equal(verdicts.get(endKey({ ...end, function: 'udp_rcv' })), undefined);
  assert.equal(verdicts.get(endKey({ ...end, reason: 'OTHERHOST' })), undefined);
});
