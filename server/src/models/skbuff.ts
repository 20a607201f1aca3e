// struct sk_buff with the fields these paths use, and the helpers that move its data pointer. The
// buffer is a byte array; data, mac_header and network_header are offsets into it, as in the kernel.
import type { ExpectedKernelEnd } from './events';
import type { ModelFrame } from './kernel';
import type { LaterKernelChange } from './later-kernels';
import type { NetDevice, PacketType, Sock } from './state';

export interface SkbControlBlock {
  /** PACKET_SKB_CB(skb)->sa.origlen. */
  origlen?: number;
  /** sockaddr_ll fields packet_rcv stores in the control block. */
  sll_hatype?: number;
  sll_pkttype?: number;
  sll_ifindex?: number;
  sll_addr?: number[];
  /** PKTINFO_SKB_CB(skb): what ipv4_pktinfo_prepare left for IP_PKTINFO (ipi_ifindex, ipi_spec_dst). */
  pktinfo?: { ipi_ifindex: number; ipi_spec_dst: string };
}

/**
 * The kernel sk_buff an SkBuff stands for. The models copy an SkBuff when they change its offsets in
 * place (skbView); the copies share this, so that references and the packet's end are counted once per
 * kernel sk_buff, as the kernel's tracepoints count them.
 */
export interface SkbIdentity {
  /** skb->users: deliver_skb takes one per handler but the last; the last reference dropped ends it. */
  users: number;
  /** File descriptors of the sockets it was queued to, in order. */
  queuedTo: number[];
  /** Where it was last queued: the model, its anchor and the statement. */
  queuedAt?: { function: string; file: string; anchor: string; statement: number };
  /** Set once its end is recorded. */
  ended: boolean;
  /**
   * From `change` on, the kernel delivers this skb to the handlers in another order, and `holder` gets
   * its last reference (set by __netif_receive_skb_core; the models keep the indexed tree's order).
   */
  laterLastHolder?: { change: LaterKernelChange; holder: PacketType };
  /**
   * Ends such a kernel reports for this skb where the model only drops a reference (the later last
   * holder's drop), declared on the model's end of the skb when it comes.
   */
  laterEnds?: { change: LaterKernelChange; ends: ExpectedKernelEnd[]; why: string };
}

export interface SkBuff {
  /** The kernel sk_buff this is (shared by views of it). */
  identity: SkbIdentity;
  head: number[];
  /** Offset of skb->data in head. */
  data: number;
  len: number;
  mac_header: number;
  network_header: number;
  transport_header: number;
  /** skb->protocol as stored (network byte order value read on a little-endian host). */
  protocol: number;
  pkt_type: number;
  dev?: NetDevice;
  vlan_present: boolean;
  vlan_tci: number;
  /** skb->vlan_proto, network byte order as stored. */
  vlan_proto: number;
  /** CHECKSUM_NONE, CHECKSUM_UNNECESSARY, CHECKSUM_COMPLETE or CHECKSUM_PARTIAL, by name. */
  ip_summed: 'CHECKSUM_NONE' | 'CHECKSUM_UNNECESSARY' | 'CHECKSUM_COMPLETE' | 'CHECKSUM_PARTIAL';
  truesize: number;
  sk?: Sock;
  cb: SkbControlBlock;
  /**
   * Bytes of head whose value the models do not know (an IP identification the kernel draws from a
   * keyed hash, and the checksum over it): copying them to user space stops the run as not modelled.
   */
  unmodelled?: readonly UnmodelledBytes[];
}

/** head[start, end) holds what `what` names, which the models cannot compute. */
export interface UnmodelledBytes {
  start: number;
  end: number;
  what: string;
}

/** The per-skb overhead the models charge to sk_rmem_alloc on top of the data (SKB_TRUESIZE's sk_buff + shared info). */
export const skbOverhead = 576;

const newIdentity = (): SkbIdentity => ({ users: 1, queuedTo: [], ended: false });

export function allocSkb(bytes: readonly number[], dev?: NetDevice): SkBuff {
  return {
    identity: newIdentity(),
    head: [...bytes],
    data: 0,
    len: bytes.length,
    mac_header: 0,
    network_header: 0,
    transport_header: 0,
    protocol: 0,
    pkt_type: 0,
    dev,
    vlan_present: false,
    vlan_tci: 0,
    vlan_proto: 0,
    ip_summed: 'CHECKSUM_NONE',
    truesize: bytes.length + skbOverhead,
    cb: {},
  };
}

/** skb_clone: a new sk_buff with its own offsets and control block over a copy of the data. */
export function skbClone(skb: SkBuff): SkBuff {
  return { ...skbView(skb), identity: newIdentity(), sk: undefined };
}

/** The same kernel sk_buff, with offsets and data the model may change without touching `skb`'s. */
export function skbView(skb: SkBuff): SkBuff {
  return {
    ...skb,
    head: [...skb.head],
    cb: {
      ...skb.cb,
      sll_addr: skb.cb.sll_addr && [...skb.cb.sll_addr],
      pktinfo: skb.cb.pktinfo && { ...skb.cb.pktinfo },
    },
  };
}

/** The first unmodelled bytes among the `length` bytes from skb->data, if any. */
export function unmodelledIn(skb: SkBuff, length: number): UnmodelledBytes | undefined {
  return skb.unmodelled?.find((r) => r.start < skb.data + length && r.end > skb.data);
}

export function skbData(skb: SkBuff): number[] {
  return skb.head.slice(skb.data, skb.data + skb.len);
}

export function skbPull(skb: SkBuff, bytes: number): void {
  skb.data += bytes;
  skb.len -= bytes;
}

export function skbPush(skb: SkBuff, bytes: number): void {
  skb.data -= bytes;
  skb.len += bytes;
}

export function skbTrim(skb: SkBuff, length: number): void {
  if (length < skb.len) skb.len = length;
}

export const skbNetworkOffset = (skb: SkBuff): number => skb.network_header - skb.data;

export function readBe16(bytes: readonly number[], offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

/** The value a __be16 holding `hostValue` has when read as a number on a little-endian host. */
export function htons(hostValue: number): number {
  return ((hostValue & 0xff) << 8) | ((hostValue >>> 8) & 0xff);
}
export const ntohs = htons;

/**
 * skb_share_check: when another holder shares `skb`, a clone, and the reference to `skb` is dropped at
 * `anchor`; otherwise `skb` itself.
 */
export function skbShareCheck(f: Pick<ModelFrame, 'consume'>, anchor: string, skb: SkBuff): SkBuff {
  if (skb.identity.users <= 1) return skbView(skb);
  const clone = skbClone(skb);
  f.consume(anchor, skb);
  return clone;
}
