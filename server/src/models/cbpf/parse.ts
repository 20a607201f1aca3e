// Reads a program in whichever of the three formats the text is in.
import { parseAssembler } from './assembler';
import { parseCArray } from './parse-c-array';
import { parseDecimal } from './parse-decimal';
import type { ParsedProgram, ProgramFormat } from './parsed-program';
import { blankComments } from './syntax-error';

/** C when there is a brace or a BPF_STMT/BPF_JUMP; decimal when the first record is a lone number; otherwise assembler. */
export function detectFormat(text: string): ProgramFormat {
  const clean = blankComments(text, /\/\/[^\n]*|;[^\n]*|(^|(?<=\n))[ \t]*#[^\n]*/g);
  if (clean.includes('{') || /\bBPF_(STMT|JUMP)\s*\(/.test(clean)) return 'c-array';
  const firstRecord = /[^,\n]*[^,\s][^,\n]*/.exec(clean)?.[0].trim() ?? '';
  return /^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(firstRecord) ? 'decimal' : 'asm';
}

/** Throws ProgramSyntaxError (with line and column) on bad input. */
export function parseProgram(text: string, format: ProgramFormat = detectFormat(text)): ParsedProgram {
  switch (format) {
    case 'c-array':
      return parseCArray(text);
    case 'decimal':
      return parseDecimal(text);
    case 'asm':
      return parseAssembler(text);
  }
}
