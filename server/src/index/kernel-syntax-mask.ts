// Masks the kernel syntax that tree-sitter-c cannot parse, before parsing: annotations the kernel
// defines away (`__user`, `__init`, `__printf(2, 3)`) become spaces, loop-macro heads
// (`list_for_each_entry(p, h, m) {`) become `while`, and the heads of functions defined by macros
// become function headers. The parser then recovers from fewer errors, which is both faster and
// truer, and the text keeps its length and line breaks, so every offset and position in the tree is
// the file's own. Preprocessor lines are left alone: they define these names. The
// loop macros' names are handed back, so that they stay calls among the file's facts, and so are the
// names of the functions that definition macros (`SYSCALL_DEFINE3(socket, ...)`) define.
// Long because it is one pass over the text: every masked form must keep offsets, so they share one scanner.
import {
  Char,
  isBlank,
  isDigit,
  isWord,
  isWordStart,
  lastNonWhitespaceBefore,
  skipWhitespace,
  wordEnd,
} from './c-characters';
import {
  definitionMacros,
  loopMacroMarker,
  maskedAnnotations,
  maskedAnnotationsWithArgument,
} from './kernel-macros';

/** Candidates for annotations; each is looked up in the sets. */
const annotationLike = /\b(?:_{2,4}[a-z_]+|noinline|notrace|noinstr|asmlinkage)\b/g;

interface Edit {
  start: number;
  end: number;
  replacement: string;
}

/** A loop macro masked as `while`, 0-based line and column of its name. */
export interface MaskedLoopMacro {
  name: string;
  line: number;
  column: number;
}

export interface MaskedText {
  /** The text to parse in place of the file's: same length, same line breaks. */
  text: string;
  /** In document order. */
  loopMacros: MaskedLoopMacro[];
  /** Functions defined by a macro: the offset of each written name, and the function's name. */
  macroDefinedNames: Map<number, string>;
}

export function maskKernelSyntax(text: string): MaskedText {
  const edits: Edit[] = [];
  // First, so that an edit of the scanners below inside assembler gives way to it.
  addAssemblerBlocks(text, edits);
  for (const match of text.matchAll(annotationLike)) {
    const word = match[0];
    const start = match.index;
    let end = start + word.length;
    if (maskedAnnotationsWithArgument.has(word)) {
      const open = skipWhitespace(text, end);
      if (text.charCodeAt(open) !== Char.ParenOpen) continue;
      const close = closingParen(text, open);
      if (close === -1) continue;
      end = close + 1;
    } else if (!maskedAnnotations.has(word)) {
      continue;
    }
    if (inDirective(text, start)) continue;
    edits.push({ start, end, replacement: spacedOut(text.slice(start, end)) });
  }
  const loopMacros = addLoopMacroHeads(text, edits);
  const macroDefinedNames = addDefinitionMacroHeads(text, edits);
  if (edits.length === 0) return { text, loopMacros, macroDefinedNames };
  edits.sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let copied = 0;
  for (const edit of edits) {
    if (edit.start < copied) continue;
    parts.push(text.slice(copied, edit.start), edit.replacement);
    copied = edit.end;
  }
  parts.push(text.slice(copied));
  return { text: parts.join(''), loopMacros, macroDefinedNames };
}

/** The conditional directives, each at the start of a line. */
const conditionalDirective = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/gm;
/** A condition that holds exactly when the file is included from assembler. */
const assemblerCondition = /^(?:defined\s*\(\s*__ASSEMBLY__\s*\)|defined\s+__ASSEMBLY__|__ASSEMBLY__)$/;

/**
 * An open conditional of the file as to assembler: `first` when its first branch is assembler only
 * (`#ifdef __ASSEMBLY__`), `rest` when the branches after the first are (`#ifndef __ASSEMBLY__` ...
 * `#else`), `neither` otherwise.
 */
interface AssemblerConditional {
  assembler: 'first' | 'rest' | 'neither';
  branch: number;
}

/**
 * Headers that both C and assembler include write their assembler (`.macro`, instructions) under
 * `#ifdef __ASSEMBLY__`, or in the `#else` of `#ifndef __ASSEMBLY__`. That is not C: its lines become
 * blanks, so that no instruction or assembler macro is read as a function. Preprocessor lines stay, so
 * conditionals still pair and #defines are still read, and so do comment delimiters, so that a
 * comment opened on a directive line still closes.
 */
