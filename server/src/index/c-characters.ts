// Character codes and classes of C text, for the scanners that read it without tree-sitter
// (lexical-macros.ts, function-macros.ts, kernel-syntax-mask.ts) and for reading names from the file (extract/).

export const enum Char {
  Tab = 9,
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  DoubleQuote = 34,
  Hash = 35,
  Ampersand = 38,
  SingleQuote = 39,
  ParenOpen = 40,
  ParenClose = 41,
  Star = 42,
  Comma = 44,
  Dot = 46,
  Slash = 47,
  Colon = 58,
  Semicolon = 59,
  Less = 60,
  Equals = 61,
  Greater = 62,
  Backslash = 92,
  BraceOpen = 123,
  BraceClose = 125,
}

/** A space or a tab: what separates tokens within a line. */
export const isBlank = (code: number): boolean => code === Char.Space || code === Char.Tab;

/** A blank or a line break. */
export const isWhitespace = (code: number): boolean =>
  isBlank(code) || code === Char.LineFeed || code === Char.CarriageReturn;

export const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** A character an identifier may start with (ASCII). */
export const isWordStart = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;

/** A character an identifier may continue with (ASCII). */
export const isWord = (code: number): boolean => isWordStart(code) || isDigit(code);

/** The first index at or after `index` that is not whitespace. */
export function skipWhitespace(text: string, index: number): number {
  let i = index;
  while (isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** The last index before `index` that is not whitespace, or -1 when there is none. */
export function lastNonWhitespaceBefore(text: string, index: number): number {
  let i = index - 1;
  while (i >= 0 && isWhitespace(text.charCodeAt(i))) i--;
  return i;
}

/** Where the ASCII word characters from `start` end (`start` when there are none). */
export function wordEnd(text: string, start: number): number {
  let end = start;
  while (isWord(text.charCodeAt(end))) end++;
  return end;
}
