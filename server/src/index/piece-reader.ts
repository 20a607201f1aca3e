// Reading a persisted index piece by piece (see index-pieces.ts): a worker reads the pieces needed at
// once into memory, then checks every other piece in the background without keeping it; the main
// thread reads a fact table's or text's piece into place when a query first needs it. So memory holds
// what queries touched, not the whole file: the descriptor stays open for as long as the reader may
// be asked. A piece whose bytes fail their digest is never used: the file is removed, so that the
// next start rebuilds it, and whoever asked gets a DamagedIndexError.
import { closeSync, fstatSync, readSync, rmSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  claimPiece,
  inflatePieceSync,
  isDeflated,
  pieceState,
  releasePiece,
  settlePiece,
  settleInflatedPiece,
  workerControl,
  type Piece,
} from './index-pieces';
import type { ReadReply, ReadRequest } from './read-worker';
import { workerScript } from './worker-script';

/** A part of the persisted index failed its check after the index was loaded. */
export class DamagedIndexError extends Error {}

/** A piece with the name of its section, for messages. */
export interface NamedPiece extends Piece {
  section: string;
}

/** How long the main thread waits for a piece the worker is reading before it gives up. */
const longestWaitMs = 60_000;

/**
 * A reader no longer reachable (its store was dropped) cannot be asked again: its file is closed,
 * once its worker is gone.
 */
const dropped = new FinalizationRegistry<number>((fd) => closeSync(fd));

/** How long stopping waits for the worker to finish the piece in hand (one read and inflation). */
const longestStopMs = 5_000;

/** Readers whose worker still runs: the process stops them at exit, before node ends the workers. */
const running = new Set<PieceReader>();
let stopsAtExit = false;

export class PieceReader {
  readonly bytes: Buffer;
  /** Settles when the pieces to read first are checked; rejects when one is damaged or unreadable. */
  readonly first: Promise<void>;
  /** Settles when every piece is checked. */
  readonly checked: Promise<void>;
  private readonly states: Int32Array;
  private readonly control = new Int32Array(new SharedArrayBuffer(workerControl.length * 4));
  private readonly worker: Worker;
  private readonly inode: number;
  /** Set when close() was called: the descriptor is closed once the worker is gone. */
  private closing = false;
  private closed = false;
  private damage: DamagedIndexError | undefined;
  private readonly rejectChecked: (error: Error) => void;

  /**
   * Starts reading `pieces` of the file open at `fd` into `memoryBytes` of shared memory, in `order`;
   * the first `firstCount` of them are what `first` waits for, and the only ones the worker puts
   * in place. The descriptor is closed after close(), once the worker is gone, or when this reader
   * is dropped.
   */
  constructor(
    private readonly path: string,
    private readonly fd: number,
    private readonly pieces: readonly NamedPiece[],
    order: readonly number[],
    firstCount: number,
    memoryBytes: number,
  ) {
    this.inode = fstatSync(fd).ino;
    const shared = new SharedArrayBuffer(memoryBytes);
    this.bytes = Buffer.from(shared);
    const stateMemory = new SharedArrayBuffer(Math.max(1, pieces.length) * Int32Array.BYTES_PER_ELEMENT);
    this.states = new Int32Array(stateMemory);

    let resolveFirst!: () => void;
    let rejectFirst!: (error: Error) => void;
    this.first = new Promise((resolve, reject) => ([resolveFirst, rejectFirst] = [resolve, reject]));
    let resolveChecked!: () => void;
    let rejectChecked!: (error: Error) => void;
    this.checked = new Promise((resolve, reject) => ([resolveChecked, rejectChecked] = [resolve, reject]));
    // Whoever awaits `checked` sees its error; a command that ends first need not.
    this.checked.catch(() => undefined);
    this.rejectChecked = rejectChecked;
    const fail = (error: Error) => {
      rejectFirst(error);
      rejectChecked(error);
    };

    const script = workerScript('read-worker');
    const worker = (this.worker = new Worker(script.path, {
      execArgv: script.execArgv,
      workerData: {
        fd,
        bytes: shared,
        states: stateMemory,
        pieces: pieces.map(({ position, length, digest, filePosition, storedLength }) => ({
          position,
          length,
          digest,
          filePosition,
          storedLength,
        })),
        order: [...order],
        firstCount,
        control: this.control.buffer as SharedArrayBuffer,
      } satisfies ReadRequest,
    }));
    worker.on('message', (reply: ReadReply) => {
      switch (reply.kind) {
        case 'first-checked':
          resolveFirst();
          // The rest is read in the background: it must not keep a finished command alive.
          worker.unref();
          break;
        case 'damaged':
          fail(this.damaged(reply.piece));
          break;
        case 'failed':
          fail(Object.assign(new Error(reply.error), { code: reply.code }));
          break;
        case 'done':
          // Every piece is settled: the ones this thread read, it settled before it saw this.
          resolveChecked();
      }
    });
    worker.on('error', fail);
    running.add(this);
    if (!stopsAtExit) {
      stopsAtExit = true;
      process.on('exit', () => {
        for (const reader of running) reader.stopWorker();
      });
    }
    worker.on('exit', (code) => {
      running.delete(this);
      // A reader that failed leaves pieces unread, which this thread reads when they are needed.
      if (this.closing) {
        this.closed = true;
        closeSync(fd);
      } else {
        // Only now: a descriptor closed under the worker could be reused by another file and read.
        dropped.register(this, fd);
      }
      fail(new Error(`the index reader stopped (exit code ${code})`));
    });
  }

