// A worker thread that indexes the files it is sent (bundled to dist/extract-worker.js). Replies are
// packed (see packed.ts) with a string table per batch, so little crosses the thread boundary.
import { parentPort } from 'node:worker_threads';
import { join } from 'node:path';
import { FileIndexer } from './file-indexer';
import { packFacts, StringTable, type PackedFacts } from './packed';
import type { PersistedFile } from './persist';

export interface ExtractRequest {
  root: string;
  files: string[];
}

export interface ExtractReply {
  /** The string table the batch's packed ids refer to. */
  strings: string[];
  outcomes: PersistedFile[];
}

const indexerReady = FileIndexer.create();

parentPort!.on('message', async (request: ExtractRequest) => {
  const indexer = await indexerReady;
  const strings = new StringTable();
  const transfer: ArrayBuffer[] = [];
  const outcomes = request.files.map((file): PersistedFile => {
    try {
      const { facts, ...rest } = indexer.indexFile(join(request.root, file), file);
      let packed: PackedFacts | undefined;
      if (facts) {
        packed = packFacts(facts, strings);
        transfer.push(packed.calls.buffer as ArrayBuffer, packed.macros.buffer as ArrayBuffer);
      }
      return { file, ...rest, packed };
    } catch (error) {
      // A bug in extraction must cost one file, not the whole index.
      const detail = error instanceof Error ? error.message : String(error);
      return { file, mtimeMs: 0, size: 0, problem: { file, kind: 'extractor-error', detail } };
    }
  });
  parentPort!.postMessage({ strings: strings.strings, outcomes } satisfies ExtractReply, transfer);
});
