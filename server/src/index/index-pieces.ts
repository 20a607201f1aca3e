// The persisted index is checked piece by piece: every section is cut into pieces of 4 MiB, each with
// its own SHA-256 in the header. A warm start reads and checks the sections it needs at once; the
// rest (the fact tables and texts) it checks in the background (read-worker.ts) without keeping
// them, and reads into place on first use, so that memory holds only the pieces queries touched.
// Each piece's state lives in shared memory, so the reader worker and the main thread never read one
// piece at the same time, and the main thread can wait for a piece the worker is reading. A piece
// of a fact table or of the texts is stored deflated (see persist.ts); its digest is of its inflated
// bytes, so a damaged stored piece fails either the inflation or the check.
import { createHash } from 'node:crypto';
import { inflateRawSync, type ZlibOptions } from 'node:zlib';

export const pieceBytes = 4 * 1024 * 1024;

/**
 * A piece of the index: where its bytes go in memory, how many there are and the SHA-256 (hex) they
 * must have; and where it is stored in the file and in how many bytes (fewer when it is deflated).
 */
export interface Piece {
  position: number;
  length: number;
  digest: string;
  filePosition: number;
  storedLength: number;
}

/** Whether a piece is stored deflated: a piece that deflating would not make smaller is stored as is. */
export const isDeflated = (piece: Piece): boolean => piece.storedLength !== piece.length;

/** Inflating a piece yields one buffer of its length, and throws rather than yield more. */
const inflateOptions = (piece: Piece): ZlibOptions => ({
  chunkSize: Math.max(64, piece.length),
  maxOutputLength: piece.length,
});

/**
 * Puts a piece's inflated bytes in place, checks them and records the outcome; true when they match.
 * `inflated` is the piece's bytes, or why they could not be inflated.
 */
export function settleInflatedPiece(
  states: Int32Array,
  id: number,
  piece: Piece,
  view: Uint8Array,
  inflated: Uint8Array | Error,
): boolean {
  if (inflated instanceof Error || inflated.length !== piece.length) return damagePiece(states, id);
  view.set(inflated);
  return settlePiece(states, id, piece, view);
}

/** Records a claimed piece as damaged (its stored bytes do not inflate to it); false. */
export function damagePiece(states: Int32Array, id: number): false {
  Atomics.store(states, id, pieceState.damaged);
  Atomics.notify(states, id);
  return false;
}

/** Inflates a deflated piece's stored bytes; an error when they do not inflate (damage). */
export function inflatePieceSync(piece: Piece, stored: Uint8Array): Uint8Array | Error {
  try {
    return inflateRawSync(stored, inflateOptions(piece));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * The states of a piece, one Int32 each in shared memory. `checked`: in place and checked;
 * `verified`: checked in the background but not kept, to be read into place on first use.
 */
export const pieceState = { unread: 0, reading: 1, checked: 2, damaged: 3, verified: 4 } as const;
type PieceState = (typeof pieceState)[keyof typeof pieceState];

/**
 * Takes piece `id` to read: true when this thread is to read it, false when it is not in state
 * `from` (unread, unless a verified piece is to be read into place).
 */
export function claimPiece(states: Int32Array, id: number, from: PieceState = pieceState.unread): boolean {
  return Atomics.compareExchange(states, id, from, pieceState.reading) === from;
}

/**
 * Checks the bytes just read for a claimed piece and records the outcome (`checked`, or `verified`
 * when the bytes are not kept); true when they match.
 */
export function settlePiece(
  states: Int32Array,
  id: number,
  piece: Piece,
  bytes: Uint8Array,
  settled: typeof pieceState.checked | typeof pieceState.verified = pieceState.checked,
): boolean {
  const matches = createHash('sha256').update(bytes).digest('hex') === piece.digest;
  Atomics.store(states, id, matches ? settled : pieceState.damaged);
  Atomics.notify(states, id);
  return matches;
}

/** Gives back a claimed piece whose read failed, for a thread to try again. */
export function releasePiece(states: Int32Array, id: number): void {
  Atomics.store(states, id, pieceState.unread);
  Atomics.notify(states, id);
}

/**
 * The worker stops between pieces when asked, and says so, before the main thread ends it: a worker
 * terminated while it creates an inflater aborts the whole process (node's zlib asserts "close
 * before init" in the worker's cleanup).
 */
export const workerControl = { stopRequested: 0, idle: 1, length: 2 } as const;
