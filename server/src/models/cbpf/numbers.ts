// Integer literals in program text, and the ranges of the sock_filter fields they fill.
import { ProgramSyntaxError, type SourcePosition } from './syntax-error';

export interface FieldRange {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

export const CODE_FIELD: FieldRange = { name: 'code', min: 0, max: 0xffff };
export const JUMP_FIELD: FieldRange = { name: 'jump offset', min: 0, max: 0xff };
/** k is a u32; a negative literal (SKF_NET_OFF + 9 written as -1048567) is its two's complement. */
export const K_FIELD: FieldRange = { name: 'k', min: -0x80000000, max: 0xffffffff };

/**
 * Reads a C-style literal: 0x hex, 0b binary, leading-0 octal, decimal, with an optional sign and
 * C's U/L suffixes. Returns undefined when the text is not a number at all.
 */
export function parseIntegerLiteral(text: string): number | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)[uUlL]*$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits] = match;
  let value: number;
  if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (/^0[bB]/.test(digits)) value = parseInt(digits.slice(2), 2);
  else if (digits.length > 1 && digits.startsWith('0')) value = parseInt(digits.slice(1), 8);
  else value = parseInt(digits, 10);
  return sign === '-' ? -value : value;
}

/** A literal checked against a field's range; the u32 k keeps its two's complement value. */
export function fieldValue(text: string, range: FieldRange, at: SourcePosition): number {
  const value = parseIntegerLiteral(text);
  if (value === undefined) throw new ProgramSyntaxError(at.line, at.column, `'${text}' is not a number`);
  return checkedField(value, text, range, at);
}

/** A value (from a literal or an expression) checked against a field's range. */
export function checkedField(value: number, text: string, range: FieldRange, at: SourcePosition): number {
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new ProgramSyntaxError(
      at.line,
      at.column,
      `${text} is out of range for ${range.name} (${range.min}..${range.max})`,
    );
  }
  return range === K_FIELD ? value >>> 0 : value;
}
