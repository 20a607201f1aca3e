// The shape shared by the query subcommands (impls, resolve, tables, callers, callees): open the
// index, run one query, time it, print text lines or `{ "results": [...], "queryMs": n }`.
import { performance } from 'node:perf_hooks';
import type { KernelIndex } from '../index/kernel-index';
import { DamagedIndexError } from '../index/piece-reader';
import type { CallEdge, Installation } from '../index/queries';
import { booleanFlag, parseArgs, UsageError } from './args';
import type { Command } from './command';
import { kernelOptionsUsage, openKernelFromArgs, position } from './kernel-args';

export interface QueryResult<T> {
  results: T[];
  /** Printed above the results in text mode. */
  heading?: string;
}

export function queryCommand<T extends object>(spec: {
  name: string;
  summary: string;
  argument: string;
  description: string;
  query: (index: KernelIndex, argument: string) => QueryResult<T>;
  formatText: (result: T) => string;
}): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: `knr ${spec.name} ${spec.argument} --kernel DIR [--cache DIR] [--json]\n\n${spec.description}\n\n${kernelOptionsUsage}`,
    booleans: ['json'],
    async run(argv, output) {
      const args = parseArgs(argv, this.booleans);
      const [argument, ...extra] = args.positional;
      if (!argument) throw new UsageError(`missing ${spec.argument}`);
      if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
      let { index } = await openKernelFromArgs(args, output);
      let started = performance.now();
      let result: QueryResult<T>;
      try {
        result = spec.query(index, argument);
      } catch (error) {
        // A part of the saved index this query read failed its check; the file is gone, so this
        // open builds it afresh.
        if (!(error instanceof DamagedIndexError)) throw error;
        output.err(`knr ${spec.name}: ${error.message}; indexing the tree again`);
        ({ index } = await openKernelFromArgs(args, output));
        started = performance.now();
        result = spec.query(index, argument);
      }
      const queryMs = Math.round((performance.now() - started) * 100) / 100;
      if (booleanFlag(args, 'json')) {
        output.out(JSON.stringify({ results: result.results, queryMs }, null, 2));
      } else {
        if (result.heading) output.out(result.heading);
        for (const item of result.results) output.out(spec.formatText(item));
        if (result.results.length === 0) output.out('(none)');
      }
      return 0;
    },
  };
}

/** An installation in the CLI's stable JSON shape (1-based lines, paths relative to the kernel root). */
export interface InstallationJson {
  function: string;
  file?: string;
  line?: number;
  struct?: string;
  field?: string;
  /** The table that installs the function; absent for a direct call, which goes through none. */
  table?: string;
  element?: number;
  /** How it is reached: through a slot (its evidence), called directly, or a macro expanded. */
  evidence: Installation['evidence'] | 'direct' | 'macro';
  at: { file: string; line: number };
  /** For a field filled by a run-time copy: the field copied from and the function that copies it. */
  copiedFrom?: { struct: string; field: string; function: string; at: { file: string; line: number } };
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
    copiedFrom: installation.copiedFrom && {
      struct: installation.copiedFrom.struct,
      field: installation.copiedFrom.field,
      function: installation.copiedFrom.function,
      at: { file: installation.copiedFrom.file, line: installation.copiedFrom.span.line + 1 },
    },
  };
}

export function installationText(item: InstallationJson): string {
  const table = item.element === undefined ? item.table : `${item.table}[${item.element}]`;
  const slot = item.table === undefined ? '(no table)' : `${table}.${item.field}`;
  const where = item.file ? `${item.file}:${item.line}` : '(no definition in the tree)';
  const copied = item.copiedFrom
    ? ` (copied from ${item.copiedFrom.struct}.${item.copiedFrom.field} in ${item.copiedFrom.function})`
    : '';
  return `${item.function.padEnd(28)} ${slot.padEnd(40)} ${item.evidence.padEnd(12)} ${where}${copied}`;
}

export function edgeJson(edge: CallEdge, direction: 'callers' | 'callees') {
  const other = direction === 'callers' ? edge.callerLocation : edge.calleeLocation;
  return {
    function: direction === 'callers' ? edge.caller : edge.callee,
    file: other?.file,
    line: other ? other.span.line + 1 : undefined,
    call: { file: edge.file, line: edge.span.line + 1, column: edge.span.column + 1 },
    how: edge.hop ? 'indirect' : edge.passedTo !== undefined ? 'argument' : 'direct',
    passedTo: edge.passedTo,
    struct: edge.hop?.struct,
    field: edge.hop?.field,
    table: edge.hop?.table,
    evidence: edge.evidence,
  };
}

export function edgeText(item: ReturnType<typeof edgeJson>): string {
  const via =
    item.how === 'indirect'
      ? `via ${item.struct}.${item.field} (${item.table})`
      : item.how === 'argument'
        ? `passed to ${item.passedTo}`
        : 'direct';
  return `${item.function.padEnd(28)} ${via.padEnd(48)} ${item.evidence.padEnd(18)} ${position(item.call.file, { line: item.call.line - 1, column: item.call.column - 1, endLine: 0, endColumn: 0 })}`;
}
