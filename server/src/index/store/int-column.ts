// A growable column of 32-bit integers: the storage of every fact table. It grows by chunks of 4 MB
// rather than by copying into ever bigger arrays, so a whole tree's columns (hundreds of MB) never
// hold much slack capacity or an old copy beside the new one. A loaded column is cut into
// chunk-sized views of the file's bytes, without copying.

import { savedChunks } from './saved-chunks';

const chunkBits = 20;
const intChunkLength = 1 << chunkBits;
const chunkMask = intChunkLength - 1;
/** A small store (a worker's batch of a few files) stays small. */
const smallestChunk = 1024;

export class IntColumn {
  private readonly chunks: Int32Array[];
  length: number;

  /** From saved integers: one array (a loaded file) or chunks (a worker's batch). */
  constructor(initial?: Int32Array | readonly Int32Array[]) {
    this.chunks = savedChunks(initial, intChunkLength);
    this.length = this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  push(value: number): void {
    const index = this.length >>> chunkBits;
    const within = this.length & chunkMask;
    let chunk = this.chunks[index];
    if (chunk === undefined) {
      chunk = new Int32Array(smallestChunk);
      this.chunks.push(chunk);
    } else if (within >= chunk.length) {
      // Only the last chunk is ever short: it grows by copying, up to the chunk length.
      const grown = new Int32Array(Math.min(intChunkLength, chunk.length * 2));
      grown.set(chunk);
      this.chunks[index] = chunk = grown;
    }
    chunk[within] = value;
    this.length++;
  }

  /** Appends every value of `other`, a chunk at a time. */
  appendColumn(other: IntColumn): void {
    for (const values of other.filledChunks()) {
      for (let from = 0; from < values.length;) {
        const index = this.length >>> chunkBits;
        const within = this.length & chunkMask;
        const count = Math.min(intChunkLength - within, values.length - from);
        let chunk = this.chunks[index];
        if (chunk === undefined || within + count > chunk.length) {
          let size = Math.max(smallestChunk, chunk?.length ?? 0);
          while (size < within + count) size *= 2;
          const grown = new Int32Array(Math.min(intChunkLength, size));
          if (chunk) grown.set(chunk);
          this.chunks[index] = chunk = grown;
        }
        chunk.set(values.subarray(from, from + count), within);
        this.length += count;
        from += count;
      }
    }
  }

  get(index: number): number {
    return this.chunks[index >>> chunkBits][index & chunkMask];
  }

  set(index: number, value: number): void {
    this.chunks[index >>> chunkBits][index & chunkMask] = value;
  }

  /** The filled part as chunks, without copying; valid until the next push. */
  filledChunks(): Int32Array[] {
    if (this.chunks.length === 0) return [new Int32Array(0)];
    return this.chunks.map((chunk, i) =>
      chunk.subarray(0, Math.min(chunk.length, this.length - i * intChunkLength)),
    );
  }
}
