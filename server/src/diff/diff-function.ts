// `knr diff FUNCTION`: one function and what it calls one level deep, directly and through ops tables
// (the index's callees), compared between two trees. The callees of each tree are aligned by name in
// call order; a callee reached through a different table or field is an ops hop that changed.
import type { CallEdge } from '../index/queries';
import { alignSequences } from './align';
import { comparePathFunctions, type Tree } from './path-functions';
import type { HopChange, PathDiff, PathStep } from './path-diff';

/** Each callee once (its first call in the body), in call order. */
function calleesInOrder(tree: Tree, name: string, file: string | undefined): CallEdge[] {
  const seen = new Set<string>();
  return tree.index
    .callees(name, file)
    .slice()
    .sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column)
    .filter((edge) => {
      const key = edge.callee;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

const hopOf = (edge: CallEdge) =>
  edge.hop && {
    struct: edge.hop.struct,
    field: edge.hop.field,
    table: edge.hop.tables.join(', '),
    target: edge.callee,
  };

/** Undefined when neither tree defines `name`. */
export function diffFunction(name: string, older: Tree, newer: Tree): PathDiff | undefined {
  const oldDefinition = older.index.definitions(name).find((d) => d.kind === 'function');
  const newDefinition = newer.index.definitions(name).find((d) => d.kind === 'function');
  if (!oldDefinition && !newDefinition) return undefined;
  const oldCallees = oldDefinition ? calleesInOrder(older, name, oldDefinition.file) : [];
  const newCallees = newDefinition ? calleesInOrder(newer, name, newDefinition.file) : [];
  const path: PathStep[] = [
    {
      function: name,
      depth: 0,
      statement: 0,
      side: oldDefinition && newDefinition ? 'both' : oldDefinition ? 'old' : 'new',
    },
  ];
  const hops: HopChange[] = [];
  const oldFiles = new Map<string, string>();
  const newFiles = new Map<string, string>();
  if (oldDefinition) oldFiles.set(name, oldDefinition.file);
  if (newDefinition) newFiles.set(name, newDefinition.file);
  for (const pair of alignSequences(oldCallees, newCallees, (edge) => edge.callee)) {
    const o = pair.old === undefined ? undefined : oldCallees[pair.old];
    const n = pair.new === undefined ? undefined : newCallees[pair.new];
    const shown = (n ?? o)!;
    path.push({ function: shown.callee, depth: 1, statement: 0, side: o && n ? 'both' : o ? 'old' : 'new' });
    if (o?.calleeLocation) oldFiles.set(o.callee, o.calleeLocation.file);
    if (n?.calleeLocation) newFiles.set(n.callee, n.calleeLocation.file);
    const oldHop = o && hopOf(o);
    const newHop = n && hopOf(n);
    if ((oldHop || newHop) && JSON.stringify(oldHop) !== JSON.stringify(newHop)) {
      const change: HopChange = { function: name, anchor: shown.callee, statement: 0 };
      if (oldHop) change.old = oldHop;
      if (newHop) change.new = newHop;
      hops.push(change);
    }
  }
  return {
    kind: 'function',
    subject: name,
    old: { kernel: older.index.version },
    new: { kernel: newer.index.version },
    path,
    functions: comparePathFunctions(path, oldFiles, newFiles, older, newer),
    hops,
    events: [],
    results: [],
  };
}