  /** Stops reading: the file is not used after all. */
  close(): void {
    this.closing = true;
    this.stopWorker();
  }

  /** Asks the worker to stop between pieces, waits until it has (or longestStopMs), then ends it. */
  private stopWorker(): void {
    Atomics.store(this.control, workerControl.stopRequested, 1);
    Atomics.wait(this.control, workerControl.idle, 0, longestStopMs);
    void this.worker.terminate();
  }

  /** Bytes [start, end) of the file, checked; read here if the worker has not reached them. */
  ensure(start: number, end: number): void {
    for (let id = this.pieceAt(start); id < this.pieces.length && this.pieces[id].position < end; id++)
      this.ensurePiece(id);
  }

  private ensurePiece(id: number): void {
    let waitedMs = 0;
    for (;;) {
      const state = Atomics.load(this.states, id);
      switch (state) {
        case pieceState.checked:
          return;
        case pieceState.damaged:
          throw this.damaged(id);
        case pieceState.unread:
        case pieceState.verified:
          // Given back after a read here failed, and the file closed since.
          if (this.closed) throw new Error(`${this.path}: ${this.describe(id)} could not be read`);
          if (claimPiece(this.states, id, state)) this.readPiece(id);
          break;
        default:
          if (waitedMs >= longestWaitMs) {
            throw new Error(`${this.path}: reading ${this.describe(id)} took over ${longestWaitMs / 1000} s`);
          }
          Atomics.wait(this.states, id, pieceState.reading, 100);
          waitedMs += 100;
      }
    }
  }

  private readPiece(id: number): void {
    const piece = this.pieces[id];
    const view = this.bytes.subarray(piece.position, piece.position + piece.length);
    const stored = isDeflated(piece) ? new Uint8Array(piece.storedLength) : view;
    try {
      for (let at = 0; at < piece.storedLength;) {
        const read = readSync(this.fd, stored, at, piece.storedLength - at, piece.filePosition + at);
        // Cut short since it was opened: the piece fails its check.
        if (read === 0) break;
        at += read;
      }
    } catch (error) {
      releasePiece(this.states, id);
      throw error;
    }
    if (isDeflated(piece)) settleInflatedPiece(this.states, id, piece, view, inflatePieceSync(piece, stored));
    else settlePiece(this.states, id, piece, view);
  }

  /** The piece holding byte `position` (pieces are in file order). */
  private pieceAt(position: number): number {
    let low = 0;
    let high = this.pieces.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const piece = this.pieces[middle];
      if (piece.position + piece.length <= position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private describe(id: number): string {
    const piece = this.pieces[id];
    return `section ${piece.section} (bytes ${piece.filePosition}-${piece.filePosition + piece.storedLength} of the file)`;
  }

  /** The error for a damaged piece; the first time, the file is removed (if it is still this one). */
  private damaged(id: number): DamagedIndexError {
    if (this.damage) return this.damage;
    let removed = false;
    try {
      // A newer index may have been saved under the same name since: only this file goes.
      if (statSync(this.path).ino === this.inode) {
        rmSync(this.path);
        removed = true;
      }
    } catch {
      // already gone
    }
    this.damage = new DamagedIndexError(
      `${this.path}: ${this.describe(id)} fails its checksum${removed ? '; the file is removed and will be rebuilt' : ''}`,
    );
    this.rejectChecked(this.damage);
    return this.damage;
  }
}
