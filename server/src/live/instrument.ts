// Rewrites a parsed scenario into the C program the live kernel runs: each statement's outermost call
// `name(args)` becomes `knr_live_name(SITE, args)` (scenarios/live/knr_live.h), and every executed
// statement is counted with `knr_live_statement(SITE)` so the run stops at the models' bound. Lines
// stay where they were, so compiler messages and result positions refer to the scenario as written.
import type { Span } from '../index/facts';
import { outermostCall, walkExpr, type Expr, type ScenarioProgram, type Statement } from '../scenario/ast';
import { scenarioCallEntries } from '../scenario/helpers';

export type LiveTopology = 'loopback' | 'veth-pair';

/** A statement of the scenario, numbered in the rewritten program. */
export interface StatementSite {
  /** 1-based, as in the results. */
  line: number;
  column: number;
  /** The outermost call, when the statement has one (and so produces a result). */
  call?: string;
}

export interface InstrumentedScenario {
  source: string;
  sites: StatementSite[];
  topology: LiveTopology;
}

/** Calls that knr_live.h wraps; a statement whose outermost call is anything else cannot run live. */
export const recordedCalls: ReadonlySet<string> = new Set(
  scenarioCallEntries.filter(([, call]) => !call.initialiserOnly).map(([name]) => name),
);

export class InstrumentError extends Error {}

interface Edit {
  offset: number;
  remove: number;
  insert: string;
  /** Orders edits at the same offset: a statement's prefix before its call's rewrite, suffixes last. */
  order: number;
}

/** Byte offsets of line starts: tree-sitter columns count bytes. */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  return starts;
}

function allStatements(statements: readonly Statement[]): Statement[] {
  return statements.flatMap((s) => (s.kind === 'for' ? allStatements(s.body) : [s]));
}

function statementExpr(statement: Statement): Expr | undefined {
  if (statement.kind === 'expression') return statement.expr;
  if (statement.kind === 'declaration') return statement.init;
  if (statement.kind === 'assignment') return statement.value;
  return undefined;
}

function chooseTopology(statements: readonly Statement[]): LiveTopology {
  for (const statement of allStatements(statements)) {
    const expr = statementExpr(statement);
    if (!expr) continue;
    for (const node of walkExpr(expr)) {
      if (node.kind === 'call' && node.callee === 'knr_veth_pair') return 'veth-pair';
    }
  }
  return 'loopback';
}

export function instrumentScenario(source: string, program: ScenarioProgram): InstrumentedScenario {
  const bytes = Buffer.from(source, 'utf8');
  const starts = lineStarts(bytes);
  const offsetOf = (line: number, column: number) => starts[line] + column;
  const textOf = (span: Span) =>
    bytes.subarray(offsetOf(span.line, span.column), offsetOf(span.endLine, span.endColumn)).toString('utf8');
  const where = (span: Span) => `${program.file}:${span.line + 1}:${span.column + 1}`;
  const sites: StatementSite[] = [];
  const edits: Edit[] = [];
  const seen = new Set<string>();

  const visit = (statement: Statement, depth: number): void => {
    const { span } = statement;
    // `int a = f(), b = g();` is one C declaration but several statements with one span.
    const key = `${span.line}:${span.column}`;
    if (seen.has(key)) {
      if (outermostCall(statement)) {
        throw new InstrumentError(`${where(span)}: declare one variable per call to run live`);
      }
      return;
    }
    seen.add(key);
    const site = sites.length;
    const call = outermostCall(statement);
    sites.push({ line: span.line + 1, column: span.column + 1, call: call?.callee });

    // Counted as the models count: every statement, a loop once plus its body's statements per
    // iteration, and a loop that would pass the bound is refused before it starts.
    let prefix = `knr_live_statement(${site}); `;
    if (statement.kind === 'for') {
      const bound = `(long long)(${textOf(statement.bound.span)})${statement.inclusive ? ' + 1' : ''}`;
      const bodySteps = Math.max(1, statement.body.length);
      prefix += `knr_live_loop(${site}, (long long)(${textOf(statement.start.span)}), ${bound}, ${bodySteps}); `;
    }
    // A declaration is always inside a block, so a prefix is enough; any other statement may be the
    // unbraced body of a loop, so it is wrapped in a block of its own. Edits at one offset nest:
    // outer openings first, inner closings first.
    const braced = statement.kind !== 'declaration';
    const start = offsetOf(span.line, span.column);
    edits.push({ offset: start, remove: 0, insert: `${braced ? '{ ' : ''}${prefix}`, order: depth });
    if (braced) {
      edits.push({
        offset: offsetOf(span.endLine, span.endColumn),
        remove: 0,
        insert: ' }',
        order: 1000 - depth,
      });
    }
    if (statement.kind === 'for') {
      for (const inner of statement.body) visit(inner, depth + 1);
      return;
    }

    if (!call) return;
    if (!recordedCalls.has(call.callee)) {
      throw new InstrumentError(`${where(call.span)}: '${call.callee}' cannot run on the live kernel`);
    }
    const calleeStart = offsetOf(call.calleeSpan.line, call.calleeSpan.column);
    const calleeEnd = offsetOf(call.calleeSpan.endLine, call.calleeSpan.endColumn);
    const parenthesis = bytes.indexOf('(', calleeEnd);
    edits.push({
      offset: calleeStart,
      remove: calleeEnd - calleeStart,
      insert: `knr_live_${call.callee}`,
      order: 500,
    });
    edits.push({
      offset: parenthesis + 1,
      remove: 0,
      insert: call.args.length > 0 ? `${site}, ` : `${site}`,
      order: 500,
    });
  };
  for (const statement of program.statements) visit(statement, 0);

  edits.sort((a, b) => a.offset - b.offset || a.order - b.order);
  const parts: Buffer[] = [];
  let cursor = 0;
  for (const edit of edits) {
    parts.push(bytes.subarray(cursor, edit.offset), Buffer.from(edit.insert, 'utf8'));
    cursor = edit.offset + edit.remove;
  }
  parts.push(bytes.subarray(cursor));
  return {
    source: Buffer.concat(parts).toString('utf8'),
    sites,
    topology: chooseTopology(program.statements),
  };
}
