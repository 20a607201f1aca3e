// A worker thread that indexes the files it is sent (bundled to dist/extract-worker.js).
import { parentPort } from 'node:worker_threads';
import { join } from 'node:path';
import { FileIndexer, type FileOutcome } from './file-indexer';

export interface ExtractRequest {
  root: string;
  files: string[];
}

export interface ExtractReply {
  outcomes: (FileOutcome & { file: string })[];
}

const indexerReady = FileIndexer.create();

parentPort!.on('message', async (request: ExtractRequest) => {
  const indexer = await indexerReady;
  const outcomes = request.files.map((file) => {
    try {
      return { file, ...indexer.indexFile(join(request.root, file), file) };
    } catch (error) {
      // A bug in extraction must cost one file, not the whole index.
      const detail = error instanceof Error ? error.message : String(error);
      return { file, mtimeMs: 0, size: 0, problem: { file, kind: 'extractor-error' as const, detail } };
    }
  });
  parentPort!.postMessage({ outcomes } satisfies ExtractReply);
});
