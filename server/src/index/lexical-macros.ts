// Reading #defines without tree-sitter. A third of a kernel tree's bytes are generated register
// headers made of nothing but #define lines; for those, a scan that follows tree-sitter-c's own
// lexical rules for preprocessor lines yields the same facts at a fraction of the cost of a parse.
// Long because the scan must follow tree-sitter-c's preprocessor rules exactly to give the same facts.
import { Char, isBlank, isWhitespace, isWord, isWordStart } from './c-characters';
import type { MacroFact } from './facts';

/** A macro's value as the index keeps it: comments removed, continuations joined, whitespace folded. */
export function macroValue(argument: string): string {
  return argument
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, '')
    .replace(/\\\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const objectLikeDefine = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])[ \t]*(.*)$/gm;

/** The #defines of any text, found line by line: for files too big to parse that are not macro-only. */
export function definesByLine(text: string): MacroFact[] {
  const macros: MacroFact[] = [];
  let lineStart = 0;
  let line = 0;
  for (const match of text.matchAll(objectLikeDefine)) {
    for (let i = text.indexOf('\n', lineStart); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const column = match.index - lineStart + match[0].indexOf(match[1], match[0].indexOf('define') + 6);
    macros.push({
      name: match[1],
      nameSpan: { line, column, endLine: line, endColumn: column + match[1].length },
      value: match[2].replace(/\/\*.*?\*\/|\/\/.*$/g, '').trim(),
    });
  }
  return macros;
}

/** Directives a macro-only file may hold; anything else sends the file to tree-sitter. */
const directiveKinds: ReadonlyMap<string, 'define' | 'argument' | 'include' | 'open' | 'else' | 'close'> =
  new Map([
    ['define', 'define'],
    ['undef', 'argument'],
    ['pragma', 'argument'],
    ['error', 'argument'],
    ['warning', 'argument'],
    ['include', 'include'],
    ['ifdef', 'open'],
    ['ifndef', 'open'],
    ['else', 'else'],
    ['endif', 'close'],
  ]);

/**
 * `#define NAME VALUE` or `#define NAME` and a newline, where VALUE starts with a printable ASCII character and holds
 * no `/` (a comment) or `\` (a continuation). Groups: the text before the name, the name, the value.
 */
const simpleDefineLine = /(#[ \t]*define[ \t]+)([A-Za-z_]\w*)(?:[ \t]+([!-.0-[\]-~][^\n/\\]*))?\n/y;

/** Thrown inside the scan when the text leaves the subset this reader mirrors exactly. */
class NotMacroOnly extends Error {}
// Most files leave the subset within a few lines: one instance, so no stack is captured per file.
const notMacroOnly = new NotMacroOnly('not a macro-only file');

/**
 * The object-like #defines of a file made only of preprocessor lines, comments and blank lines,
 * exactly as the tree-sitter extractor would record them; `undefined` for any other file.
 *
 * Only a strict subset is accepted, one tree-sitter parses without error: directives at the start
 * of a line, `#ifdef`/`#ifndef`/`#else`/`#endif` balanced, no `#if` expressions, every directive
 * ended by a newline. Anything outside it (rare in generated headers) goes to tree-sitter.
 */
export function macroOnlyDefines(text: string): MacroFact[] | undefined {
  try {
    return new MacroOnlyScan(text).run();
  } catch (error) {
    if (error === notMacroOnly) return undefined;
    throw error;
  }
}

class MacroOnlyScan {
  private position = 0;
  private line = 0;
  private lineStart = 0;
  private readonly macros: MacroFact[] = [];
  /** Per open #ifdef/#ifndef: whether its #else was seen. */
  private readonly conditionals: boolean[] = [];

  constructor(private readonly text: string) {}

  run(): MacroFact[] {
    const text = this.text;
    let atLineStart = true;
    while (this.position < text.length) {
      const code = text.charCodeAt(this.position);
      if (code === Char.LineFeed) {
        this.newLine(this.position + 1);
        atLineStart = true;
      } else if (isBlank(code)) {
        this.position++;
      } else if (code === Char.CarriageReturn) {
        this.expectLineEndAt(this.position);
        this.position++;
      } else if (code === Char.Slash) {
        this.skipComment();
        atLineStart = false;
      } else if (code === Char.Hash && atLineStart) {
        if (!this.simpleDefine()) this.directive();
        atLineStart = true;
      } else {
        throw notMacroOnly;
      }
    }
    if (this.conditionals.length > 0) throw notMacroOnly;
    return this.macros;
  }

  /**
   * The common line of a register header, `#define NAME VALUE` with no comment or continuation, in
   * one regular expression; anything else is left to `directive()`, which reads the general case.
   */
  private simpleDefine(): boolean {
    simpleDefineLine.lastIndex = this.position;
    const match = simpleDefineLine.exec(this.text);
    if (!match) return false;
    const name = match[2];
    const column = this.position + match[1].length - this.lineStart;
    const line = this.line;
    this.macros.push({
      name,
      nameSpan: { line, column, endLine: line, endColumn: column + name.length },
      // Without `/` or `\` in it, the value has nothing for macroValue to remove but blanks.
      value: match[3] === undefined ? '' : match[3].replace(/\s+/g, ' ').trim(),
    });
    this.newLine(simpleDefineLine.lastIndex);
    return true;
  }

  private newLine(next: number): void {
    this.line++;
    this.lineStart = next;
    this.position = next;
  }

  private expectLineEndAt(index: number): void {
    if (this.text.charCodeAt(index + 1) !== Char.LineFeed) throw notMacroOnly;
  }

  /** A block or line comment at `position`; may span lines (block) but never a continuation (line). */
  private skipComment(): void {
    const text = this.text;
    const next = text.charCodeAt(this.position + 1);
    if (next === Char.Star) {
      const end = text.indexOf('*/', this.position + 2);
      if (end === -1) throw notMacroOnly;
      for (let i = text.indexOf('\n', this.position); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
        this.line++;
        this.lineStart = i + 1;
      }
      this.position = end + 2;
    } else if (next === Char.Slash) {
      let end = text.indexOf('\n', this.position);
      if (end === -1) end = text.length;
      let last = end - 1;
      if (text.charCodeAt(last) === Char.CarriageReturn) last--;
      if (text.charCodeAt(last) === Char.Backslash) throw notMacroOnly;
      this.position = end;
    } else {
      throw notMacroOnly;
    }
  }

  private word(): string {
    const start = this.position;
    if (!isWordStart(this.text.charCodeAt(start))) throw notMacroOnly;
    let end = start + 1;
    while (isWord(this.text.charCodeAt(end))) end++;
    this.position = end;
    return this.text.slice(start, end);
  }

  private skipSpaces(): void {
    while (isBlank(this.text.charCodeAt(this.position))) this.position++;
  }

  private directive(): void {
    this.position++;
    this.skipSpaces();
    const kind = directiveKinds.get(this.word());
    switch (kind) {
      case 'define':
        this.define();
        return;
      case 'argument':
        this.argumentAndLineEnd();
        return;
      case 'include':
        this.includePath();
        this.lineEnd(false);
        return;
      case 'open':
        this.requireSpaces();
        this.word();
        this.conditionals.push(false);
        this.lineEnd(true);
        return;
      case 'else':
        if (this.conditionals.length === 0 || this.conditionals.at(-1)) throw notMacroOnly;
        this.conditionals[this.conditionals.length - 1] = true;
        this.lineEnd(true);
        return;
      case 'close':
        if (this.conditionals.pop() === undefined) throw notMacroOnly;
        this.lineEnd(true);
        return;
      default:
        throw notMacroOnly;
    }
  }

  private requireSpaces(): void {
    if (!isBlank(this.text.charCodeAt(this.position))) throw notMacroOnly;
    this.skipSpaces();
  }

  private define(): void {
    this.requireSpaces();
    const nameStart = this.position;
    const name = this.word();
    const column = nameStart - this.lineStart;
    const line = this.line;
    const next = this.text.charCodeAt(this.position);
    if (next === Char.ParenOpen) {
      this.parameters();
      this.argumentAndLineEnd();
      return;
    }
    if (!isWhitespace(next)) throw notMacroOnly;
    const argument = this.argumentAndLineEnd();
    this.macros.push({
      name,
      nameSpan: { line, column, endLine: line, endColumn: column + name.length },
      value: argument === undefined ? '' : macroValue(argument),
    });
  }

  /** `(a, b, ...)` of a function-like macro, on one line. */
  private parameters(): void {
    const text = this.text;
    const end = text.indexOf(')', this.position);
    if (end === -1) throw notMacroOnly;
    const list = text.slice(this.position + 1, end);
    if (!/^[ \t]*(?:(?:[A-Za-z_]\w*|\.\.\.)[ \t]*(?:,[ \t]*(?:[A-Za-z_]\w*|\.\.\.)[ \t]*)*)?$/.test(list))
      throw notMacroOnly;
    this.position = end + 1;
  }

  /**
   * What follows a directive's name up to its newline, as tree-sitter-c lexes it: comments and blanks,
   * then at most one `preproc_arg` (it runs to the end of the line, through `\`-continuations, and
   * stops before a `/*`), then only comments and blanks. Returns the argument's text.
   */
  private argumentAndLineEnd(): string | undefined {
    const text = this.text;
    // After a blank (or a continuation), tree-sitter's newline is no longer "immediate": it skips
    // the newline and takes the next line as the argument (`#define A ` + newline + `#define B 2`
    // gives A the value `#define B 2`). Such a line is left to tree-sitter.
    let blankBeforeNewline = false;
    for (;;) {
      const blankStart = this.position;
      this.skipSpaces();
      if (this.position > blankStart) blankBeforeNewline = true;
      const code = text.charCodeAt(this.position);
      if (code === Char.Slash) {
        const next = text.charCodeAt(this.position + 1);
        if (next === Char.Star || next === Char.Slash) {
          this.skipComment();
          blankBeforeNewline = false;
          continue;
        }
      }
      if (code === Char.Backslash) {
        // A continuation before the argument is blank to tree-sitter: `#define F(x) \` + newline.
        const lineFeed = text.charCodeAt(this.position + 1) === Char.CarriageReturn ? 2 : 1;
        if (text.charCodeAt(this.position + lineFeed) !== Char.LineFeed) throw notMacroOnly;
        this.position += lineFeed + 1;
        this.line++;
        this.lineStart = this.position;
        blankBeforeNewline = true;
        continue;
      }
      if (code === Char.LineFeed || code === Char.CarriageReturn) {
        if (blankBeforeNewline) throw notMacroOnly;
        this.lineEnd(false);
        return undefined;
      }
      break;
    }
    const code = text.charCodeAt(this.position);
    // tree-sitter's argument starts at any non-blank; a non-ASCII start is left to it.
    if (Number.isNaN(code) || code < Char.Space || code > 126) throw notMacroOnly;
    const start = this.position;
    let end = start;
    for (;;) {
      const current = text.charCodeAt(end);
      if (current === Char.LineFeed) break;
      if (Number.isNaN(current)) throw notMacroOnly;
      if (current === Char.Slash) {
        const next = text.charCodeAt(end + 1);
        if (next === Char.Star) break;
        if (Number.isNaN(next) || next === Char.LineFeed || next === Char.CarriageReturn) throw notMacroOnly;
        end += 2;
      } else if (current === Char.Backslash && text.charCodeAt(end + 1) === Char.LineFeed) {
        end += 2;
        this.line++;
        this.lineStart = end;
      } else if (current === Char.Backslash && text.charCodeAt(end + 1) === Char.CarriageReturn) {
        this.expectLineEndAt(end + 1);
        end += 3;
        this.line++;
        this.lineStart = end;
      } else {
        end++;
      }
    }
    this.position = end;
    const argument = text.slice(start, end);
    this.lineEnd(false);
    return argument;
  }

  /** Blanks and comments up to the newline that ends a directive (or the end of the text, if allowed). */
  private lineEnd(endOfTextAllowed: boolean): void {
    const text = this.text;
    for (;;) {
      this.skipSpaces();
      const code = text.charCodeAt(this.position);
      if (code === Char.LineFeed) {
        this.newLine(this.position + 1);
        return;
      }
      if (code === Char.CarriageReturn) {
        this.expectLineEndAt(this.position);
        this.newLine(this.position + 2);
        return;
      }
      if (Number.isNaN(code)) {
        if (endOfTextAllowed) return;
        throw notMacroOnly;
      }
      if (code !== Char.Slash) throw notMacroOnly;
      this.skipComment();
    }
  }

  /** `<linux/x.h>` or `"x.h"`. */
  private includePath(): void {
    this.skipSpaces();
    const text = this.text;
    const open = text.charCodeAt(this.position);
    const closer = open === 60 ? '>' : open === 34 ? '"' : undefined;
    if (!closer) throw notMacroOnly;
    const end = text.indexOf(closer, this.position + 1);
    const newline = text.indexOf('\n', this.position + 1);
    if (end === -1 || (newline !== -1 && newline < end)) throw notMacroOnly;
    if (closer === '"' && text.slice(this.position + 1, end).includes('\\')) throw notMacroOnly;
    this.position = end + 1;
  }
}
