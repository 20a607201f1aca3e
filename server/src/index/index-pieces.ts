// The persisted index is checked piece by piece: every section is cut into pieces of 4 MiB, each with
// its own SHA-256 in the header. A warm start reads and checks the sections it needs at once, and
// the rest in the background (read-worker.ts) or on first use, whichever comes first. Each piece's
// state lives in shared memory, so the reader worker and the main thread never read one piece twice,
// and the main thread can wait for a piece the worker is reading.
import { createHash } from 'node:crypto';

export const pieceBytes = 4 * 1024 * 1024;

/** A piece of the index file: where it is and the SHA-256 (hex) its bytes must have. */
export interface Piece {
  position: number;
  length: number;
  digest: string;
}

/** The states of a piece, one Int32 each in shared memory. */
export const pieceState = { unread: 0, reading: 1, checked: 2, damaged: 3 } as const;

/** The SHA-256 of each `pieceBytes` of `chunks` taken as one run of bytes, in hex. */
export function pieceDigests(chunks: readonly Uint8Array[]): string[] {
  const digests: string[] = [];
  let hash = createHash('sha256');
  let filled = 0;
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length;) {
      const take = Math.min(pieceBytes - filled, chunk.length - at);
      hash.update(chunk.subarray(at, at + take));
      at += take;
      filled += take;
      if (filled === pieceBytes) {
        digests.push(hash.digest('hex'));
        hash = createHash('sha256');
        filled = 0;
      }
    }
  }
  if (filled > 0) digests.push(hash.digest('hex'));
  return digests;
}

/** Takes piece `id` to read: true when this thread is to read it, false when it is not unread. */
export function claimPiece(states: Int32Array, id: number): boolean {
  return Atomics.compareExchange(states, id, pieceState.unread, pieceState.reading) === pieceState.unread;
}

/** Checks the bytes just read for a claimed piece and records the outcome; true when they match. */
export function settlePiece(states: Int32Array, id: number, piece: Piece, bytes: Uint8Array): boolean {
  const matches = createHash('sha256').update(bytes).digest('hex') === piece.digest;
  Atomics.store(states, id, matches ? pieceState.checked : pieceState.damaged);
  Atomics.notify(states, id);
  return matches;
}

/** Gives back a claimed piece whose read failed, for a thread to try again. */
export function releasePiece(states: Int32Array, id: number): void {
  Atomics.store(states, id, pieceState.unread);
  Atomics.notify(states, id);
}
