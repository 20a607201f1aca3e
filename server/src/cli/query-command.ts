// The shape shared by the query subcommands (impls, resolve, tables, callers, callees): open the
// index, run one query, time it, print text lines or `{ "results": [...], "queryMs": n }`.
import { performance } from 'node:perf_hooks';
import type { KernelIndex } from '../index/kernel-index';
import { DamagedIndexError } from '../index/piece-reader';
import type { CallEdge, Installation, SymbolLocation } from '../index/queries';
import { booleanFlag, parseArgs, stringFlag, UsageError, type ParsedArgs } from './args';
import type { Command, CommandOutput, KernelOpener } from './command';
import { kernelOptionsUsage, openKernelFromArgs, position } from './kernel-args';

export interface QueryResult<T> {
  results: T[];
  /** Printed above the results in text mode. */
  heading?: string;
  /** Added beside `results` in JSON mode (resolve: the call; callers: the definition chosen). */
  json?: Record<string, unknown>;
}

/**
 * A query subcommand; `answer` runs its query on an open index, as `run` does (scripts and `knr mcp`
 * reuse one index), with the command's options as they would be written (`['--from', 'net/x.c']`).
 */
export interface QueryCommand<T> extends Command {
  answer(index: KernelIndex, argument: string, options?: string[]): QueryResult<T>;
}

export function queryCommand<T extends object>(spec: {
  name: string;
  summary: string;
  argument: string;
  description: string;
  query: (index: KernelIndex, argument: string, args: ParsedArgs) => QueryResult<T>;
  formatText: (result: T) => string;
  /** Options of this command alone, for its usage text. */
  options?: string[];
}): QueryCommand<T> {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: [
      `knr ${spec.name} ${spec.argument} --kernel DIR [--cache DIR] [--arch ARCH] [--json]`,
      '',
      spec.description,
      '',
      ...(spec.options ?? []),
      kernelOptionsUsage,
    ].join('\n'),
    booleans: ['json'],
    answer: (index, argument, options = []) => spec.query(index, argument, parseArgs(options, [])),
    async run(argv, output, open) {
      const args = parseArgs(argv, this.booleans);
      const [argument, ...extra] = args.positional;
      if (!argument) throw new UsageError(`missing ${spec.argument}`);
      if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
      const { result, queryMs } = await timedQuery(
        args,
        output,
        spec.name,
        (index) => spec.query(index, argument, args),
        open,
      );
      if (booleanFlag(args, 'json')) {
        output.out(JSON.stringify({ ...result.json, results: result.results, queryMs }, null, 2));
      } else {
        if (result.heading) output.out(result.heading);
        for (const item of result.results) output.out(spec.formatText(item));
        if (result.results.length === 0) output.out('(none)');
      }
      return 0;
    },
  };
}

/** `knr callers` and `knr callees`: the call edges of FUNCTION's definition that `--from FILE` sees. */
export function callEdgesCommand(spec: {
  name: 'callers' | 'callees';
  summary: string;
  description: string;
  edges: (index: KernelIndex, name: string, from: string | undefined) => CallEdge[];
}) {
  return queryCommand({
    name: spec.name,
    summary: spec.summary,
    argument: 'FUNCTION',
    description: spec.description,
    options: ['  --from FILE    answer for the definition of FUNCTION that FILE sees'],
    query: (index, name, args) => {
      const from = stringFlag(args, 'from');
      return {
        ...definitionChoice(index, name, from),
        results: spec.edges(index, name, from).map((edge) => edgeJson(edge, spec.name)),
      };
    },
    formatText: edgeText,
  });
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
  open: KernelOpener = openKernelFromArgs,
): Promise<{ result: R; queryMs: number }> {
  let { index } = await open(args, output);
  let started = performance.now();
  let result: R;
  try {
    result = query(index);
  } catch (error) {
    if (!(error instanceof DamagedIndexError)) throw error;
    output.err(`knr ${commandName}: ${error.message}; indexing the tree again`);
    ({ index } = await open(args, output));
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
  /** The table whose slot installs the function (absent for a binding, and for a direct call). */
  table?: string;
  element?: number;
  /** For a binding (evidence `assignment`): the function whose body assigns the field. */
  assignedIn?: string;
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
    ...(installation.source.kind === 'slot'
      ? { table: installation.source.table, element: installation.source.element }
      : { assignedIn: installation.source.assignedIn }),
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
  const slot =
    item.assignedIn !== undefined
      ? `${item.field} set in ${item.assignedIn}`
      : item.table === undefined
        ? '(no table)'
        : `${table}.${item.field}`;
  const where = item.file ? `${item.file}:${item.line}` : '(no definition in the tree)';
  const copied = item.copiedFrom
    ? ` (copied from ${item.copiedFrom.struct}.${item.copiedFrom.field} in ${item.copiedFrom.function})`
    : '';
  return `${item.function.padEnd(28)} ${slot.padEnd(40)} ${item.evidence.padEnd(12)} ${where}${copied}`;
}

/**
 * For a function with several definitions: which one `callers`/`callees` answer for (the one `from`
 * sees, by default the best ranked), and the others, as a heading and as JSON.
 */
function definitionChoice(
  index: KernelIndex,
  name: string,
  from: string | undefined,
): Pick<QueryResult<never>, 'heading' | 'json'> {
  const functions = (list: SymbolLocation[]) => list.filter((symbol) => symbol.kind === 'function');
  const all = functions(index.definitions(name));
  const chosen = functions(index.definitions(name, from))[0];
  if (all.length < 2 || !chosen) return {};
  const others = all.filter((s) => s.file !== chosen.file || s.span.line !== chosen.span.line);
  const listed = others.slice(0, 5).map((s) => position(s.file, s.span));
  if (others.length > listed.length) listed.push(`and ${others.length - listed.length} more`);
  return {
    heading:
      `${name}: the definition at ${position(chosen.file, chosen.span)}; also defined at ` +
      `${listed.join(', ')} (--from FILE answers for the one FILE sees)`,
    json: {
      definition: { file: chosen.file, line: chosen.span.line + 1 },
      otherDefinitions: others.map((s) => ({ file: s.file, line: s.span.line + 1 })),
    },
  };
}

function edgeJson(edge: CallEdge, direction: 'callers' | 'callees') {
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
    tables: edge.hop?.tables,
    evidence: edge.evidence,
  };
}

function edgeText(item: ReturnType<typeof edgeJson>): string {
  const via =
    item.how === 'indirect'
      ? `via ${item.struct}.${item.field} (${item.tables?.join(', ')})`
      : item.how === 'argument'
        ? `passed to ${item.passedTo}`
        : 'direct';
  return `${item.function.padEnd(28)} ${via.padEnd(48)} ${item.evidence.padEnd(18)} ${position(item.call.file, { line: item.call.line - 1, column: item.call.column - 1, endLine: 0, endColumn: 0 })}`;
}
