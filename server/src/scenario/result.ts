// The result of running a scenario, one entry per executed call statement. The models (knr trace)
// and the live kernel (the conformance runner) both produce exactly this shape, so that the two can
// be compared field by field. docs/scenarios.md is the prose version of this contract; keep both in step.
//
// Determinism rules both producers follow:
// - Keys with no value are left out, never `null`; arrays of names are in ascending bit order.
// - Numbers are plain JSON numbers in host byte order (ports, EtherTypes, TCI, TPID).
// - Byte strings are lowercase hex without separators.

/** One scenario run. */
export interface ScenarioRun {
  /** The scenario's name: its file name without `.c`. */
  scenario: string;
  /** Who produced the results. */
  engine: 'model' | 'live';
  /** The kernel version the results are for: the indexed tree's Makefile version, or the live `uname -r`. */
  kernel: string;
  results: StatementResult[];
  /** Set when the run stopped before the end of `main` (the step bound, an unsupported statement). */
  stopped?: RunStop;
  /** Live runs: how each of the scenario's packets ended, from the kernel's tracepoints, in order. */
  ends?: KernelPacketEnd[];
  /** Live runs: why the packet ends could not be recorded (no tracefs, not root); then `ends` is absent. */
  endsUnavailable?: string;
}

/** One sk_buff's end as the live kernel's skb:kfree_skb or skb:consume_skb tracepoint reported it. */
export interface KernelPacketEnd {
  /** Packets in the order they ended, from 0. */
  packet: number;
  /** The result step of the statement running when it ended; absent for those ended after main returned. */
  statement?: number;
  /** `queued`: the packet was still queued when main returned (the program's exit released it). */
  how: 'freed' | 'consumed' | 'queued';
  /** The function the tracepoint names as `location`, without its offset. */
  function: string;
  /** The tracepoint's `location` as printed: `__udp4_lib_rcv+0x4bc/0xd00`. */
  location: string;
  /** kfree_skb's drop reason as the kernel prints it (`NO_SOCKET`). */
  reason?: string;
}

export interface RunStop {
  message: string;
  /** 1-based position of the statement the run stopped at. */
  line: number;
  column: number;
}

/**
 * The outcome of one executed statement that calls a system call or a helper. Statements without a
 * call (`int one = 1;`) produce no result; a statement inside a loop produces one result per iteration.
 */
export interface StatementResult {
  /** 0-based position in execution order. */
  step: number;
  /** 1-based line and column of the statement's first character in the scenario file. */
  line: number;
  column: number;
  /** The function called at the outermost level of the statement: `socket`, `recvmsg`, `knr_send`. */
  call: string;
  /** The call's return value (-1 when it failed). */
  return: number;
  /** Present exactly when the call failed: the errno's name, e.g. `ESOCKTNOSUPPORT`. */
  errno?: ErrnoName;
  /** recv, recvfrom, recvmsg that succeeded: bytes copied into the caller's buffer. */
  bytes?: number;
  /** recv, recvfrom, recvmsg that succeeded: the copied bytes as hex. */
  data?: string;
  /** recvmsg that succeeded: names of the bits set in msg_flags (`MSG_TRUNC`), ascending; `[]` when none. */
  msgFlags?: string[];
  /**
   * recvmsg that succeeded with msg_namelen > 0 after the call, or recvfrom with an address buffer and a
   * length > 0 after it: the decoded source address (of the bytes the kernel copied).
   */
  source?: SourceAddress;
  /** recvmsg that succeeded: every control message, in buffer order; `[]` when none. */
  control?: ControlMessage[];
  /**
   * recvfrom that succeeded with a non-NULL address and length: `*addrlen` after the call (the kernel's
   * length of the address, which may exceed the buffer).
   */
  sourceLength?: number;
  /** getsockopt that succeeded: `*optlen` after the call. */
  optlen?: number;
  /** getsockopt that succeeded: the first `optlen` bytes of the option buffer (at most its size before the call), as hex. */
  optval?: string;
  /** getsockname that succeeded: `*addrlen` after the call. */
  addressLength?: number;
  /** getsockname that succeeded with a non-empty address: decoded as `source` is. */
  address?: SourceAddress;
}

/**
 * errno names, one canonical name per value: EAGAIN (not EWOULDBLOCK), EOPNOTSUPP (not ENOTSUP).
 * Any other errno is written by its name from the C library's table.
 */
export type ErrnoName = string;

export type SourceAddress = PacketSourceAddress | InetSourceAddress | OtherSourceAddress;

/** struct sockaddr_ll. */
export interface PacketSourceAddress {
  family: 'AF_PACKET';
  /** sll_protocol in host byte order (the EtherType, 0x0800 for IPv4). */
  protocol: number;
  ifindex: number;
  /** ARPHRD_* value (1 for Ethernet, 772 for loopback). */
  hatype: number;
  /** PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST, PACKET_OTHERHOST or PACKET_OUTGOING. */
  pkttype: string;
  /** The first sll_halen bytes of sll_addr as `02:4b:4e:52:00:02` (lowercase; `` when halen is 0). */
  address: string;
}

/** struct sockaddr_in. */
export interface InetSourceAddress {
  family: 'AF_INET';
  /** Dotted quad. */
  address: string;
  /** Host byte order. */
  port: number;
}

export interface OtherSourceAddress {
  /** The AF_ name, or the number as a string when the producer has no name for it. */
  family: string;
  /** msg_namelen after the call. */
  length: number;
}

export type ControlMessage = PacketAuxdataMessage | OtherControlMessage;

/** cmsg_level SOL_PACKET, cmsg_type PACKET_AUXDATA: struct tpacket_auxdata by field. */
export interface PacketAuxdataMessage {
  level: 'SOL_PACKET';
  type: 'PACKET_AUXDATA';
  auxdata: TpacketAuxdata;
}

export interface TpacketAuxdata {
  tp_status: number;
  /**
   * Names of the TP_STATUS_ bits set, ascending: TP_STATUS_USER, TP_STATUS_LOSING,
   * TP_STATUS_CSUMNOTREADY, TP_STATUS_VLAN_VALID, TP_STATUS_VLAN_TPID_VALID, TP_STATUS_CSUM_VALID,
   * TP_STATUS_GSO_TCP; an unknown bit as `0x...`.
   */
  tp_status_names: string[];
  tp_len: number;
  tp_snaplen: number;
  tp_mac: number;
  tp_net: number;
  tp_vlan_tci: number;
  tp_vlan_tpid: number;
}

/** Any other control message: level and type by name when known, else the numbers; the data as hex. */
export interface OtherControlMessage {
  level: string;
  type: string;
  data: string;
}

/** Bits of msg_flags that a producer names, in ascending order of value. */
export const msgFlagNames = ['MSG_OOB', 'MSG_CTRUNC', 'MSG_TRUNC', 'MSG_EOR', 'MSG_ERRQUEUE'] as const;

/** TP_STATUS_ bits that tpacket_auxdata can carry, in ascending order of value. */
export const tpStatusNames = [
  'TP_STATUS_USER',
  'TP_STATUS_LOSING',
  'TP_STATUS_CSUMNOTREADY',
  'TP_STATUS_VLAN_VALID',
  'TP_STATUS_VLAN_TPID_VALID',
  'TP_STATUS_CSUM_VALID',
  'TP_STATUS_GSO_TCP',
] as const;
