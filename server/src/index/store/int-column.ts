// A growable column of 32-bit integers: the storage of every fact table. It grows by chunks of 4 MB
// rather than by copying into ever bigger arrays, so a whole tree's columns (hundreds of MB) never
// hold much slack capacity or an old copy beside the new one. A loaded column is cut into
// chunk-sized views of the file's bytes, without copying, and may be checked chunk by chunk on
// first use (see ByteCheck).

import { firstUse, savedChunks, type ByteCheck } from './saved-chunks';

const chunkBits = 20;
const intChunkLength = 1 << chunkBits;
const chunkMask = intChunkLength - 1;
/** A small store (a worker's batch of a few files) stays small. */
const smallestChunk = 1024;

export class IntColumn {
  /** A loaded chunk not checked yet is missing here; it waits in `unchecked`. */
  private readonly chunks: (Int32Array | undefined)[];
  private readonly unchecked: Int32Array[];
  length: number;

  /**
   * From saved integers: one array (a loaded file) or chunks (a worker's batch). With `check`, each
   * chunk is checked (and may throw) before its first use.
   */
  constructor(
    initial?: Int32Array | readonly Int32Array[],
    private readonly check?: ByteCheck,
  ) {
    const saved = savedChunks(initial, intChunkLength);
    this.length = saved.reduce((sum, chunk) => sum + chunk.length, 0);
    this.unchecked = check ? saved : [];
    this.chunks = check ? saved.map(() => undefined) : saved;
  }

  push(value: number): void {
    const within = this.length & chunkMask;
    this.chunkHolding(this.length >>> chunkBits, within + 1)[within] = value;
    this.length++;
  }

  /** Appends every value of `other`, a chunk at a time. */
  appendColumn(other: IntColumn): void {
    for (const values of other.filledChunks()) {
      for (let from = 0; from < values.length;) {
        const within = this.length & chunkMask;
        const count = Math.min(intChunkLength - within, values.length - from);
        this.chunkHolding(this.length >>> chunkBits, within + count).set(
          values.subarray(from, from + count),
          within,
        );
        this.length += count;
        from += count;
      }
    }
  }

  get(index: number): number {
    return (this.chunks[index >>> chunkBits] ?? this.checked(index >>> chunkBits))[index & chunkMask];
  }

  set(index: number, value: number): void {
    (this.chunks[index >>> chunkBits] ?? this.checked(index >>> chunkBits))[index & chunkMask] = value;
  }

  /** A loaded chunk, checked now: the first use of it. */
  private checked(index: number): Int32Array {
    return (this.chunks[index] = firstUse(this.unchecked, index, this.check));
  }

  /**
   * Chunk `index`, able to hold `end` values. Only the last chunk is ever short: the first grows by
   * copying, doubling up to the chunk length; a column past its first chunk is a big one, and its
   * later chunks are made whole at once.
   */
  private chunkHolding(index: number, end: number): Int32Array {
    const chunk = this.chunks[index] ?? (index < this.unchecked.length ? this.checked(index) : undefined);
    if (chunk !== undefined && end <= chunk.length) return chunk;
    let size = index > 0 ? intChunkLength : Math.max(smallestChunk, chunk?.length ?? 0);
    while (size < end) size *= 2;
    const grown = new Int32Array(Math.min(intChunkLength, size));
    if (chunk) grown.set(chunk);
    this.chunks[index] = grown;
    return grown;
  }

  /** The filled part as chunks, without copying; valid until the next push. */
  filledChunks(): Int32Array[] {
    if (this.chunks.length === 0) return [new Int32Array(0)];
    return this.chunks.map((unready, i) => {
      const chunk = unready ?? this.checked(i);
      return chunk.subarray(0, Math.min(chunk.length, this.length - i * intChunkLength));
    });
  }
}
