// A worker thread that reads the persisted index's pieces and checks each against its digest
// (bundled to dist/read-worker.js): the pieces every load needs into shared memory, the rest (fact
// tables and texts) only to check them, into buffers of its own, since the main thread reads each of
// those into place when a query first needs it (piece-reader.ts). On this thread it leaves the main
// thread free to list and stat the tree, and later to answer while the rest is checked. Deflated
// pieces are inflated in small chunks: inflating each into a buffer of its own left 4 MiB buffers
// behind, 40-80 MB of them resident.
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { createInflateRaw } from 'node:zlib';
import {
  claimPiece,
  damagePiece,
  isDeflated,
  pieceBytes,
  pieceState,
  releasePiece,
  settlePiece,
  type Piece,
} from './index-pieces';

export interface ReadRequest {
  /** A descriptor the main thread opened (threads share them) and closes. */
  fd: number;
  bytes: SharedArrayBuffer;
  /** One Int32 per piece: see pieceState. */
  states: SharedArrayBuffer;
  pieces: Piece[];
  /** Piece ids in the order to read them. */
  order: number[];
  /**
   * How many pieces of `order` come before the first message: the ones needed at once, and the only
   * ones read into `bytes`; the rest are checked and not kept.
   */
  firstCount: number;
}

export type ReadReply =
  | { kind: 'first-checked' }
  | { kind: 'damaged'; piece: number }
  | { kind: 'done' }
  | { kind: 'failed'; error: string; code?: string };

const readAt = promisify(read);

/** Pieces read at once: two reads fault their memory in on two cores. */
const readsInFlight = 2;
/** What inflation hands over at a time: small enough for the allocator to reuse. */
const inflatedChunkBytes = 64 * 1024;

const request = workerData as ReadRequest;
const states = new Int32Array(request.states);
const bytes = new Uint8Array(request.bytes);
const post = (reply: ReadReply) => parentPort!.postMessage(reply);

/** A reader's own buffers: for a deflated piece's stored bytes, and for a piece checked and not kept. */
interface Scratch {
  stored: Uint8Array;
  inflated: Uint8Array;
}

/**
 * Reads piece `id` unless the main thread has claimed it, into place when `keep`, else into
 * `scratch` only to check it; a deflated piece's stored bytes go to `scratch` either way.
 */
async function readPiece(id: number, keep: boolean, scratch: Scratch): Promise<void> {
  // The main thread may have read it first.
  if (!claimPiece(states, id)) return;
  const piece = request.pieces[id];
  const view = (keep ? bytes.subarray(piece.position) : scratch.inflated).subarray(0, piece.length);
  const stored = isDeflated(piece) ? scratch.stored.subarray(0, piece.storedLength) : view;
  try {
    for (let at = 0; at < piece.storedLength;) {
      const { bytesRead } = await readAt(
        request.fd,
        stored,
        at,
        piece.storedLength - at,
        piece.filePosition + at,
      );
      // A file cut short since it was opened: the rest of the piece stays zero and fails its check.
      if (bytesRead === 0) break;
      at += bytesRead;
    }
  } catch (error) {
    releasePiece(states, id);
    throw error;
  }
  const matches =
    !isDeflated(piece) || (await inflateInto(stored, view)) === piece.length
      ? settlePiece(states, id, piece, view, keep ? pieceState.checked : pieceState.verified)
      : damagePiece(states, id);
  if (!matches) post({ kind: 'damaged', piece: id });
}

/** Inflates `stored` into `view`; the number of bytes it inflates to, or -1 if they do not fit or it fails. */
function inflateInto(stored: Uint8Array, view: Uint8Array): Promise<number> {
  return new Promise((resolve) => {
    const inflater = createInflateRaw({ chunkSize: inflatedChunkBytes });
    let at = 0;
    inflater.on('data', (chunk: Buffer) => {
      if (at + chunk.length > view.length) {
        at = -1;
        inflater.destroy();
        resolve(-1);
        return;
      }
      view.set(chunk, at);
      at += chunk.length;
    });
    inflater.on('error', () => resolve(-1));
    inflater.on('end', () => resolve(at));
    inflater.end(stored);
  });
}

async function readAll(): Promise<void> {
  let next = 0;
  let unsettledFirst = request.firstCount;
  const reader = async () => {
    const scratch = { stored: new Uint8Array(pieceBytes), inflated: new Uint8Array(pieceBytes) };
    while (next < request.order.length) {
      const position = next++;
      await readPiece(request.order[position], position < request.firstCount, scratch);
      if (position < request.firstCount && --unsettledFirst === 0) post({ kind: 'first-checked' });
    }
  };
  if (request.firstCount === 0) post({ kind: 'first-checked' });
  await Promise.all(Array.from({ length: readsInFlight }, reader));
}

readAll().then(
  () => post({ kind: 'done' }),
  (error: NodeJS.ErrnoException) => post({ kind: 'failed', error: error.message, code: error.code }),
);
