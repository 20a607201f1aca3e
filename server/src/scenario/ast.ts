// A parsed scenario: the statements of `main` as plain data, with 0-based spans into the scenario
// file. Produced by parse.ts from the tree-sitter-c syntax tree; run by trace/run-scenario.ts.
import type { Span } from '../index/facts';

export type Expr =
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'null'; span: Span }
  /** A variable or a constant; which one is decided when the scenario is checked. */
  | { kind: 'name'; name: string; span: Span }
  | { kind: 'call'; callee: string; args: Expr[]; span: Span; calleeSpan: Span }
  | { kind: 'unary'; operator: '-' | '~' | '!' | '&' | '*' | '+'; operand: Expr; span: Span }
  | { kind: 'binary'; operator: string; left: Expr; right: Expr; span: Span }
  | { kind: 'conditional'; condition: Expr; consequence: Expr; alternative: Expr; span: Span }
  | { kind: 'sizeof-expr'; operand: Expr; span: Span }
  | { kind: 'sizeof-type'; type: TypeName; span: Span }
  | { kind: 'cast'; type: TypeName; operand: Expr; span: Span }
  | { kind: 'init-list'; entries: InitEntry[]; span: Span }
  | { kind: 'field'; object: Expr; field: string; arrow: boolean; span: Span };

export interface InitEntry {
  /** `.sin_addr.s_addr = ...` gives `['sin_addr', 's_addr']`; a positional entry has none. */
  designator?: string[];
  value: Expr;
}

/** A type as written: `int`, `char`, `struct sockaddr_ll`, with the number of `*`. */
export interface TypeName {
  /** `int`, `char`, `unsigned int`, `socklen_t`, or a struct tag written `struct sockaddr_ll`. */
  base: string;
  pointer: number;
}

export type Statement =
  | {
      kind: 'declaration';
      type: TypeName;
      name: string;
      /** `char buf[64]` gives the size expression; `code[]` gives 'unsized'. */
      array?: Expr | 'unsized';
      init?: Expr;
      span: Span;
    }
  | { kind: 'expression'; expr: Expr; span: Span }
  | { kind: 'assignment'; target: string; value: Expr; span: Span }
  | {
      kind: 'for';
      variable: string;
      start: Expr;
      /** The loop runs while `variable < bound` (or `<=` with inclusive). */
      bound: Expr;
      inclusive: boolean;
      body: Statement[];
      span: Span;
    }
  | { kind: 'return'; span: Span };

export interface ScenarioProgram {
  /** The file name without `.c`. */
  name: string;
  file: string;
  description?: string;
  /** The body of `main`. */
  statements: Statement[];
  /** The `main` function's span. */
  span: Span;
}

export interface ScenarioDiagnostic {
  message: string;
  severity: 'error' | 'warning';
  span: Span;
}

/** The outermost call of a statement, which names its result. */
export function outermostCall(statement: Statement): Extract<Expr, { kind: 'call' }> | undefined {
  const expr =
    statement.kind === 'expression'
      ? statement.expr
      : statement.kind === 'declaration' || statement.kind === 'assignment'
        ? statement.kind === 'declaration'
          ? statement.init
          : statement.value
        : undefined;
  return expr?.kind === 'call' ? expr : undefined;
}

/** Every sub-expression of an expression, the expression first. */
export function* walkExpr(expr: Expr): Generator<Expr> {
  yield expr;
  switch (expr.kind) {
    case 'call':
      for (const arg of expr.args) yield* walkExpr(arg);
      break;
    case 'unary':
    case 'sizeof-expr':
    case 'cast':
      yield* walkExpr(expr.operand);
      break;
    case 'binary':
      yield* walkExpr(expr.left);
      yield* walkExpr(expr.right);
      break;
    case 'conditional':
      yield* walkExpr(expr.condition);
      yield* walkExpr(expr.consequence);
      yield* walkExpr(expr.alternative);
      break;
    case 'init-list':
      for (const entry of expr.entries) yield* walkExpr(entry.value);
      break;
    case 'field':
      yield* walkExpr(expr.object);
      break;
    default:
      break;
  }
}
