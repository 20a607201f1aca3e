// `knr diff SCENARIO`: the scenario run on each tree's models, the traces aligned, and every function
// of the aligned path compared through each tree's index.
import type { ScenarioDiagnostic } from '../scenario/ast';
import { traceScenarioFile } from '../trace/api';
import type { Trace } from '../trace/trace';
import type { PathDiff } from './path-diff';
import { comparePathFunctions, type Tree } from './path-functions';
import { diffResults } from './results-diff';
import { alignTraces } from './trace-align';

export interface ScenarioDiffOutcome {
  /** Problems of the scenario on either tree, each with the tree's version. */
  diagnostics: { kernel: string; diagnostic: ScenarioDiagnostic }[];
  diff?: PathDiff;
  /** The diagram's input: both paths as one trace. */
  merged?: Trace;
  /** Where a run stopped early, per side. */
  stopped: { kernel: string; message: string }[];
}

export async function diffScenario(file: string, older: Tree, newer: Tree): Promise<ScenarioDiffOutcome> {
  const oldOutcome = await traceScenarioFile(file, older.index, older.source);
  const newOutcome = await traceScenarioFile(file, newer.index, newer.source);
  const diagnostics = [
    ...oldOutcome.diagnostics.map((diagnostic) => ({ kernel: older.index.version, diagnostic })),
    ...newOutcome.diagnostics.map((diagnostic) => ({ kernel: newer.index.version, diagnostic })),
  ];
  if (!oldOutcome.trace || !newOutcome.trace) return { diagnostics, stopped: [] };
  const oldTrace = oldOutcome.trace;
  const newTrace = newOutcome.trace;
  const alignment = alignTraces(oldTrace, newTrace);
  const diff: PathDiff = {
    kind: 'scenario',
    subject: newTrace.scenario,
    old: { kernel: oldTrace.kernel },
    new: { kernel: newTrace.kernel },
    path: alignment.path,
    functions: comparePathFunctions(
      alignment.path,
      fileOfFunctions(oldTrace),
      fileOfFunctions(newTrace),
      older,
      newer,
    ),
    hops: alignment.hops,
    events: alignment.events,
    results: diffResults(oldTrace.results, newTrace.results),
  };
  const stopped = [oldTrace, newTrace]
    .filter((t) => t.stopped)
    .map((t) => ({ kernel: t.kernel, message: t.stopped!.message }));
  return { diagnostics, diff, merged: alignment.merged, stopped };
}

/** The file each function's model names, where the definition is looked up first. */
function fileOfFunctions(trace: Trace): Map<string, string> {
  const files = new Map<string, string>();
  for (const event of trace.events) if (!files.has(event.function)) files.set(event.function, event.file);
  return files;
}
