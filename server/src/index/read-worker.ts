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
  workerControl,
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
  /** Int32s at workerControl's indexes: the main thread asks it to stop; it says it is idle. */
  control: SharedArrayBuffer;
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
const control = new Int32Array(request.control);
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

/** Reads and checks the pieces in order; false when it stopped before taking them all, as asked. */
async function readAll(): Promise<boolean> {
  let next = 0;
  let unsettledFirst = request.firstCount;
  let failed = false;
  const goOn = () =>
    next < request.order.length && !failed && Atomics.load(control, workerControl.stopRequested) === 0;
  const reader = async () => {
    const scratch = { stored: new Uint8Array(pieceBytes), inflated: new Uint8Array(pieceBytes) };
    while (goOn()) {
      const position = next++;
      try {
        await readPiece(request.order[position], position < request.firstCount, scratch);
      } catch (error) {
        failed = true;
        throw error;
      }
      if (position < request.firstCount && --unsettledFirst === 0) post({ kind: 'first-checked' });
    }
  };
  if (request.firstCount === 0) post({ kind: 'first-checked' });
  // Settled, not all: idle means that no reader still has a read or an inflation in flight.
  const readers = await Promise.allSettled(Array.from({ length: readsInFlight }, reader));
  const failure = readers.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return next >= request.order.length;
}

function becomeIdle(): void {
  Atomics.store(control, workerControl.idle, 1);
  Atomics.notify(control, workerControl.idle);
}

readAll().then(
  (finished) => {
    becomeIdle();
    if (finished) post({ kind: 'done' });
  },
  (error: NodeJS.ErrnoException) => {
    becomeIdle();
    post({ kind: 'failed', error: error.message, code: error.code });
  },
);
