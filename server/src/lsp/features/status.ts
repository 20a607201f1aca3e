// kernelNetReader/status: the state of each tree's index and the server's memory, for diagnostics
// and for the tests that check memory returns to its level after a burst of edits.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CancellationToken } from 'vscode-languageserver';
import { indexState } from '../indexing';
import type { StatusParams, StatusResult } from '../protocol';
import type { Session } from '../session';

let collector: (() => void) | undefined;

/** V8's collector, exposed at run time so that the bundled server needs no --expose-gc flag. */
function collectGarbage(): void {
  if (!collector) {
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as () => void;
  }
  collector();
}

export function status(session: Session, params: StatusParams, _token: CancellationToken): StatusResult {
  if (params.collectGarbage) collectGarbage();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return {
    trees: session.trees.map(indexState),
    openDocuments: session.documents.all().length,
    memory: { rss, heapUsed, external, arrayBuffers },
  };
}
