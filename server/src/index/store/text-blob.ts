// Long texts (signatures, kernel-doc comments, #define names) as UTF-8 in fixed-size chunks of
// bytes, referred to by (offset, length): hundreds of MB in a whole tree, never worth interning. A
// text never straddles two chunks (the rest of a chunk is left empty), so a saved blob is the chunks
// one after the other and an offset means the same in memory and on disk. A loaded blob may be
// checked chunk by chunk on first use (see ByteCheck). A blob being built for a whole tree packs its
// full chunks (see packFullChunks), the biggest part of an index that nothing reads while it is built.
import { pieceBytes } from '../index-pieces';
import { packPiece, unpackPiece, type PackedPiece } from './packed-piece';
import { firstUse, savedChunks, type ByteCheck } from './saved-chunks';
import { hashBytes } from './string-pool';

/** A chunk is a piece of the saved file, so that a packed chunk is a stored piece as it is. */
const chunkBytes = pieceBytes;
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
  /** Full chunks packed (see packFullChunks); their bytes are dropped from `chunks` until read. */
  private readonly packed: (PackedPiece | undefined)[] = [];
  /** Chunks before this one are packed, being packed, or loaded. */
  private packedUpTo: number;
  private readonly packing = new Set<Promise<void>>();
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
    // Loaded chunks stay as they are: packing them would read them all.
    this.packedUpTo = saved.length;
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

  /** Chunk `index`, checked first if it is a loaded one not used yet, or unpacked if it was packed. */
  private chunkAt(index: number): Buffer {
    const packed = this.packed[index];
    return (
      this.chunks[index] ??
      (this.chunks[index] = packed ? unpackPiece(packed) : firstUse(this.unchecked, index, this.check))
    );
  }

  /**
   * Starts packing the full chunks not packed yet (every chunk but the last): deflated on the thread
   * pool, each then waits in memory at about a fifth of its size, and the file takes it as it is
   * (see savedPieces). Reading a packed chunk unpacks it again.
   */
  packFullChunks(): void {
    for (; this.packedUpTo < this.chunks.length - 1; this.packedUpTo++) {
      const index = this.packedUpTo;
      const chunk = this.chunkAt(index);
      const done: Promise<void> = packPiece(chunk)
        .then(
          (packed) => {
            this.packed[index] = packed;
            if (this.chunks[index] === chunk) this.chunks[index] = undefined;
          },
          // A chunk left unpacked is whole: only the memory is not saved.
          () => undefined,
        )
        .finally(() => this.packing.delete(done));
      this.packing.add(done);
    }
  }

  /** Settles when the chunks being packed are packed (or left as they are). */
  async whenPacked(): Promise<void> {
    await Promise.all(this.packing);
  }

  /** What a saved file holds: the chunks as filledChunks() gives them, packed ones as they are. */
  savedPieces(): (Uint8Array | PackedPiece)[] {
    const chunks = this.filledChunks(false);
    return chunks.map((chunk, i) => this.packed[i] ?? chunk!);
  }

  /** The filled part as chunks (each full but the last), without copying (but for packed ones). */
  filledChunks(): Uint8Array[];
  /** The same, with `undefined` for packed chunks not unpacked. */
  filledChunks(unpack: false): (Uint8Array | undefined)[];
  filledChunks(unpack = true): (Uint8Array | undefined)[] {
    if (this.chunks.length === 0) return [new Uint8Array(0)];
    // Plain Uint8Arrays, not Buffers: the saved file names each array's type.
    return this.chunks.map((_, i) => {
      const chunk = unpack || !this.packed[i] ? this.chunkAt(i) : this.chunks[i];
      return (
        chunk &&
        new Uint8Array(chunk.buffer, chunk.byteOffset, Math.min(chunkBytes, this.length - i * chunkBytes))
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
