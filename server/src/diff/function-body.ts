// Whether a function changed between two trees, and how: its definition's text (from the return type to
// the closing brace) compared with every run of whitespace folded to one space, so re-indentation and
// re-wrapped lines are not changes while any other edit, a comment's included, is. The diff itself is
// of lines, each compared with its whitespace folded, shown as a unified diff with numbers counted from
// the function's first line (a release's absolute line numbers say nothing about the change).
import { alignSequences } from './align';

export const normaliseText = (text: string): string => text.replace(/\s+/g, ' ').trim();

export function bodiesDiffer(older: string, newer: string): boolean {
  return normaliseText(older) !== normaliseText(newer);
}

/** Lines of context around each change in a hunk. */
const context = 3;

/**
 * The unified diff of two function texts: `@@ -a,b +c,d @@` hunks with lines counted from 1 at each
 * function's first line, then ` `, `-`, `+` lines. Empty when the texts do not differ.
 */
export function unifiedBodyDiff(older: string, newer: string): string[] {
  if (!bodiesDiffer(older, newer)) return [];
  const oldLines = older.split('\n');
  const newLines = newer.split('\n');
  const pairs = alignSequences(
    [...oldLines.keys()].map((i) => ({ text: oldLines[i] })),
    [...newLines.keys()].map((i) => ({ text: newLines[i] })),
    (line) => normaliseText(line.text),
  );
  const changed = pairs.map((p) => p.old === undefined || p.new === undefined);
  const out: string[] = [];
  let at = 0;
  while (at < pairs.length) {
    if (!changed[at]) {
      at++;
      continue;
    }
    const first = Math.max(0, at - context);
    let last = at;
    // A hunk runs on while the next change is within twice the context.
    for (let k = at; k < pairs.length; k++) {
      if (changed[k]) last = k;
      else if (k - last > 2 * context) break;
    }
    last = Math.min(pairs.length - 1, last + context);
    const slice = pairs.slice(first, last + 1);
    const oldStart = firstIndex(pairs, first, 'old');
    const newStart = firstIndex(pairs, first, 'new');
    const oldCount = slice.filter((p) => p.old !== undefined).length;
    const newCount = slice.filter((p) => p.new !== undefined).length;
    out.push(`@@ -${oldStart + 1},${oldCount} +${newStart + 1},${newCount} @@`);
    for (const pair of slice) {
      if (pair.old !== undefined && pair.new !== undefined) out.push(` ${newLines[pair.new]}`);
      else if (pair.old !== undefined) out.push(`-${oldLines[pair.old]}`);
      else out.push(`+${newLines[pair.new!]}`);
    }
    at = last + 1;
  }
  return out;
}

/** The 0-based line on `side` where the hunk starting at pair `from` begins. */
function firstIndex(
  pairs: readonly { old?: number; new?: number }[],
  from: number,
  side: 'old' | 'new',
): number {
  for (let k = from; k < pairs.length; k++) {
    const index = pairs[k][side];
    if (index !== undefined) return index;
  }
  for (let k = from - 1; k >= 0; k--) {
    const index = pairs[k][side];
    if (index !== undefined) return index + 1;
  }
  return 0;
}
