// Saved arrays cut into a growable store's chunks: views, never copies. Every chunk but the last is
// whole, so an element's chunk is its index divided by the chunk length, in memory as in the file.

/**
 * Checks bytes [start, end) of a loaded section before their first use; throws when they are damaged.
 * A loaded file's fact tables and texts are checked this way (see persist.ts).
 */
export type ByteCheck = (start: number, end: number) => void;

/** `saved` (one array from a loaded file, or a worker's chunks) as views of at most `chunkLength` elements. */
export function savedChunks<T extends Int32Array | Uint8Array>(
  saved: T | readonly T[] | undefined,
  chunkLength: number,
): T[] {
  const arrays = saved === undefined ? [] : Array.isArray(saved) ? saved : [saved as T];
  const chunks: T[] = [];
  let length = 0;
  for (const array of arrays) {
    for (let at = 0; at < array.length; at += chunkLength) {
      if (length % chunkLength !== 0) throw new Error('saved chunks have a short one before the last');
      const piece = array.subarray(at, Math.min(at + chunkLength, array.length)) as T;
      chunks.push(piece);
      length += piece.length;
    }
  }
  return chunks;
}

/**
 * Chunk `index` of a loaded column's or blob's chunks on its first use, its bytes checked. Every
 * chunk before the last is whole, so a chunk starts at its index times the first one's length.
 */
export function firstUse<T extends ArrayBufferView>(
  unchecked: readonly T[],
  index: number,
  check: ByteCheck | undefined,
): T {
  const chunk = unchecked[index];
  if (!chunk) throw new RangeError(`chunk ${index} is past the end of the loaded ones`);
  const start = index * unchecked[0].byteLength;
  check?.(start, start + chunk.byteLength);
  return chunk;
}
