// Bringing one file's facts up to date in a tree's index: from the editor's text or from disk. The
// query API does not promise editing, so the server checks at run time that the index can do it.
import { join } from 'node:path';
import type { FileFacts } from '../index/facts';
import { FileIndexer, limits } from '../index/file-indexer';
import type { IndexQueries } from '../index/queries';
import { plainTreeFile } from './tree-file';

export interface EditableIndex {
  setFile(facts: FileFacts): void;
  removeFile(file: string): void;
}

export function asEditable(index: IndexQueries): EditableIndex | undefined {
  const candidate = index as Partial<EditableIndex>;
  return typeof candidate.setFile === 'function' && typeof candidate.removeFile === 'function'
    ? (candidate as EditableIndex)
    : undefined;
}

/** Why an editor buffer is not re-extracted, or `undefined` when it is. The index's own limits apply. */
export function skipReason(text: string): string | undefined {
  if (text.slice(0, 8192).includes('\0')) return 'binary content';
  if (Buffer.byteLength(text) > limits.parseBytes) return `${text.length} characters, over the parse limit`;
  return undefined;
}

let indexer: Promise<FileIndexer> | undefined;

function fileIndexer(): Promise<FileIndexer> {
  indexer ??= FileIndexer.create();
  return indexer;
}

/** Loads the parser for open documents now, while the tree's index loads, so the first one opened is indexed at once. */
export function prepareReindexing(): void {
  // A failure here is reported where a document is re-indexed, which awaits the same promise.
  fileIndexer().catch(() => undefined);
}

/** Re-extracts `file` from `text`, or from disk when `text` is undefined (removing it if it is gone). */
export async function reindexFile(
  index: EditableIndex,
  root: string,
  file: string,
  text?: string,
): Promise<void> {
  const extractor = await fileIndexer();
  if (text !== undefined) {
    index.setFile(extractor.indexText(file, text));
    return;
  }
  if (!/\.[ch]$/.test(file) || !plainTreeFile(root, file)) {
    // Not a file the tree listing indexes (another extension, or reached through a symbolic link).
    index.removeFile(file);
    return;
  }
  const outcome = extractor.indexFile(join(root, file), file);
  if (outcome.facts) index.setFile(outcome.facts);
  else index.removeFile(file);
}
