// A worker thread that indexes the files it is sent (bundled to dist/extract-worker.js). It replies
// with the batch as a FactStore's flat arrays, moved (not copied) to the main thread, which appends
// them to the index.
import { parentPort } from 'node:worker_threads';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { FileIndexer } from './file-indexer';
import { FactStore, type FileEntry, type StoreSections } from './store/fact-store';

export interface ExtractRequest {
  root: string;
  files: string[];
}

export interface ExtractReply {
  /** The batch's files, their problems and facts. */
  sections: StoreSections;
  files: number;
}

// A register header of tens of MB grows a worker's heap past 150 MB. By default V8 then lets the
// heap grow to about twice its live size before a full collection, and the two workers' heaps stay
// that big beside the whole tree's facts: at 15% they stay near their live size. The flag is the
// process's: its main thread keeps its facts in array buffers, outside the heap.
setFlagsFromString('--heap-growing-percent=15');

const indexerReady = FileIndexer.create();

parentPort!.on('message', async (request: ExtractRequest) => {
  const indexer = await indexerReady;
  const batch = new FactStore();
  for (const file of request.files) {
    let entry: FileEntry;
    try {
      entry = { file, ...indexer.indexFile(join(request.root, file), file) };
    } catch (error) {
      // A bug in extraction must cost one file, not the whole index.
      const detail = error instanceof Error ? error.message : String(error);
      entry = { file, mtimeMs: 0, size: 0, problem: { file, kind: 'extractor-error', detail } };
    }
    batch.append(entry);
  }
  const sections = batch.sections();
  const transfer = [
    ...new Set(
      Object.values(sections).flatMap((value) =>
        (Array.isArray(value) ? value : [value]).map((array) => array.buffer as ArrayBuffer),
      ),
    ),
  ];
  parentPort!.postMessage({ sections, files: request.files.length } satisfies ExtractReply, transfer);
});
