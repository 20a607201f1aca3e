// A worker thread that reads the persisted index into shared memory and hashes it (bundled to
// dist/read-worker.js). The first pass over freshly read bytes is the longest part of a warm start
// where page faults are slow; on this thread it leaves the main thread free to list and stat the tree.
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';

export interface ReadRequest {
  path: string;
  /** Bytes at the end left out of the hash: the checksum itself. */
  unhashedTail: number;
}

export type ReadReply =
  { bytes: SharedArrayBuffer; length: number; digest: Uint8Array } | { error: string; code?: string };

/** Bytes read (and then hashed) at a time. */
const readChunk = 8 * 1024 * 1024;

/**
 * Reads a whole file into shared memory in chunks that are hashed in order as they arrive. Two chunks
 * are read at once: where faulting in fresh memory is slow (some virtual machines take 3 s for an
 * 800 MB index), two reads fault on two cores.
 */
async function readHashing(path: string, unhashedTail: number, hash: Hash) {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const shared = new SharedArrayBuffer(size);
    const bytes = Buffer.from(shared);
    const hashedEnd = Math.max(0, size - unhashedTail);
    const chunkCount = Math.ceil(size / readChunk);
    const arrived: boolean[] = [];
    let hashedChunks = 0;
    let nextChunk = 0;
    /** Where the file ended, if it is shorter than it was when read began. */
    let end = size;
    const readChunks = async () => {
      while (nextChunk < chunkCount) {
        const chunk = nextChunk++;
        const chunkStart = chunk * readChunk;
        const chunkEnd = Math.min(chunkStart + readChunk, size);
        for (let at = chunkStart; at < chunkEnd;) {
          const { bytesRead } = await handle.read(bytes, at, chunkEnd - at, at);
          if (bytesRead === 0) {
            end = Math.min(end, at);
            break;
          }
          at += bytesRead;
        }
        arrived[chunk] = true;
        for (; arrived[hashedChunks]; hashedChunks++) {
          const start = hashedChunks * readChunk;
          hash.update(bytes.subarray(start, Math.max(start, Math.min(start + readChunk, hashedEnd))));
        }
      }
    };
    await Promise.all([readChunks(), readChunks()]);
    return { shared, length: end };
  } finally {
    await handle.close();
  }
}

const request = workerData as ReadRequest;
const hash = createHash('sha256');
readHashing(request.path, request.unhashedTail, hash).then(
  ({ shared, length }) =>
    parentPort!.postMessage({ bytes: shared, length, digest: hash.digest() } satisfies ReadReply),
  (error: NodeJS.ErrnoException) =>
    parentPort!.postMessage({ error: error.message, code: error.code } satisfies ReadReply),
);
