// A piece of a saved section as the index file stores it: deflated (raw deflate, no header), or as
// it is when deflating does not make it smaller, with the SHA-256 of its own bytes. The writer packs
// the fact tables and texts this way (persist.ts); a store being built packs its full text chunks
// the same way as they fill (text-blob.ts), so they wait in memory at a fifth of their size and are
// written without being deflated again.
import { createHash } from 'node:crypto';
import { constants as zlibConstants, deflateRaw, inflateRawSync } from 'node:zlib';

export interface PackedPiece {
  /** SHA-256 in hex of the piece's own bytes. */
  digest: string;
  /** What the file holds: the deflated bytes, or the piece itself when deflating did not make it smaller. */
  stored: Uint8Array;
  /** The piece's own length. */
  byteLength: number;
}

/** The fastest level: it already takes the fact tables and texts to a third of their size. */
const deflateLevel = 1;

export const digestOf = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Deflates `piece` on the thread pool; `piece` must not change until this settles. */
export function packPiece(piece: Uint8Array): Promise<PackedPiece> {
  const digest = digestOf(piece);
  return new Promise((resolve, reject) =>
    deflateRaw(
      piece,
      { level: deflateLevel, strategy: zlibConstants.Z_DEFAULT_STRATEGY },
      (error, output) => {
        if (error) reject(error);
        else
          resolve({
            digest,
            stored: output.byteLength < piece.byteLength ? output : piece,
            byteLength: piece.byteLength,
          });
      },
    ),
  );
}

/** The piece's own bytes again. */
export function unpackPiece(packed: PackedPiece): Buffer {
  const { stored } = packed;
  if (stored.byteLength === packed.byteLength)
    return Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  const bytes = inflateRawSync(stored);
  if (bytes.byteLength !== packed.byteLength)
    throw new Error(`a packed piece of ${packed.byteLength} bytes unpacked to ${bytes.byteLength}`);
  return bytes;
}
