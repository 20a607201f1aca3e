// Syntax errors of a scenario as a C programmer expects them. tree-sitter recovers from a missing `;`
// at the end of a line by wrapping a token in an ERROR node, often the last one of that line or the
// first of the next; the useful message is the compiler's "expected ';'" at the end of the statement.
import type { Node } from 'web-tree-sitter';
import type { Span } from '../index/facts';
import type { ScenarioDiagnostic } from './ast';
import { spanOf } from '../parse/node-span';

/** At most this many syntax errors are reported; later ones are mostly echoes of the first. */
const reportedErrors = 20;

/** A line can end a statement that lacks its `;` unless it ends with one of these (or is empty). */
const continuesOnNextLine = /[;{}(,\\=+\-*/%&|^<>!?:.[]$/;

export function syntaxErrors(root: Node, source: string): ScenarioDiagnostic[] {
  const lines = source.split('\n');
  const found: ScenarioDiagnostic[] = [];
  const visit = (node: Node): void => {
    if (found.length >= reportedErrors) return;
    if (node.isMissing) {
      found.push({
        message: expected(node.type),
        severity: 'error',
        span: beforeTrailingComment(node, lines),
      });
      return;
    }
    if (node.isError) {
      const unterminated = unterminatedLineNear(node, lines);
      if (unterminated) {
        found.push({ message: expected(';'), severity: 'error', span: unterminated });
      } else {
        const text = node.text.replace(/\s+/g, ' ').slice(0, 40);
        found.push({ message: `syntax error at '${text}'`, severity: 'error', span: spanOf(node) });
      }
      return;
    }
    if (node.hasError) for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return found;
}

function expected(token: string): string {
  return token === ';'
    ? "syntax error: expected ';' at end of statement"
    : `syntax error: expected '${token}'`;
}

/**
 * Where a `;` is missing, if the error sits at a line break: the error ends its line, or starts its
 * line after a line that does not end a statement. The span is the empty place after that line's code.
 */
function unterminatedLineNear(error: Node, lines: readonly string[]): Span | undefined {
  const end = error.endPosition;
  const start = error.startPosition;
  const candidates: number[] = [];
  if (codeOf(lines[end.row] ?? '').length <= end.column) candidates.push(end.row);
  if (
    codeOf(lines[start.row] ?? '')
      .slice(0, start.column)
      .trim() === ''
  ) {
    for (let row = start.row - 1; row >= 0; row--) {
      if (codeOf(lines[row]).trim() === '') continue;
      candidates.push(row);
      break;
    }
  }
  for (const row of candidates) {
    const code = codeOf(lines[row]).trimEnd();
    if (code === '' || code.trimStart().startsWith('#') || continuesOnNextLine.test(code)) continue;
    return { line: row, column: code.length, endLine: row, endColumn: code.length };
  }
  return undefined;
}

/** A token tree-sitter found missing after a line's trailing comment belongs before the comment. */
function beforeTrailingComment(missing: Node, lines: readonly string[]): Span {
  const { row, column } = missing.startPosition;
  const codeEnd = codeOf(lines[row] ?? '').trimEnd().length;
  const at = Math.min(column, codeEnd);
  return { line: row, column: at, endLine: row, endColumn: at };
}

/** A line without its trailing comment. */
function codeOf(line: string): string {
  return line.replace(/\/\/.*$/, '').replace(/\/\*.*\*\/\s*$/, '');
}
