// The kernel's verdict on each of the models' packet ends, from a comparison of ends (compare-ends.ts),
// keyed by the model's end: what the editor shows beside an end after Compare with Live Kernel.
import type { PacketEnd } from '../models';
import type { KernelVerdict } from '../trace/trace';
import type { EndsComparison } from './compare-ends';
import type { KernelPacketEnd } from '../scenario/result';

/** `__udp4_lib_rcv+0x4bc/0xd00` -> 0x4bc; undefined when the location has no offset. */
function offsetIn(location: string): number | undefined {
  const offset = /\+0x([0-9a-f]+)/i.exec(location);
  return offset ? Number.parseInt(offset[1], 16) : undefined;
}

function kernelSide(end: KernelPacketEnd): NonNullable<KernelVerdict['kernel']> {
  const offset = offsetIn(end.location);
  return {
    how: end.how,
    function: end.function,
    ...(offset === undefined ? {} : { offset }),
    ...(end.reason ? { reason: end.reason } : {}),
  };
}

/** One model end: its packet number and where and how it ended, so that only the same end of another run matches. */
export function endKey(end: PacketEnd): string {
  return `${end.packet} ${end.how} ${end.function} ${end.anchor} ${end.reason ?? ''}`;
}

export function verdictsByEnd(ends: EndsComparison): Map<string, KernelVerdict> {
  const verdicts = new Map<string, KernelVerdict>();
  for (const pair of ends.agreed)
    verdicts.set(endKey(pair.model), { agreed: true, kernel: kernelSide(pair.kernel) });
  for (const pair of ends.declared) {
    // A model end whose own end the kernel reports too keeps that verdict; the ends declared after it
    // are in the comparison's text.
    if (verdicts.has(endKey(pair.model))) continue;
    verdicts.set(endKey(pair.model), {
      agreed: true,
      declared: pair.declaration,
      ...(pair.kernel ? { kernel: kernelSide(pair.kernel) } : {}),
    });
  }
  for (const difference of ends.differences) {
    if (!difference.model) continue;
    verdicts.set(endKey(difference.model), {
      agreed: false,
      ...(difference.kernel ? { kernel: kernelSide(difference.kernel) } : {}),
    });
  }
  return verdicts;
}
