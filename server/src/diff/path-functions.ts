// The functions of an aligned path, each compared between the two trees through their indexes.
import type { IndexQueries } from '../index/queries';
import { fileSourceReader, type SourceReader } from '../trace/anchors';
import { compareFunction } from './function-compare';
import { findFunctionSource } from './function-source';
import type { FunctionComparison, PathStep } from './path-diff';

/** One kernel tree: its index and its source text. */
export interface Tree {
  index: IndexQueries;
  source: SourceReader;
}

export const treeOf = (index: IndexQueries): Tree => ({ index, source: fileSourceReader(index.root) });

/** Each function of the path once, in order of first appearance, compared between the trees. */
export function comparePathFunctions(
  path: readonly PathStep[],
  oldFiles: ReadonlyMap<string, string>,
  newFiles: ReadonlyMap<string, string>,
  older: Tree,
  newer: Tree,
): FunctionComparison[] {
  const sides = new Map<string, { old: boolean; new: boolean }>();
  for (const step of path) {
    const seen = sides.get(step.function) ?? { old: false, new: false };
    if (step.side !== 'new') seen.old = true;
    if (step.side !== 'old') seen.new = true;
    sides.set(step.function, seen);
  }
  return [...sides].map(([name, onPath]) => {
    const oldSource = findFunctionSource(older.index, older.source, name, {
      file: oldFiles.get(name) ?? newFiles.get(name),
    });
    const newSource = findFunctionSource(newer.index, newer.source, name, {
      file: newFiles.get(name) ?? oldFiles.get(name),
      signature: oldSource?.signature,
    });
    return compareFunction(name, onPath, oldSource, newSource);
  });
}
