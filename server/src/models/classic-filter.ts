// The seam between the receive-path models and the classic BPF model in ./cbpf: attaching checks a
// program the way setsockopt(SO_ATTACH_FILTER) does; running it sees the skb as the filter would.
import { checkClassicFilter, runClassicFilter, type CheckedProgram, type FilterContext } from './cbpf';
import { ModelError } from './kernel';
import type { KernelSeries } from './model';
import { ntohs, skbData, skbNetworkOffset, type SkBuff } from './skbuff';
import type { SockFilterInsn } from './state';

export interface AttachedFilter {
  instructions: readonly SockFilterInsn[];
  program: CheckedProgram;
}

export type AttachVerdict =
  { ok: true; filter: AttachedFilter } | { ok: false; errno: string; reason: string; rejectedBy: string };

export function checkFilter(instructions: readonly SockFilterInsn[], series: KernelSeries): AttachVerdict {
  const verdict = checkClassicFilter(instructions, { kernel: series });
  if (!verdict.accepted)
    return { ok: false, errno: verdict.errno, reason: verdict.reason, rejectedBy: verdict.rejectedBy };
  return { ok: true, filter: { instructions, program: verdict.program } };
}

/** The filter's return value for the skb as it stands (data from skb->data). */
export function runFilter(filter: AttachedFilter, skb: SkBuff): number {
  const context: FilterContext = {
    protocol: ntohs(skb.protocol),
    pktType: skb.pkt_type,
    device: skb.dev ? { ifindex: skb.dev.ifindex, hatype: skb.dev.type } : null,
    networkOffset: skbNetworkOffset(skb),
    linkOffset: skb.mac_header - skb.data,
    headroom: Uint8Array.from(skb.head.slice(Math.max(0, skb.mac_header), skb.data)),
    vlan: skb.vlan_present ? { tci: skb.vlan_tci, tpid: ntohs(skb.vlan_proto) } : undefined,
  };
  const run = runClassicFilter(filter.program, Uint8Array.from(skbData(skb)), context);
  if (run.result === null) {
    throw new ModelError(
      `the classic BPF model cannot finish this filter: ${run.end.cause === 'unsupported' ? run.end.detail : run.end.cause}`,
    );
  }
  return run.result;
}
