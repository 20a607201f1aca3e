// `knr check-models`: resolves every anchor of every model against an indexed tree. Anchors declared
// for other versions only are listed as known per-version differences; anything else that does not
// resolve is drift between a model and the kernel source. Each model's declaration of where the kernel
// reports its packet ends (endsReportedAs) is checked against the tree too, and so is each later
// kernel change the models declare ends for: the tree must predate it.
import type { IndexQueries } from '../index/queries';
import {
  allModelDefinitions,
  laterKernelChanges,
  releaseHasChange,
  type LaterKernelChange,
  type ModelDefinition,
} from '../models';
import { AnchorResolver, type AnchorIndex, type SourceReader } from './anchors';

export interface AnchorReport {
  function: string;
  file: string;
  anchor: string;
  pattern: string;
  /** 1-based, when resolved. */
  line?: number;
  reason?: string;
}

export interface ModelCheck {
  kernel: string;
  series: string;
  models: number;
  anchors: number;
  resolved: AnchorReport[];
  unresolved: AnchorReport[];
  knownDifferences: AnchorReport[];
  /** The models' declarations of where the kernel reports their packet ends, each checked. */
  endDeclarations: EndDeclarationCheck[];
  /** The later kernel changes the models declare ends for, each checked to be newer than the tree. */
  laterChanges: LaterChangeCheck[];
}

export interface LaterChangeCheck {
  since: string;
  commit: string;
  subject: string;
  /** The tree's version is older than `since` and its file lacks the change's new code. */
  holds: boolean;
  detail: string;
}

export interface EndDeclarationCheck {
  function: string;
  file: string;
  why: 'tail-call' | 'inlined';
  /** Whether the tree bears it out. */
  holds: boolean;
  /** What the tree shows: the body, or the direct callers and whether the function is static. */
  detail: string;
}

type CheckIndex = AnchorIndex & Pick<IndexQueries, 'callers'>;

/** The function's body in the tree, comments removed, when it has one. */
function functionBody(index: AnchorIndex, source: SourceReader, model: ModelDefinition): string | undefined {
  const fact = index.facts(model.file)?.functions.find((f) => f.name === model.name && f.isDefinition);
  const lines = source.lines(model.file);
  if (!fact || !lines) return undefined;
  const text = lines.slice(fact.span.line, fact.span.endLine + 1).join('\n');
  const body = text.slice(text.indexOf('{') + 1, text.lastIndexOf('}'));
  return body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

function checkEndDeclaration(
  index: CheckIndex,
  source: SourceReader,
  model: ModelDefinition,
): EndDeclarationCheck | undefined {
  const declared = model.endsReportedAs;
  if (!declared) return undefined;
  const entry = { function: model.name, file: model.file, why: declared.why };
  if (declared.why === 'tail-call') {
    const statements = (functionBody(index, source, model) ?? '')
      .split(';')
      .map((statement) => statement.trim())
      .filter(Boolean);
    const holds = statements.length === 1 && /^(consume_skb|kfree_skb\w*)\(/.test(statements[0]);
    return { ...entry, holds, detail: `body: ${statements.map((t) => `${t};`).join(' ') || '(none found)'}` };
  }
  const fact = index.facts(model.file)?.functions.find((f) => f.name === model.name && f.isDefinition);
  const callers = [
    ...new Set(
      index
        .callers(model.name, { fromFile: model.file })
        // A static function is called only from its own file: a namesake's calls elsewhere are not its.
        .filter((edge) => edge.evidence === 'direct' && (!fact?.isStatic || edge.file === model.file))
        .map((edge) => edge.caller),
    ),
  ].sort();
  const holds = callers.includes(declared.into);
  const kind = fact?.isStatic ? 'static' : 'global';
  return {
    ...entry,
    holds,
    detail: `${kind}, direct callers: ${callers.join(', ') || '(none)'}; inlined into ${declared.into}`,
  };
}

function checkLaterChange(
  version: string,
  source: SourceReader,
  change: LaterKernelChange,
): LaterChangeCheck {
  const entry = { since: change.since, commit: change.commit, subject: change.subject };
  const { file, pattern } = change.newCode;
  const lines = source.lines(file);
  if (releaseHasChange(version, change))
    return {
      ...entry,
      holds: false,
      detail: `the tree (${version}) is not older than ${change.since}: follow its source`,
    };
  if (!lines) return { ...entry, holds: false, detail: `${file} is not in the tree` };
  const line = lines.findIndex((text) => text.includes(pattern));
  if (line >= 0)
    return {
      ...entry,
      holds: false,
      detail: `${file}:${line + 1} already has the change's code '${pattern}'`,
    };
  return { ...entry, holds: true, detail: `${version} predates it; ${file} lacks '${pattern}'` };
}

export function checkModels(index: CheckIndex, source: SourceReader): ModelCheck {
  const resolver = new AnchorResolver(index, source);
  const report: ModelCheck = {
    kernel: index.version,
    series: resolver.series,
    models: 0,
    anchors: 0,
    resolved: [],
    unresolved: [],
    knownDifferences: [],
    endDeclarations: [],
    laterChanges: laterKernelChanges.map((change) => checkLaterChange(index.version, source, change)),
  };
  for (const model of allModelDefinitions()) {
    report.models++;
    const declaration = checkEndDeclaration(index, source, model);
    if (declaration) report.endDeclarations.push(declaration);
    for (const [anchor, spec] of [
      ['enter', { pattern: model.name }] as const,
      ...Object.entries(model.anchors),
    ]) {
      report.anchors++;
      const entry: AnchorReport = { function: model.name, file: model.file, anchor, pattern: spec.pattern };
      const resolution = resolver.resolve(model, anchor);
      if (resolution.status === 'resolved') report.resolved.push({ ...entry, line: resolution.line + 1 });
      else if (resolution.status === 'not-in-version') {
        report.knownDifferences.push({
          ...entry,
          reason: `declared for other versions than ${resolution.series}`,
        });
      } else report.unresolved.push({ ...entry, reason: resolution.reason });
    }
  }
  return report;
}
