// The statements' results that differ between two runs of one scenario: results aligned by the
// statement they come from (a loop may run a different number of times), then compared field by field.
import type { StatementResult } from '../scenario/result';
import { alignSequences } from './align';
import type { ResultDifference } from './path-diff';

/** Every field but the position, which is the same statement on both sides. */
const compared = (result: StatementResult): [string, string][] =>
  Object.entries(result)
    .filter(([field]) => field !== 'step' && field !== 'line' && field !== 'column')
    .map(([field, value]) => [field, JSON.stringify(value)]);

export function diffResults(
  older: readonly StatementResult[],
  newer: readonly StatementResult[],
): ResultDifference[] {
  const differences: ResultDifference[] = [];
  const key = (r: StatementResult) => `${r.line}:${r.column}:${r.call}`;
  for (const pair of alignSequences(older, newer, key)) {
    const o = pair.old === undefined ? undefined : older[pair.old];
    const n = pair.new === undefined ? undefined : newer[pair.new];
    const shown = (n ?? o)!;
    const difference: ResultDifference = { call: shown.call, line: shown.line, fields: [] };
    if (o) difference.old = o;
    if (n) difference.new = n;
    if (o && n) {
      const before = new Map(compared(o));
      const after = new Map(compared(n));
      difference.fields = [...new Set([...before.keys(), ...after.keys()])].filter(
        (field) => before.get(field) !== after.get(field),
      );
      if (difference.fields.length === 0) continue;
    }
    differences.push(difference);
  }
  return differences;
}
