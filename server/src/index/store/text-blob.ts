// Long texts (signatures, kernel-doc comments, #define names) as UTF-8 in fixed-size chunks of
// bytes, referred to by (offset, length): hundreds of MB in a whole tree, never worth interning. A
// text never straddles two chunks (the rest of a chunk is left empty), so a saved blob is the chunks
// one after the other and an offset means the same in memory and on disk. A loaded blob may be
// checked chunk by chunk on first use (see ByteCheck).
import { firstUse, savedChunks, type ByteCheck } from './saved-chunks';
import { hashBytes } from './string-pool';

const chunkBytes = 4 * 1024 * 1024;
/** A small blob (a worker's batch of a few files) stays small. */
const smallestChunk = 64 * 1024;

/** Where nameKeyOf encodes a name: millions of #define names are hashed while indexing. */
let nameBytes = Buffer.alloc(1024);

/**
 * The lookup key of a name stored here (see 'hashed-name'): 21 bits of its hash, few enough that
 * key * 2^26 + row stays exact in a double (see SortedIndex).
 */
export function nameKeyOf(name: string): number {
  // At most 3 UTF-8 bytes per UTF-16 unit.
  if (name.length * 3 > nameBytes.length) nameBytes = Buffer.alloc(name.length * 3);
  const hash = hashBytes(nameBytes, 0, nameBytes.write(name, 0, 'utf8'));
  return (hash ^ (hash >>> 21)) & 0x1fffff;
}

export class TextBlob {
  /** A loaded chunk not checked yet is missing here; it waits in `unchecked`. */
  private readonly chunks: (Buffer | undefined)[];
  private readonly unchecked: Buffer[];
  length: number;

  /** With `check`, each loaded chunk is checked (and may throw) before its first use. */
  constructor(
    initial?: Uint8Array | readonly Uint8Array[],
    private readonly check?: ByteCheck,
  ) {
    const saved = savedChunks(initial, chunkBytes).map((piece) =>
      Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength),
    );
    this.length = saved.reduce((sum, chunk) => sum + chunk.length, 0);
    this.unchecked = check ? saved : [];
    this.chunks = check ? saved.map(() => undefined) : saved;
  }

  /** Appends `text` and returns its byte offset and length. Longer texts than a chunk are cut. */
  append(text: string): [offset: number, length: number] {
    const chunk = this.room(Math.min(Buffer.byteLength(text, 'utf8'), chunkBytes));
    const within = this.length - (this.chunks.length - 1) * chunkBytes;
    const written = chunk.write(text, within, 'utf8');
    const offset = this.length;
    this.length += written;
    return [offset, written];
  }

  appendBytes(bytes: Uint8Array): number {
    const chunk = this.room(bytes.length);
    const within = this.length - (this.chunks.length - 1) * chunkBytes;
    chunk.set(bytes, within);
    const offset = this.length;
    this.length += bytes.length;
    return offset;
  }

  /**
   * Appends every text of `other`, chunk by chunk (a text never straddles chunks), and returns where
   * each of its chunks starts here: its text at offset o is here at starts[o / chunk size] + o % chunk size.
   */
  appendBlob(other: TextBlob): number[] {
    const starts = other.filledChunks().map((chunk) => this.appendBytes(chunk));
    // An empty text appended when a chunk was exactly full has the offset of the next chunk.
    starts.push(this.length);
    return starts;
  }

  /** Where a text of a blob appended with appendBlob() is now, given the starts it returned. */
  static movedOffset(starts: readonly number[], offset: number): number {
    return starts[Math.floor(offset / chunkBytes)] + (offset % chunkBytes);
  }

  get(offset: number, length: number): string {
    // An empty text may sit where no chunk is yet (see appendBlob).
    if (length === 0) return '';
    const within = offset % chunkBytes;
    return this.chunkAt(Math.floor(offset / chunkBytes)).toString('utf8', within, within + length);
  }

  /** Chunk `index`, checked first if it is a loaded one not used yet. */
  private chunkAt(index: number): Buffer {
    return this.chunks[index] ?? (this.chunks[index] = firstUse(this.unchecked, index, this.check));
  }

  /** The filled part as chunks (each full but the last), without copying. */
  filledChunks(): Uint8Array[] {
    if (this.chunks.length === 0) return [new Uint8Array(0)];
    // Plain Uint8Arrays, not Buffers: the saved file names each array's type.
    return this.chunks.map((_, i) => {
      const chunk = this.chunkAt(i);
      return new Uint8Array(
        chunk.buffer,
        chunk.byteOffset,
        Math.min(chunkBytes, this.length - i * chunkBytes),
      );
    });
  }

  /** The chunk `needed` more bytes go into, starting a new one (and padding the old) when they do not fit. */
  private room(needed: number): Buffer {
    let last: Buffer | undefined = this.chunks.length > 0 ? this.chunkAt(this.chunks.length - 1) : undefined;
    let used = this.length - (this.chunks.length - 1) * chunkBytes;
    if (last !== undefined && used + needed > chunkBytes) {
      // The rest of this chunk stays empty; the text starts the next one.
      this.resizeLast(chunkBytes);
      this.length = this.chunks.length * chunkBytes;
      last = undefined;
      used = 0;
    }
    if (last === undefined) {
      // A blob past its first chunk is a big one: its later chunks are made whole at once.
      last = Buffer.alloc(this.chunks.length > 0 ? chunkBytes : Math.max(smallestChunk, needed));
      this.chunks.push(last);
    } else if (used + needed > last.length) {
      last = this.resizeLast(Math.min(chunkBytes, Math.max(last.length * 2, used + needed)));
    }
    return last;
  }

  /** Only the last chunk is ever short: it grows by copying, up to the chunk size. */
  private resizeLast(size: number): Buffer {
    const last = this.chunkAt(this.chunks.length - 1);
    if (last.length >= size) return last;
    const grown = Buffer.alloc(size);
    last.copy(grown);
    this.chunks[this.chunks.length - 1] = grown;
    return grown;
  }
}
