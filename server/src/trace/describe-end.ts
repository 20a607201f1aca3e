// The words for how a packet ended and for the live kernel's verdict on it, one wording for the text
// form, the path diagram, the trace view and the marks on the kernel's lines.
import type { PacketEnd } from '../models';
import type { KernelVerdict } from './trace';

/** The name of the value on a freeing line that an end's mark already says (`drop reason`). */
export { dropReasonValue } from '../models';

const fds = (queuedTo: readonly number[]): string => `fd ${queuedTo.join(', ')}`;

/** `freed in ip_rcv_core (OTHERHOST)`, `consumed in skb_free_datagram (queued to fd 3)`, `queued to fd 3 in packet_rcv`. */
export function describeEnd(end: PacketEnd): string {
  if (end.how === 'queued') return `queued to ${fds(end.queuedTo ?? [])} in ${end.function}`;
  const reason = end.reason !== undefined ? ` (${end.reason})` : '';
  const queued = end.queuedTo?.length ? ` (queued to ${fds(end.queuedTo)})` : '';
  return `${end.how} in ${end.function}${reason}${queued}`;
}

const symbols: Record<PacketEnd['how'], string> = { freed: '✗', consumed: '○', queued: '⇥' };

/** The short mark for the line that ends it: `✗ freed: NO_SOCKET`, `○ consumed`, `⇥ queued to fd 3`. */
export function endMark(end: PacketEnd): string {
  if (end.how === 'freed') return `${symbols.freed} freed: ${end.reason ?? 'no reason'}`;
  if (end.how === 'queued') return `${symbols.queued} queued to ${fds(end.queuedTo ?? [])}`;
  return `${symbols.consumed} consumed`;
}

/** What the kernel's tracepoint reports: kfree_skb and consume_skb by their names. */
const tracepointNames: Record<PacketEnd['how'], string> = {
  freed: 'kfree_skb',
  consumed: 'consume_skb',
  queued: 'queued',
};

/** `kernel: kfree_skb in ip_rcv_core+0x1a4 (OTHERHOST) ✓`; `declared` differences are named. */
export function describeVerdict(verdict: KernelVerdict): string {
  const mark = verdict.agreed ? '✓' : '✗';
  const declared = verdict.declared !== undefined ? ` (declared: ${verdict.declared})` : '';
  const kernel = verdict.kernel;
  if (kernel === undefined) return `kernel: no end recorded ${mark}${declared}`;
  const offset = kernel.offset !== undefined ? `+0x${kernel.offset.toString(16)}` : '';
  const reason = kernel.reason !== undefined ? ` (${kernel.reason})` : '';
  return `kernel: ${tracepointNames[kernel.how]} in ${kernel.function}${offset}${reason} ${mark}${declared}`;
}
