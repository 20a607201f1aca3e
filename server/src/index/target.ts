// What a position in a file is on, in index terms: a call the index knows, a slot of an ops table, a
// field in its struct definition, a member access, or a plain name. The editor's definition,
// implementation, references and hover start here, and so does `knr definition FILE:LINE:COL`.
import type { FieldFact, SlotFact, Span, StructFact } from './facts';
import type { CallTarget, IndexQueries } from './queries';

export interface Word {
  name: string;
  /** Columns of the identifier on its line. */
  start: number;
  end: number;
  /** The text before the identifier on its line, and after it. */
  before: string;
  after: string;
}

export type Target =
  | { kind: 'call'; word: Word; call: CallTarget }
  | { kind: 'slot-value'; word: Word; slot: SlotFact }
  /** `.recvmsg` in a table's initialiser; `field` is the path up to and including the word. */
  | { kind: 'slot-field'; word: Word; slot: SlotFact; struct: string; field: string }
  | { kind: 'field'; word: Word; struct: StructFact; field: FieldFact }
  /** `x->name` or `x.name` that the index has no call for. */
  | { kind: 'member'; word: Word }
  /** `tagKeyword`: the name is a tag, after `struct`, `union` or `enum`. */
  | { kind: 'name'; word: Word; line: number; tagKeyword?: 'struct' | 'union' | 'enum' };

const identifierChar = /[A-Za-z0-9_]/;

const cKeywords = new Set(
  (
    'auto break case char const continue default do double else enum extern float for goto if inline int ' +
    'long register restrict return short signed sizeof static struct switch typedef union unsigned void ' +
    'volatile while _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn ' +
    '_Static_assert _Thread_local typeof asm __attribute__'
  ).split(' '),
);

/**
 * A C keyword names nothing but a macro (the kernel defines `inline` as one). What the index holds
 * under a keyword's name besides macros comes from error recovery in code it could not parse.
 */
export function isCKeyword(name: string): boolean {
  return cKeywords.has(name);
}

/** The identifier at (or ending right at) `character`, if any. */
export function wordAt(lineText: string, character: number): Word | undefined {
  const line = lineText.replace(/\r?\n$/, '');
  if (character > line.length) return undefined;
  let start = character;
  if (!identifierChar.test(line[start] ?? '') && identifierChar.test(line[start - 1] ?? '')) start -= 1;
  if (!identifierChar.test(line[start] ?? '')) return undefined;
  while (start > 0 && identifierChar.test(line[start - 1])) start -= 1;
  let end = start;
  while (end < line.length && identifierChar.test(line[end])) end += 1;
  const name = line.slice(start, end);
  if (/^[0-9]/.test(name)) return undefined;
  // Comments between tokens (`sock->ops->/* why */recvmsg`) do not change what the word is.
  const withoutComments = (text: string) => text.replace(/\/\*.*?\*\//g, ' ');
  return {
    name,
    start,
    end,
    before: withoutComments(line.slice(0, start)),
    after: withoutComments(line.slice(end)),
  };
}

export function isMemberAccess(word: Word): boolean {
  return /(->|\.)\s*$/.test(word.before);
}

/** Whether (line, column) lies in the span, its end included. 0-based, as spans are. */
export function spanContains(span: Span, line: number, column: number): boolean {
  if (line < span.line || line > span.endLine) return false;
  if (line === span.line && column < span.column) return false;
  if (line === span.endLine && column > span.endColumn) return false;
  return true;
}

/** What (line, column) of `file` is on; `lineText` is that line's text (0-based line and column). */
export function targetAt(
  index: IndexQueries,
  file: string,
  lineText: string,
  line: number,
  column: number,
): Target | undefined {
  const word = wordAt(lineText, column);
  if (!word) return undefined;
  if (isCKeyword(word.name) && index.macroValue(word.name) === undefined) return undefined;

  const call = index.callAt(file, line, word.start);
  if (call && call.callee === word.name) return { kind: 'call', word, call };

  const facts = index.facts(file);
  if (facts) {
    // A slot's span covers its value; its designator (`.recvmsg =`) is earlier on the same line.
    for (const slot of facts.slots) {
      if (line < slot.span.line || line > slot.span.endLine) continue;
      if (slot.value === word.name && spanContains(slot.span, line, column))
        return { kind: 'slot-value', word, slot };
      const segments = slot.field.split('.');
      const at = segments.lastIndexOf(word.name);
      if (at >= 0 && /\.\s*$/.test(word.before) && word.start < slot.span.column) {
        return {
          kind: 'slot-field',
          word,
          slot,
          struct: slot.struct,
          field: segments.slice(0, at + 1).join('.'),
        };
      }
    }
    for (const struct of facts.structs) {
      if (!spanContains(struct.span, line, column)) continue;
      const field = struct.fields.find((f) => f.name === word.name && spanContains(f.nameSpan, line, column));
      if (field) return { kind: 'field', word, struct, field };
    }
  }
  if (isMemberAccess(word)) return { kind: 'member', word };
  const tagKeyword = /\b(struct|union|enum)\s+$/.exec(word.before)?.[1] as
    'struct' | 'union' | 'enum' | undefined;
  return { kind: 'name', word, line, tagKeyword };
}