function addAssemblerBlocks(text: string, edits: Edit[]): void {
  if (!text.includes('__ASSEMBLY__')) return;
  const open: AssemblerConditional[] = [];
  let assemblerFrom: number | undefined;
  for (const match of text.matchAll(conditionalDirective)) {
    if (assemblerFrom !== undefined) maskAssemblerLines(text, assemblerFrom, match.index, edits);
    const [, directive, rest] = match;
    const condition = rest.replace(/\/\*.*?(?:\*\/|$)|\/\/.*$/g, '').trim();
    if (directive === 'endif') open.pop();
    else if (directive === 'elif' || directive === 'else') {
      const innermost = open.at(-1);
      if (innermost) innermost.branch++;
    } else {
      const negated = directive === 'ifndef' || (directive === 'if' && condition.startsWith('!'));
      const tested = directive === 'if' && negated ? condition.slice(1).trim() : condition;
      const isAssemblerTest =
        directive === 'if' ? assemblerCondition.test(tested) : tested === '__ASSEMBLY__';
      open.push({ assembler: isAssemblerTest ? (negated ? 'rest' : 'first') : 'neither', branch: 0 });
    }
    const inAssembler = open.some(
      ({ assembler, branch }) =>
        (assembler === 'first' && branch === 0) || (assembler === 'rest' && branch > 0),
    );
    const lineEnd = text.indexOf('\n', match.index + match[0].length);
    assemblerFrom = inAssembler && lineEnd !== -1 ? lineEnd + 1 : undefined;
  }
  if (assemblerFrom !== undefined) maskAssemblerLines(text, assemblerFrom, text.length, edits);
}

/** Blanks the lines in [from, to) that are not preprocessor lines, keeping comment delimiters. */
function maskAssemblerLines(text: string, from: number, to: number, edits: Edit[]): void {
  let continued = false;
  for (let lineStart = from; lineStart < to;) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 || newline > to ? to : newline;
    const line = text.slice(lineStart, lineEnd);
    const isDirective: boolean = continued || text.charCodeAt(skipBlanks(text, lineStart)) === Char.Hash;
    continued = isDirective && line.trimEnd().endsWith('\\');
    if (!isDirective && line.trim() !== '')
      edits.push({
        start: lineStart,
        end: lineEnd,
        replacement: line.replace(/\/\*|\*\/|[^\r]/g, (kept) => (kept.length === 2 ? kept : ' ')),
      });
    lineStart = lineEnd + 1;
  }
}

/** The first index at or after `index` that is not a space or a tab. */
function skipBlanks(text: string, index: number): number {
  while (isBlank(text.charCodeAt(index))) index++;
  return index;
}

const definitionMacroHead = new RegExp(`\\b(${[...definitionMacros.keys()].join('|')})([0-6])\\(`, 'g');

/**
 * `SYSCALL_DEFINE2(listen, int, fd, int, backlog) {` at the start of a line becomes
 * `long            listen( int  fd, int  backlog) {`, a function definition to tree-sitter-c, with
 * every name where it was. (`SYSCALL_DEFINE0(getpid) {` needs no mask: tree-sitter-c reads it as a
 * function of type SYSCALL_DEFINE0.) Returns the offset of each written name and the function's name
 * (`sys_listen`). Heads that do not have the macro's number of parameters are left alone.
 */
function addDefinitionMacroHeads(text: string, edits: Edit[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const match of text.matchAll(definitionMacroHead)) {
    const start = match.index;
    const open = start + match[0].length - 1;
    if (!startsLine(text, start) || inDirective(text, start)) continue;
    const close = closingParen(text, open);
    if (close === -1 || text.charCodeAt(skipWhitespace(text, close + 1)) !== Char.BraceOpen) continue;
    const commas = topLevelCommas(text, open + 1, close);
    if (commas.length !== 2 * Number(match[2])) continue;
    const nameStart = skipWhitespace(text, open + 1);
    const nameEnd = wordEnd(text, nameStart);
    if (!isWordStart(text.charCodeAt(nameStart)) || skipWhitespace(text, nameEnd) !== (commas[0] ?? close))
      continue;
    if (commas.length > 0) {
      edits.push({ start, end: open + 1, replacement: 'long'.padEnd(open + 1 - start) });
      // The comma after the name opens the parameter list; the one after each type joins it to its name.
      commas.forEach((comma, index) => {
        if (index % 2 === 0 && index > 0) return;
        edits.push({ start: comma, end: comma + 1, replacement: index === 0 ? '(' : ' ' });
      });
    }
    names.set(nameStart, definitionMacros.get(match[1])! + text.slice(nameStart, nameEnd));
  }
  return names;
}

