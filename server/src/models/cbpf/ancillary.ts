// The ancillary loads: an absolute load whose k is SKF_AD_OFF + n reads an sk_buff field instead of
// packet bytes (bpf_anc_helper, convert_bpf_extensions). The size of the load does not matter.
import { SKF_AD_OFF, unsigned32 } from './opcodes';

export type AncillaryName =
  | 'proto'
  | 'type'
  | 'ifidx'
  | 'nla'
  | 'nlan'
  | 'mark'
  | 'queue'
  | 'hatype'
  | 'rxhash'
  | 'cpu'
  | 'xor_x'
  | 'vlan_tci'
  | 'vlan_avail'
  | 'poff'
  | 'rand'
  | 'vlan_tpid';

export interface Ancillary {
  /** The name bpf_asm gives it (`ld #proto`); xor_x has none there. */
  readonly name: AncillaryName;
  /** SKF_AD_* constant. */
  readonly number: number;
  /** The uapi constant, for messages. */
  readonly constant: string;
  /** eBPF instructions convert_bpf_extensions emits (vlan_avail depends on the kernel). */
  readonly ebpfLength: number;
}

const table: readonly Ancillary[] = [
  { name: 'proto', number: 0, constant: 'SKF_AD_PROTOCOL', ebpfLength: 2 },
  { name: 'type', number: 4, constant: 'SKF_AD_PKTTYPE', ebpfLength: 2 },
  { name: 'ifidx', number: 8, constant: 'SKF_AD_IFINDEX', ebpfLength: 4 },
  { name: 'nla', number: 12, constant: 'SKF_AD_NLATTR', ebpfLength: 4 },
  { name: 'nlan', number: 16, constant: 'SKF_AD_NLATTR_NEST', ebpfLength: 4 },
  { name: 'mark', number: 20, constant: 'SKF_AD_MARK', ebpfLength: 1 },
  { name: 'queue', number: 24, constant: 'SKF_AD_QUEUE', ebpfLength: 1 },
  { name: 'hatype', number: 28, constant: 'SKF_AD_HATYPE', ebpfLength: 4 },
  { name: 'rxhash', number: 32, constant: 'SKF_AD_RXHASH', ebpfLength: 1 },
  { name: 'cpu', number: 36, constant: 'SKF_AD_CPU', ebpfLength: 4 },
  { name: 'xor_x', number: 40, constant: 'SKF_AD_ALU_XOR_X', ebpfLength: 1 },
  { name: 'vlan_tci', number: 44, constant: 'SKF_AD_VLAN_TAG', ebpfLength: 1 },
  { name: 'vlan_avail', number: 48, constant: 'SKF_AD_VLAN_TAG_PRESENT', ebpfLength: 2 },
  { name: 'poff', number: 52, constant: 'SKF_AD_PAY_OFFSET', ebpfLength: 4 },
  { name: 'rand', number: 56, constant: 'SKF_AD_RANDOM', ebpfLength: 4 },
  { name: 'vlan_tpid', number: 60, constant: 'SKF_AD_VLAN_TPID', ebpfLength: 2 },
];

export const ancillaries: readonly Ancillary[] = table;

const byK = new Map(table.map((a) => [unsigned32(SKF_AD_OFF + a.number), a]));
const byName = new Map<string, Ancillary>(table.map((a) => [a.name, a]));
// bpf_asm also spells vlan_avail as vlan_pr.
byName.set('vlan_pr', byName.get('vlan_avail') as Ancillary);

/** The ancillary load an absolute load's k selects, if any. */
export function ancillaryAt(k: number): Ancillary | undefined {
  return byK.get(unsigned32(k));
}

export function ancillaryNamed(name: string): Ancillary | undefined {
  return byName.get(name.toLowerCase());
}

/** k values at or above this, read as u32, are ancillary; unknown ones are rejected by the checker. */
export const ANCILLARY_K_FLOOR = unsigned32(SKF_AD_OFF);
