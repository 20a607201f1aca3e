// The shape shared by the query subcommands (impls, resolve, tables, callers, callees): open the
// index, run one query, time it, print text lines or `{ "results": [...], "queryMs": n }`.
import { performance } from 'node:perf_hooks';
import type { KernelIndex } from '../index/kernel-index';
import { DamagedIndexError } from '../index/piece-reader';
import type { CallEdge, Installation } from '../index/queries';
import { booleanFlag, parseArgs, UsageError, type ParsedArgs } from './args';
import type { Command, CommandOutput } from './command';
import { kernelOptionsUsage, openKernelFromArgs, position } from './kernel-args';

export interface QueryResult<T> {
  results: T[];
  /** Printed above the results in text mode. */
  heading?: string;
  /** What the query found besides its results (resolve: the call), printed beside them in JSON. */
  about?: Record<string, unknown>;
}

/** A query subcommand; `answer` runs its query on an open index, as `run` does (scripts reuse one index). */
export interface QueryCommand<T> extends Command {
  answer(index: KernelIndex, argument: string): QueryResult<T>;
}

export function queryCommand<T extends object>(spec: {
  name: string;
  summary: string;
  argument: string;
  description: string;
  query: (index: KernelIndex, argument: string) => QueryResult<T>;
  formatText: (result: T) => string;
}): QueryCommand<T> {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: `knr ${spec.name} ${spec.argument} --kernel DIR [--cache DIR] [--json]\n\n${spec.description}\n\n${kernelOptionsUsage}`,
    booleans: ['json'],
    answer: spec.query,
    async run(argv, output) {
      const args = parseArgs(argv, this.booleans);
      const [argument, ...extra] = args.positional;
      if (!argument) throw new UsageError(`missing ${spec.argument}`);
      if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
      const { result, queryMs } = await timedQuery(args, output, spec.name, (index) =>
        spec.query(index, argument),
      );
      if (booleanFlag(args, 'json')) {
        output.out(JSON.stringify({ ...result.about, results: result.results, queryMs }, null, 2));
      } else {
        if (result.heading) output.out(result.heading);
        for (const item of result.results) output.out(spec.formatText(item));
        if (result.results.length === 0) output.out('(none)');
      }
      return 0;
    },
  };
}

/**
 * Opens the index and runs one query on it, timed. A part of the saved index the query read may fail
 * its check; the file is then gone, so opening again builds it afresh and the query runs once more.
 */
export async function timedQuery<R>(
  args: ParsedArgs,
  output: CommandOutput,
  commandName: string,
  query: (index: KernelIndex) => R,
): Promise<{ result: R; queryMs: number }> {
  let { index } = await openKernelFromArgs(args, output);
  let started = performance.now();
  let result: R;
  try {
    result = query(index);
  } catch (error) {
    if (!(error instanceof DamagedIndexError)) throw error;
    output.err(`knr ${commandName}: ${error.message}; indexing the tree again`);
    ({ index } = await openKernelFromArgs(args, output));
    started = performance.now();
    result = query(index);
  }
  return { result, queryMs: Math.round((performance.now() - started) * 100) / 100 };
}

/** An installation in the CLI's stable JSON shape (1-based lines, paths relative to the kernel root). */
export interface InstallationJson {
  function: string;
  file?: string;
  line?: number;
  struct?: string;
  field?: string;
  table: string;
  element?: number;
  evidence: Installation['evidence'] | 'direct';
  at: { file: string; line: number };
}

export function installationJson(installation: Installation): InstallationJson {
  return {
    function: installation.function,
    file: installation.functionLocation?.file,
    line: installation.functionLocation ? installation.functionLocation.span.line + 1 : undefined,
    struct: installation.struct,
    field: installation.field,
    table: installation.table,
    element: installation.element,
    evidence: installation.evidence,
    at: { file: installation.file, line: installation.span.line + 1 },
  };
}

export function installationText(item: InstallationJson): string {
  const table = item.element === undefined ? item.table : `${item.table}[${item.element}]`;
  const where = item.file ? `${item.file}:${item.line}` : '(no definition in the tree)';
  return `${item.function.padEnd(28)} ${`${table}.${item.field}`.padEnd(40)} ${item.evidence.padEnd(12)} ${where}`;
}

export function edgeJson(edge: CallEdge, direction: 'callers' | 'callees') {
  const other = direction === 'callers' ? edge.callerLocation : edge.calleeLocation;
  return {
    function: direction === 'callers' ? edge.caller : edge.callee,
    file: other?.file,
    line: other ? other.span.line + 1 : undefined,
    call: { file: edge.file, line: edge.span.line + 1, column: edge.span.column + 1 },
    how: edge.hop ? 'indirect' : 'direct',
    struct: edge.hop?.struct,
    field: edge.hop?.field,
    table: edge.hop?.table,
    evidence: edge.evidence,
  };
}

export function edgeText(item: ReturnType<typeof edgeJson>): string {
  const via = item.how === 'indirect' ? `via ${item.struct}.${item.field} (${item.table})` : 'direct';
  return `${item.function.padEnd(28)} ${via.padEnd(48)} ${item.evidence.padEnd(18)} ${position(item.call.file, { line: item.call.line - 1, column: item.call.column - 1, endLine: 0, endColumn: 0 })}`;
}
