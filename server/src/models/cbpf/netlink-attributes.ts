// SKF_AD_NLATTR and SKF_AD_NLATTR_NEST: find a netlink attribute in the packet
// (bpf_skb_get_nlattr, bpf_skb_get_nlattr_nest and lib/nlattr.c's nla_find). Attribute headers are
// { u16 nla_len; u16 nla_type } in host order, little-endian on x86-64.
import type { KernelProfile } from './kernel-profile';

const NLA_HDRLEN = 4;
const NLA_TYPE_MASK = 0x3fff;

const align4 = (length: number): number => (length + 3) & ~3;

function u16le(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8);
}

/** nla_ok: a whole attribute header and body fit in `remaining`. */
function attributeFits(bytes: Uint8Array, offset: number, remaining: number): boolean {
  return remaining >= NLA_HDRLEN && u16le(bytes, offset) >= NLA_HDRLEN && u16le(bytes, offset) <= remaining;
}

/** nla_find over bytes[start, start + length); the attribute's offset, or 0 when none matches. */
function findAttribute(bytes: Uint8Array, start: number, length: number, type: number): number {
  let offset = start;
  let remaining = length;
  while (attributeFits(bytes, offset, remaining)) {
    if ((u16le(bytes, offset + 2) & NLA_TYPE_MASK) === type) return offset;
    const step = align4(u16le(bytes, offset));
    remaining -= step;
    offset += step;
  }
  return 0;
}

/** The attributes start at offset A; the type searched for is X (an `int`, so large X never matches). */
export function findNetlinkAttribute(packet: Uint8Array, a: number, x: number): number {
  if (packet.length < NLA_HDRLEN || a > packet.length - NLA_HDRLEN) return 0;
  return findAttribute(packet, a, packet.length - a, x | 0);
}

/** The attribute at offset A is a nest; find type X inside it. */
export function findNestedNetlinkAttribute(
  packet: Uint8Array,
  a: number,
  x: number,
  profile: KernelProfile,
): number {
  if (packet.length < NLA_HDRLEN || a > packet.length - NLA_HDRLEN) return 0;
  const remaining = packet.length - a;
  const outerLength = u16le(packet, a);
  const fits =
    profile.nestedAttributeCheck === 'nla-ok'
      ? attributeFits(packet, a, remaining)
      : outerLength <= remaining;
  if (!fits) return 0;
  return findAttribute(packet, a + NLA_HDRLEN, outerLength - NLA_HDRLEN, x | 0);
}
