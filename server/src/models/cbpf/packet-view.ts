// The bytes a filter loads from: skb->data onwards plus the headroom before it, addressed the way
// bpf_skb_load_helper_{8,16,32} address them (bpf_skb_load_helper_convert_offset).
import type { FilterContext } from './context';
import { SKF_LL_OFF, SKF_NET_OFF } from './opcodes';

export type PacketLoad =
  | { readonly ok: true; readonly value: number; readonly offset: number }
  | { readonly ok: false; readonly reason: string };

export class PacketView {
  private readonly headroom: Uint8Array;

  constructor(
    readonly data: Uint8Array,
    private readonly context: FilterContext,
  ) {
    this.headroom = context.headroom ?? new Uint8Array(0);
    for (const [name, offset] of [
      ['networkOffset', context.networkOffset],
      ['linkOffset', context.linkOffset],
    ] as const) {
      if (offset !== undefined && (!Number.isInteger(offset) || offset < -this.headroom.length)) {
        throw new RangeError(
          `${name} ${offset} points before the ${this.headroom.length} bytes of headroom given`,
        );
      }
    }
  }

  /** skb->len: the bytes from data on (the model's skb is linear). */
  get length(): number {
    return this.data.length;
  }

  /** Maps a load offset (already an `int`) to an offset from data, as the kernel's helper does. */
  private resolve(offset: number): { offset: number } | { reason: string } {
    if (offset >= 0) return { offset };
    if (offset >= SKF_NET_OFF) return { offset: offset - SKF_NET_OFF + this.context.networkOffset };
    if (offset >= SKF_LL_OFF) {
      if (this.context.linkOffset === undefined)
        return { reason: 'SKF_LL_OFF load, but no link-layer header was set' };
      return { offset: offset - SKF_LL_OFF + this.context.linkOffset };
    }
    return { reason: `offset ${offset} is below SKF_LL_OFF` };
  }

  private byteAt(offset: number): number {
    return offset >= 0 ? this.data[offset] : this.headroom[this.headroom.length + offset];
  }

  /** A big-endian load of `size` bytes; fails past the end of the packet, like skb_copy_bits. */
  load(offset: number, size: 1 | 2 | 4): PacketLoad {
    const resolved = this.resolve(offset);
    if ('reason' in resolved) return { ok: false, reason: resolved.reason };
    const start = resolved.offset;
    if (start + size > this.data.length) {
      return {
        ok: false,
        reason: `bytes ${start}..${start + size - 1} are past the end of the ${this.data.length}-byte packet`,
      };
    }
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + this.byteAt(start + i);
    return { ok: true, value, offset: start };
  }
}
