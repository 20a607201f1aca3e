// One function of the aligned path compared between the trees, from its definition in each (or its
// absence from one side's path).
import { bodiesDiffer, unifiedBodyDiff } from './function-body';
import type { FunctionComparison, FunctionSource } from './path-diff';

export function compareFunction(
  name: string,
  onPath: { old: boolean; new: boolean },
  older: FunctionSource | undefined,
  newer: FunctionSource | undefined,
): FunctionComparison {
  const comparison: FunctionComparison = {
    name,
    status: !onPath.new ? 'only-old' : !onPath.old ? 'only-new' : 'unchanged',
  };
  if (older && onPath.old) comparison.old = older;
  if (newer && onPath.new) comparison.new = newer;
  if (comparison.status !== 'unchanged') return comparison;
  if (!older || !newer) {
    comparison.status = 'not-found';
    comparison.missing = !older && !newer ? 'both' : !older ? 'old' : 'new';
    return comparison;
  }
  if (bodiesDiffer(older.text, newer.text)) {
    comparison.status = 'changed';
    comparison.diff = unifiedBodyDiff(older.text, newer.text);
  }
  return comparison;
}
