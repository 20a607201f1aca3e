// The arguments of a call that are a bare name, read from the file's text rather than from the syntax
// tree: nearly every call has arguments, and a node per argument would cost a crossing into WASM each.
import { Char, isDigit, isWhitespace, isWord, isWordStart, wordEnd } from './c-characters';

const doubleQuote = 34;
const singleQuote = 39;
const bracketOpen = 91;
const bracketClose = 93;

export interface NameArgument {
  name: string;
  /** Offset of the name in the text. */
  start: number;
}

/**
 * The arguments of the call whose `(` is at `open` that are one name and nothing else
 * (`ip_local_deliver_finish` in `NF_HOOK(..., skb, ip_local_deliver_finish)`), in order. Strings,
 * character literals and comments are skipped; what is inside nested brackets belongs to its own
 * argument. Reading stops at the call's `)` or at `end`.
 */
export function nameArguments(text: string, open: number, end: number): NameArgument[] {
  const found: NameArgument[] = [];
  let depth = 0;
  let tokens = 0;
  let word: NameArgument | undefined;
  let i = open + 1;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (isWhitespace(code)) {
      i++;
      continue;
    }
    if (code === Char.Slash && text.charCodeAt(i + 1) === Char.Star) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? end : close + 2;
      continue;
    }
    if (code === Char.Slash && text.charCodeAt(i + 1) === Char.Slash) {
      const lineEnd = text.indexOf('\n', i + 2);
      i = lineEnd < 0 ? end : lineEnd + 1;
      continue;
    }
    if (depth === 0 && (code === Char.Comma || code === Char.ParenClose)) {
      if (tokens === 1 && word) found.push(word);
      if (code === Char.ParenClose) break;
      tokens = 0;
      word = undefined;
      i++;
      continue;
    }
    if (depth === 0) tokens++;
    if (code === doubleQuote || code === singleQuote) {
      i = quotedEnd(text, i, code, end);
    } else if (isWordStart(code)) {
      const after = wordEnd(text, i);
      if (depth === 0) word = { name: text.slice(i, after), start: i };
      i = after;
    } else if (isDigit(code)) {
      while (i < end && (isWord(text.charCodeAt(i)) || text.charCodeAt(i) === Char.Dot)) i++;
    } else {
      if (code === Char.ParenOpen || code === bracketOpen || code === Char.BraceOpen) depth++;
      else if ((code === Char.ParenClose || code === bracketClose || code === Char.BraceClose) && depth > 0)
        depth--;
      i++;
    }
  }
  return found;
}

/** The index after the literal that starts with `quote` at `start`. */
function quotedEnd(text: string, start: number, quote: number, end: number): number {
  let i = start + 1;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === Char.Backslash) i += 2;
    else if (code === quote || code === Char.LineFeed) return i + 1;
    else i++;
  }
  return end;
}
