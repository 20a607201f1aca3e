// Every name, type text and value of an index, stored once and referred to by number. The strings
// live as UTF-8 bytes with their offsets and an open-addressing hash table, in memory as on disk: a
// loaded pool decodes no string until a query asks for it, and strings are copied from one pool to
// another (a worker's batch into the index) byte for byte, without becoming JavaScript strings.

const emptySlot = 0;
const maxLoad = 0.7;

/**
 * Half again, not double: a loaded whole-tree pool (about 50 MB) that takes one more string should
 * not leave 50 MB of room behind.
 */
const grownCapacity = (capacity: number, needed: number): number =>
  Math.max(needed, Math.ceil(capacity * 1.5) + 1024);

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
  /** UTF-8 of every string, [0, byteLength) in use; the rest is room to grow. */
  private bytes: Uint8Array;
  private byteLength: number;
  /** [0, count] in use. */
  private offsets: Uint32Array;
  private count: number;
  private slots: Int32Array;
  /**
   * Set while `slots` may be seen from outside (a loaded file, or sections handed out by freeze()):
   * the next insertion copies it first. Bytes and offsets are only ever written past what was seen.
   */
  private slotsShared: boolean;
  /** Strings decoded so far, by id. */
  private readonly decoded: (string | undefined)[];
  /** Ids of strings interned as text, so a worker naming the same type a thousand times looks it up once. */
  private readonly idsByText = new Map<string, number>();
  /**
   * Strings interned as text while the pool holds no bytes (a worker's batch): they are encoded all at
   * once when bytes are needed, with the table sized once, instead of one by one.
   */
  private readonly unencoded: string[] = [];
  private scratch = Buffer.allocUnsafe(256);

  constructor(sections?: PoolSections) {
    this.bytes = sections?.bytes ?? new Uint8Array(4096);
    this.offsets = sections?.offsets ?? new Uint32Array(512);
    this.count = sections ? sections.offsets.length - 1 : 0;
    this.byteLength = sections ? this.offsets[this.count] : 0;
    this.slots = sections?.slots ?? new Int32Array(1024);
    this.slotsShared = sections !== undefined;
    this.decoded = new Array<string | undefined>(this.count).fill(undefined);
  }

  get size(): number {
    return this.count + this.unencoded.length;
  }

  get(id: number): string {
    let text = this.decoded[id];
    if (text === undefined) {
      const { bytes, offsets } = this;
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
    const known = this.idsByText.get(text);
    if (known !== undefined) return known;
    // Without bytes, every string was interned as text.
    if (this.count === 0) return -1;
    const length = this.encode(text);
    const found = this.probe(this.scratch, 0, length, hashBytes(this.scratch, 0, length));
    return found >= 0 ? found : -1;
  }

  intern(text: string): number {
    const known = this.idsByText.get(text);
    if (known !== undefined) return known;
    let id: number;
    if (this.count === 0) {
      id = this.unencoded.length;
      this.unencoded.push(text);
    } else {
      const length = this.encode(text);
      id = this.insert(this.scratch, 0, length);
    }
    this.idsByText.set(text, id);
    this.decoded[id] = text;
    return id;
  }

  /** The id here of string `id` of `other`, added when missing; copied as bytes. */
  internFrom(other: StringPool, id: number): number {
    this.encodeUnencoded();
    return this.insert(other.bytes, other.offsets[id], other.offsets[id + 1]);
  }

  /** The whole pool in its persisted form. The arrays stay valid: later strings never change them. */
  freeze(): PoolSections {
    this.encodeUnencoded();
    this.slotsShared = true;
    return {
      bytes: this.bytes.subarray(0, this.byteLength),
      offsets: this.offsets.subarray(0, this.count + 1),
      slots: this.slots,
    };
  }

  /** Moves the strings interned as text into the bytes, keeping their ids (they are the first ids). */
  private encodeUnencoded(): void {
    if (this.unencoded.length === 0) return;
    let size = this.slots.length;
    while (this.unencoded.length > size * maxLoad) size *= 2;
    if (size > this.slots.length) this.rehash(size);
    for (const text of this.unencoded) {
      const length = this.encode(text);
      this.insert(this.scratch, 0, length);
    }
    this.unencoded.length = 0;
  }

  /** UTF-8 of `text` into the scratch buffer (which it may replace: read `scratch` after); its byte length. */
  private encode(text: string): number {
    if (text.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(text.length * 3);
    return this.scratch.write(text, 0, 'utf8');
  }

  /** The id of the bytes [start, end) of `source`, added when missing. */
  private insert(source: Uint8Array, start: number, end: number): number {
    const hash = hashBytes(source, start, end);
    const found = this.probe(source, start, end, hash);
    if (found >= 0) return found;
    const id = this.count;
    this.appendBytes(source, start, end);
    if (this.slotsShared) {
      this.slots = this.slots.slice();
      this.slotsShared = false;
    }
    this.slots[~found] = id + 1;
    if (this.count > this.slots.length * maxLoad) this.rehash(this.slots.length * 2);
    return id;
  }

  /** The id of the bytes [start, end) of `source` when present, else `~slot` of the empty slot found. */
  private probe(source: Uint8Array, start: number, end: number, hash: number): number {
    const { bytes, offsets, slots } = this;
    const length = end - start;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot];
      if (entry === emptySlot) return ~slot;
      const id = entry - 1;
      const at = offsets[id];
      if (offsets[id + 1] - at !== length) continue;
      let same = true;
      for (let i = 0; i < length && same; i++) same = bytes[at + i] === source[start + i];
      if (same) return id;
    }
  }

  private appendBytes(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.byteLength + length > this.bytes.length) {
      const grown = new Uint8Array(grownCapacity(this.bytes.length, this.byteLength + length));
      grown.set(this.bytes.subarray(0, this.byteLength));
      this.bytes = grown;
    }
    if (this.count + 2 > this.offsets.length) {
      const grown = new Uint32Array(grownCapacity(this.offsets.length, this.count + 2));
      grown.set(this.offsets.subarray(0, this.count + 1));
      this.offsets = grown;
    }
    const { bytes } = this;
    let at = this.byteLength;
    // Most names are short: a loop beats making a view for set().
    if (length < 64) for (let i = start; i < end; i++) bytes[at++] = source[i];
    else {
      bytes.set(source.subarray(start, end), at);
      at += length;
    }
    this.byteLength = at;
    this.count++;
    this.offsets[this.count] = at;
  }

  private rehash(size: number): void {
    const { bytes, offsets } = this;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = hashBytes(bytes, offsets[id], offsets[id + 1]) & mask;
      while (slots[slot] !== emptySlot) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.slotsShared = false;
  }
}
