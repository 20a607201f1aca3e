// Upstream changes, newer than the indexed trees, that change how the running kernel reports a packet's
// end. The models follow the indexed tree's source; where a live kernel from such a change on ends a
// packet elsewhere, the model declares it at the end's line (EndDeclaration), naming the change, so that
// knr compare shows the kernel's end as declared for kernels from `since` on, and as a difference before.
// knr check-models checks that the indexed tree predates each change (its version, and the new code
// absent from the file the change touches).

export interface LaterKernelChange {
  /** The first release with the change: it applies to live kernels from this version on. */
  since: string;
  /** The upstream commit (abbreviated hash) and its subject. */
  commit: string;
  subject: string;
  /** A line the change adds (`pattern`, in `file`): the indexed tree must not have it. */
  newCode: { file: string; pattern: string };
}

/**
 * ping_rcv queues the echo reply itself (or frees it with NO_SOCKET) and icmp_rcv returns: no clone
 * queued, and no end of the reply in icmp_rcv. In "Networking for v6.15" (net-next-6.15).
 */
export const pingRcvWithoutClone: LaterKernelChange = {
  since: '6.15',
  commit: 'a7e38208fe71',
  subject: 'inet: ping: avoid skb_clone() dance in ping_rcv()',
  newCode: { file: 'net/ipv4/ping.c', pattern: 'return __ping_queue_rcv_skb(sk, skb);' },
};

/**
 * A packet socket's hook that is not bound to a device goes on its namespace's ptype lists, which
 * __netif_receive_skb_core walks after ptype_base: such a socket gets a frame after IPv4 and holds
 * its last reference. In "Networking for v6.15" (net-next-6.15).
 */
export const perNamespacePacketChains: LaterKernelChange = {
  since: '6.15',
  commit: 'c353e8983e0d',
  subject: 'net: introduce per netns packet chains',
  newCode: { file: 'net/core/dev.c', pattern: 'af_packet_net->ptype_specific' },
};

export const laterKernelChanges: readonly LaterKernelChange[] = [
  pingRcvWithoutClone,
  perNamespacePacketChains,
];

/** `major.minor` of a kernel release (`6.18.44-fc-v1272` -> [6, 18]); an unreadable one is an error. */
export function releaseVersion(release: string): [number, number] {
  const match = /^(\d+)\.(\d+)/.exec(release);
  if (!match)
    throw new Error(`unreadable kernel release '${release}' (expected major.minor, as uname -r prints)`);
  return [Number(match[1]), Number(match[2])];
}

/** Whether a kernel of `release` has the change. */
export function releaseHasChange(release: string, change: LaterKernelChange): boolean {
  const [major, minor] = releaseVersion(release);
  const [sinceMajor, sinceMinor] = releaseVersion(change.since);
  return major > sinceMajor || (major === sinceMajor && minor >= sinceMinor);
}
