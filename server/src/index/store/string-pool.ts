// Every name, type text and value of an index, stored once and referred to by number. A pool loaded
// from disk stays in its persisted form (UTF-8 bytes, offsets, an open-addressing hash table), so
// opening an index decodes no string until a query asks for it; strings added later (files
// re-indexed after the load, a fresh build) sit in a Map beside it until the pool is saved.

const emptySlot = 0;

/** FNV-1a over UTF-8 bytes: the same function builds the persisted table and probes it. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}

export interface PoolSections {
  bytes: Uint8Array;
  /** Start of string i at offsets[i], end at offsets[i + 1]. */
  offsets: Uint32Array;
  /** Open addressing, power-of-two size: id + 1, or 0 for an empty slot. */
  slots: Int32Array;
}

export class StringPool {
  private frozen: PoolSections;
  private frozenCount: number;
  /** Strings of the frozen part decoded so far, by id. */
  private decoded: (string | undefined)[];
  private readonly added: string[] = [];
  private readonly addedIds = new Map<string, number>();

  constructor(sections?: PoolSections) {
    this.frozen = sections ?? {
      bytes: new Uint8Array(0),
      offsets: new Uint32Array(1),
      slots: new Int32Array(1),
    };
    this.frozenCount = this.frozen.offsets.length - 1;
    this.decoded = new Array<string | undefined>(this.frozenCount).fill(undefined);
  }

  get size(): number {
    return this.frozenCount + this.added.length;
  }

  get(id: number): string {
    if (id >= this.frozenCount) return this.added[id - this.frozenCount];
    let text = this.decoded[id];
    if (text === undefined) {
      const { bytes, offsets } = this.frozen;
      text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
        'utf8',
        offsets[id],
        offsets[id + 1],
      );
      this.decoded[id] = text;
    }
    return text;
  }

  /** The id of `text`, or -1 when the pool lacks it. */
  find(text: string): number {
    const added = this.addedIds.get(text);
    if (added !== undefined) return added;
    return this.findFrozen(text);
  }

  intern(text: string): number {
    const id = this.find(text);
    if (id >= 0) return id;
    const newId = this.size;
    this.added.push(text);
    this.addedIds.set(text, newId);
    return newId;
  }

  private findFrozen(text: string): number {
    if (this.frozenCount === 0) return -1;
    const { bytes, offsets, slots } = this.frozen;
    const probe = Buffer.from(text, 'utf8');
    const mask = slots.length - 1;
    for (let slot = hashBytes(probe, 0, probe.length) & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot];
      if (entry === emptySlot) return -1;
      const id = entry - 1;
      const start = offsets[id];
      if (offsets[id + 1] - start !== probe.length) continue;
      let same = true;
      for (let i = 0; i < probe.length && same; i++) same = bytes[start + i] === probe[i];
      if (same) return id;
    }
  }

  /** The whole pool in its persisted form; afterwards the pool itself uses that form. */
  freeze(): PoolSections {
    if (this.added.length === 0) return this.frozen;
    const frozenBytes = this.frozen.offsets[this.frozenCount];
    let total = frozenBytes;
    for (const text of this.added) total += Buffer.byteLength(text, 'utf8');
    const bytes = Buffer.allocUnsafeSlow(total);
    bytes.set(this.frozen.bytes.subarray(0, frozenBytes));
    const count = this.size;
    const offsets = new Uint32Array(count + 1);
    offsets.set(this.frozen.offsets.subarray(0, this.frozenCount + 1));
    let at = frozenBytes;
    this.added.forEach((text, i) => {
      // Written in place: a Buffer per string would cost more than the strings for millions of them.
      at += bytes.write(text, at, 'utf8');
      offsets[this.frozenCount + i + 1] = at;
    });
    let size = 1;
    while (size < count * 1.4) size *= 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < count; id++) {
      let slot = hashBytes(bytes, offsets[id], offsets[id + 1]) & mask;
      while (slots[slot] !== emptySlot) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    const decoded = new Array<string | undefined>(count).fill(undefined);
    for (let id = 0; id < this.frozenCount; id++) decoded[id] = this.decoded[id];
    this.added.forEach((text, i) => (decoded[this.frozenCount + i] = text));
    this.decoded = decoded;
    this.frozen = { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, total), offsets, slots };
    this.frozenCount = count;
    this.added.length = 0;
    this.addedIds.clear();
    return this.frozen;
  }
}