/** Whether only blanks precede `index` on its line. */
function startsLine(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
  return i < 0 || text.charCodeAt(i) === Char.LineFeed;
}

/** The offsets of the commas in [from, to) outside nested parentheses. */
function topLevelCommas(text: string, from: number, to: number): number[] {
  const commas: number[] = [];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === Char.ParenOpen) depth++;
    else if (code === Char.ParenClose) depth--;
    else if (code === Char.Comma && depth === 0) commas.push(i);
  }
  return commas;
}

/** `name(args)` followed by a statement or a block, where a statement may start, becomes `while(args)`. */
function addLoopMacroHeads(text: string, edits: Edit[]): MaskedLoopMacro[] {
  const loopMacros: MaskedLoopMacro[] = [];
  // Heads are found in document order, so lines are counted once, from one head to the next.
  let line = 0;
  let lineStart = 0;
  for (
    let found = text.indexOf(loopMacroMarker);
    found !== -1;
    found = text.indexOf(loopMacroMarker, found + 1)
  ) {
    let start = found;
    while (start > 0 && isWord(text.charCodeAt(start - 1))) start--;
    const end = wordEnd(text, found + loopMacroMarker.length);
    found = end;
    if (isDigit(text.charCodeAt(start))) continue;
    const open = skipWhitespace(text, end);
    if (text.charCodeAt(open) !== Char.ParenOpen) continue;
    const close = closingParen(text, open);
    if (close === -1) continue;
    const next = text.charCodeAt(skipWhitespace(text, close + 1));
    if (next !== Char.BraceOpen && !isWordStart(next)) continue;
    if (!startsStatement(text, start) || inDirective(text, start)) continue;
    edits.push({ start, end, replacement: 'while'.padEnd(end - start) });
    for (let i = text.indexOf('\n', lineStart); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    loopMacros.push({ name: text.slice(start, end), line, column: start - lineStart });
  }
  return loopMacros;
}

/** Whether a statement may start at `index`: after `;`, a brace, `)`, `:`, `else`, or at the start. */
function startsStatement(text: string, index: number): boolean {
  const i = lastNonWhitespaceBefore(text, index);
  if (i < 0) return true;
  const code = text.charCodeAt(i);
  if (
    code === Char.Semicolon ||
    code === Char.BraceOpen ||
    code === Char.BraceClose ||
    code === Char.ParenClose ||
    code === Char.Colon
  )
    return true;
  return text.startsWith('else', i - 3) && (i < 4 || !isWord(text.charCodeAt(i - 4)));
}

/** Whether `index` is on a preprocessor line, continuation lines included. */
function inDirective(text: string, index: number): boolean {
  let lineStart = text.lastIndexOf('\n', index - 1) + 1;
  // Continued from the line above: go back to the line that starts the directive (or statement).
  for (let end = lineEndBefore(text, lineStart); end > 0 && text.charCodeAt(end - 1) === Char.Backslash;) {
    lineStart = text.lastIndexOf('\n', end - 1) + 1;
    end = lineEndBefore(text, lineStart);
  }
  let i = lineStart;
  while (isBlank(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === Char.Hash;
}

/** Where the line before the one starting at `lineStart` ends, before its `\n` or `\r\n`; -1 if none. */
function lineEndBefore(text: string, lineStart: number): number {
  if (lineStart === 0) return -1;
  const newline = lineStart - 1;
  return text.charCodeAt(newline - 1) === Char.CarriageReturn ? newline - 1 : newline;
}

/** The index of the `)` that closes the `(` at `open`, or -1 within a bounded distance. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  const limit = Math.min(text.length, open + maxArgumentsLength);
  for (let i = open; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (code === Char.ParenOpen) depth++;
    else if (code === Char.ParenClose && --depth === 0) return i;
    else if (code === Char.Semicolon || code === Char.BraceOpen) return -1;
  }
  return -1;
}

/** Arguments longer than this are not a macro's head worth masking. */
const maxArgumentsLength = 4096;

const spacedOut = (text: string): string => text.replace(/[^\n]/g, ' ');
