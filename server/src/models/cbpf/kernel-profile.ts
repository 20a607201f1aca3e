// The places where classic BPF behaves differently between the kernel trees this project reads.
// Each field names the code it comes from; both trees were read side by side (net/core/filter.c).

export type KernelVersion = '6.1' | '6.12';

export interface KernelProfile {
  readonly version: KernelVersion;
  /**
   * Default net.core.optmem_max: the budget a socket's filter is charged against in
   * __sk_filter_charge. 6.1: sizeof(long) * (2 * UIO_MAXIOV + 512); 6.12: 128 KiB per netns.
   */
  readonly optmemMax: number;
  /**
   * SKF_AD_VLAN_TAG_PRESENT. 6.1 reads the skb's vlan_present bit; 6.12 (vlan_present was removed)
   * answers whether the 32-bit vlan_all (tpid and tci together) is non-zero.
   */
  readonly vlanPresent: 'present-bit' | 'tpid-or-tci';
  /**
   * bpf_skb_get_nlattr_nest's check of the outer attribute. 6.1 compares only nla_len with the
   * bytes left; 6.12 uses nla_ok, which also needs 4 bytes left and nla_len >= 4.
   */
  readonly nestedAttributeCheck: 'length-only' | 'nla-ok';
}

export const kernelProfiles: Readonly<Record<KernelVersion, KernelProfile>> = {
  '6.1': {
    version: '6.1',
    optmemMax: 20480,
    vlanPresent: 'present-bit',
    nestedAttributeCheck: 'length-only',
  },
  '6.12': { version: '6.12', optmemMax: 131072, vlanPresent: 'tpid-or-tci', nestedAttributeCheck: 'nla-ok' },
};

/** 6.12 is the closer of the two trees to the kernels this project runs on. */
export const defaultKernelVersion: KernelVersion = '6.12';

export function isKernelVersion(value: string): value is KernelVersion {
  return value === '6.1' || value === '6.12';
}

/**
 * sizeof(struct bpf_prog) on x86-64 in both trees: the header before the instruction array
 * (offsetof(struct bpf_prog, insns)), 72 bytes. bpf_prog_size(n) is this plus 8 bytes per instruction.
 */
const BPF_PROG_HEADER_BYTES = 72;

export function bpfProgSize(instructions: number): number {
  return BPF_PROG_HEADER_BYTES + 8 * instructions;
}
