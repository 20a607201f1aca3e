// What sk_filter_trim_cap does with a filter's result: 0 drops the packet (-EPERM); otherwise
// pskb_trim(skb, max(cap, result)), which only ever shortens.

export type TrimVerdict =
  | { readonly action: 'drop'; readonly errno: 'EPERM' }
  | { readonly action: 'keep'; readonly length: number; readonly trimmed: boolean };

/** `cap` is the least the packet may be trimmed to (sk_filter passes 1, TCP passes its header size). */
export function filterVerdict(result: number, packetLength: number, cap: number): TrimVerdict {
  if (result === 0) return { action: 'drop', errno: 'EPERM' };
  const length = Math.min(packetLength, Math.max(cap, result));
  return { action: 'keep', length, trimmed: length < packetLength };
}
