// Function-like #defines (`#define max_t(type, x, y) ...`), read from a file's text. Read the same
// way in every file (parsed, macro-only or too big to parse), and not from the syntax tree:
// tree-sitter-c ends a #define at a comment inside a continued body and loses the next ones.
import { Char } from './c-characters';
import type { FunctionMacroFact } from './facts';

/** How much of a body is kept: enough to read a macro in a hover, not a copy of the tree. */
export const macroBodyLimits = { lines: 12, characters: 600 };
/** The last line of a body cut at the limits. */
export const elidedBody = '/* ... */';

const functionLikeDefine = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(/gm;

/** The function-like macros of `text`, in document order; every definition of a name counts. */
export function functionMacrosIn(text: string): FunctionMacroFact[] {
  const macros: FunctionMacroFact[] = [];
  let line = 0;
  let lineStart = 0;
  // Where the last directive read ends: a match before it lies inside that directive.
  let directiveEnd = 0;
  for (const match of text.matchAll(functionLikeDefine)) {
    if (match.index < directiveEnd) continue;
    for (let i = text.indexOf('\n', lineStart); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const name = match[1];
    const nameStart = match.index + match[0].length - 1 - name.length;
    const column = nameStart - lineStart;
    const directive = logicalLine(text, match.index + match[0].length);
    directiveEnd = directive.end;
    const close = directive.text.indexOf(')');
    // `#define F(a, b` with no `)` is no macro a compiler accepts.
    if (close === -1) continue;
    macros.push({
      name,
      nameSpan: { line, column, endLine: line, endColumn: column + name.length },
      parameters: parameterList(directive.text.slice(0, close)),
      body: bodyLines(directive.text.slice(close + 1)),
    });
  }
  return macros;
}

/** `type, x, y` from the text between the parentheses. */
function parameterList(written: string): string {
  return written
    .split(',')
    .map((parameter) => parameter.replace(/\s+/g, ' ').trim())
    .filter((parameter) => parameter !== '')
    .join(', ');
}

/**
 * One line per continued line: blanks inside a line folded, the indentation the lines share removed,
 * blank lines left out, cut at `macroBodyLimits`.
 */
function bodyLines(written: string): string {
  const [first, ...continued] = written.split('\n').map((text) => {
    const indentation = /^[ \t]*/.exec(text)![0];
    const folded = text
      .slice(indentation.length)
      .replace(/[ \t]+/g, ' ')
      .trimEnd();
    return folded === '' ? '' : indentation + folded;
  });
  const lines = continued.filter((text) => text !== '');
  const shared = sharedIndentation(lines);
  const dedented = [first.trim(), ...lines.map((text) => text.slice(shared))].filter((text) => text !== '');
  const kept: string[] = [];
  let characters = 0;
  for (const text of dedented) {
    if (kept.length === macroBodyLimits.lines) break;
    if (characters + text.length > macroBodyLimits.characters) {
      if (kept.length === 0) kept.push(text.slice(0, macroBodyLimits.characters));
      break;
    }
    kept.push(text);
    characters += text.length;
  }
  if (kept.length < dedented.length || kept.at(-1) !== dedented[kept.length - 1]) kept.push(elidedBody);
  return kept.join('\n');
}

/** The length of the leading blanks every line starts with. */
function sharedIndentation(lines: readonly string[]): number {
  if (lines.length === 0) return 0;
  let shared = /^[ \t]*/.exec(lines[0])![0];
  for (const text of lines) {
    let length = 0;
    while (length < shared.length && text[length] === shared[length]) length++;
    shared = shared.slice(0, length);
  }
  return shared.length;
}

/**
 * The rest of the directive from `start` as the preprocessor sees it: continuations become line
 * breaks, comments a blank (a block comment may run over lines, a line comment over continuations),
 * literals are kept whole. `end` is the newline that ends the directive.
 */
function logicalLine(text: string, start: number): { text: string; end: number } {
  let out = '';
  let copied = start;
  let at = start;
  const flush = (until: number, replacement: string, resume: number) => {
    out += text.slice(copied, until) + replacement;
    copied = resume;
    at = resume;
  };
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === Char.LineFeed) break;
    if (code === Char.Backslash) {
      const lineFeed = text.charCodeAt(at + 1) === Char.CarriageReturn ? at + 2 : at + 1;
      if (text.charCodeAt(lineFeed) === Char.LineFeed) flush(at, '\n', lineFeed + 1);
      else at += 2;
    } else if (code === Char.Slash && text.charCodeAt(at + 1) === Char.Star) {
      const close = text.indexOf('*/', at + 2);
      flush(at, ' ', close === -1 ? text.length : close + 2);
    } else if (code === Char.Slash && text.charCodeAt(at + 1) === Char.Slash) {
      flush(at, '', lineCommentEnd(text, at));
    } else if (code === Char.DoubleQuote || code === Char.SingleQuote) {
      at = literalEnd(text, at, code);
    } else {
      at++;
    }
  }
  out += text.slice(copied, at);
  return { text: out, end: at };
}

/** The newline that ends a line comment; a backslash before a newline continues it. */
function lineCommentEnd(text: string, start: number): number {
  let end = text.indexOf('\n', start);
  while (end !== -1) {
    let last = end - 1;
    if (text.charCodeAt(last) === Char.CarriageReturn) last--;
    if (text.charCodeAt(last) !== Char.Backslash) return end;
    end = text.indexOf('\n', end + 1);
  }
  return text.length;
}

/** Just after the quote that closes the literal opened at `start`, or at the newline that ends it unclosed. */
function literalEnd(text: string, start: number, quote: number): number {
  let at = start + 1;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === quote) return at + 1;
    if (code === Char.LineFeed) return at;
    at += code === Char.Backslash ? 2 : 1;
  }
  return at;
}
