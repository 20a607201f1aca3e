// Compare Path Across Kernel Versions: a scenario run on the models of two served trees, the paths
// aligned and each function compared (server/src/diff), in editor terms.
import { fileURLToPath } from 'node:url';
import { diffScenario } from '../../diff/diff-scenario';
import type { FunctionSource } from '../../diff/path-diff';
import { treeOf } from '../../diff/path-functions';
import { renderDiffSvg } from '../../diff/render-svg';
import { renderDiffText } from '../../diff/render-text';
import type { IndexQueries } from '../../index/queries';
import type { ComparePathParams, ComparePathResult, FunctionVersionView } from '../../protocol';
import { resolveScenarioPath } from '../../scenario/library';
import { fileToUri } from '../convert';
import type { Session } from '../session';

type ServedTree = { root: string; index: IndexQueries };

/** `6.1.192` before `6.12.3`: numerically, part by part. */
const byVersion = (a: ServedTree, b: ServedTree): number => {
  const pa = a.index.version.split('.').map(Number);
  const pb = b.index.version.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

function chooseTrees(session: Session, params: ComparePathParams): [ServedTree, ServedTree] {
  const ready = session.readyIndexes();
  const pick = (root: string | undefined): ServedTree | undefined => {
    if (root === undefined) return undefined;
    const tree = ready.find((t) => t.root === root);
    if (!tree) throw new Error(session.messages.format('comparePath.notServed', { root }));
    return tree;
  };
  const sorted = [...ready].sort(byVersion);
  if (sorted.length < 2 && (params.old === undefined || params.new === undefined))
    throw new Error(session.messages.format('comparePath.needsTwoTrees', { count: sorted.length }));
  return [pick(params.old) ?? sorted[0], pick(params.new) ?? sorted[sorted.length - 1]];
}

const versionView = (root: string, source: FunctionSource | undefined): FunctionVersionView | undefined =>
  source && { uri: fileToUri(root, source.file), line: source.line - 1, text: source.text };

export async function comparePath(session: Session, params: ComparePathParams): Promise<ComparePathResult> {
  const [older, newer] = chooseTrees(session, params);
  const file = params.scenario.uri
    ? fileURLToPath(params.scenario.uri)
    : resolveScenarioPath(params.scenario.name ?? '');
  const outcome = await diffScenario(file, treeOf(older.index), treeOf(newer.index));
  if (!outcome.diff) {
    const problems = outcome.diagnostics.map((d) => `${d.kernel}: ${d.diagnostic.message}`).join('; ');
    throw new Error(session.messages.format('comparePath.scenarioProblems', { problems }));
  }
  const { diff } = outcome;
  return {
    scenario: diff.subject,
    old: { root: older.root, kernel: diff.old.kernel },
    new: { root: newer.root, kernel: diff.new.kernel },
    path: diff.path,
    functions: diff.functions.map((f) => {
      const view: ComparePathResult['functions'][number] = { name: f.name, status: f.status };
      const oldView = versionView(older.root, f.old);
      const newView = versionView(newer.root, f.new);
      if (oldView) view.old = oldView;
      if (newView) view.new = newView;
      return view;
    }),
    svg: renderDiffSvg(diff, outcome.merged!),
    report: renderDiffText(diff),
  };
}
