// Long texts (signatures, kernel-doc comments) as UTF-8 in one growing byte array, referred to by
// (offset, length): tens of MB in a whole tree, never worth interning.
import { hashBytes } from './string-pool';

/** Few enough bits that key * 2^26 + row stays exact in a double (see SortedIndex). */
export function nameKey(bytes: Uint8Array, start: number, end: number): number {
  const hash = hashBytes(bytes, start, end);
  return (hash ^ (hash >>> 21)) & 0x1fffff;
}

export const nameKeyOf = (name: string): number => {
  const bytes = Buffer.from(name, 'utf8');
  return nameKey(bytes, 0, bytes.length);
};

export class TextBlob {
  private bytes: Uint8Array;
  length: number;

  constructor(initial?: Uint8Array) {
    this.bytes = initial ?? new Uint8Array(64 * 1024);
    this.length = initial?.length ?? 0;
  }

  /** Appends `text` and returns its byte offset and length. */
  append(text: string): [offset: number, length: number] {
    const worst = text.length * 3;
    if (this.length + worst > this.bytes.length) this.grow(this.length + worst);
    const written = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).write(
      text,
      this.length,
      'utf8',
    );
    const offset = this.length;
    this.length += written;
    return [offset, written];
  }

  appendBytes(bytes: Uint8Array): number {
    if (this.length + bytes.length > this.bytes.length) this.grow(this.length + bytes.length);
    const offset = this.length;
    this.bytes.set(bytes, offset);
    this.length += bytes.length;
    return offset;
  }

  /** The 21-bit lookup key of the bytes at (offset, length), for names stored here (see 'hashed-name'). */
  nameKey(offset: number, length: number): number {
    return nameKey(this.bytes, offset, offset + length);
  }

  get(offset: number, length: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString(
      'utf8',
      offset,
      offset + length,
    );
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private grow(needed: number): void {
    let capacity = Math.max(64 * 1024, this.bytes.length);
    while (capacity < needed) capacity = Math.ceil(capacity * 1.5);
    const next = new Uint8Array(capacity);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
}
