// The C array `tcpdump -dd` prints: one `{ 0x28, 0, 0, 0x0000000c },` per instruction. Anything
// around the braces (a `struct sock_filter code[] = {` line, comments) is allowed; each innermost
// brace group must hold exactly code, jt, jf, k.
import { CODE_FIELD, JUMP_FIELD, K_FIELD, fieldValue } from './numbers';
import type { ParsedProgram } from './parsed-program';
import { instruction, SOCK_FPROG_MAX_LEN } from './opcodes';
import { blankComments, positionAt, ProgramSyntaxError } from './syntax-error';

const fieldRanges = [CODE_FIELD, JUMP_FIELD, JUMP_FIELD, K_FIELD];
const fieldNames = ['code', 'jt', 'jf', 'k'];

export function parseCArray(text: string): ParsedProgram {
  const clean = blankComments(text, /\/\/[^\n]*/g);
  const instructions: ParsedProgram['instructions'] = [];
  const positions: ParsedProgram['positions'] = [];
  let searchFrom = 0;
  for (;;) {
    const open = clean.indexOf('{', searchFrom);
    if (open < 0) break;
    const nextOpen = clean.indexOf('{', open + 1);
    const close = clean.indexOf('}', open + 1);
    if (nextOpen >= 0 && (close < 0 || nextOpen < close)) {
      // An outer brace (the array itself); the instructions are the innermost groups.
      searchFrom = nextOpen;
      continue;
    }
    const start = positionAt(text, open);
    if (close < 0) {
      const problem = `instruction ${instructions.length} is not closed with '}': the array is truncated`;
      throw new ProgramSyntaxError(start.line, start.column, problem);
    }
    const body = clean.slice(open + 1, close);
    const fields = [...body.matchAll(/[^,\s]+/g)];
    const trailingComma = /,\s*$/.test(body) ? 1 : 0;
    const commas = (body.match(/,/g) ?? []).length - trailingComma;
    if (fields.length !== 4 || commas !== 3) {
      const problem = `instruction ${instructions.length} has ${fields.length} fields; expected 4 (code, jt, jf, k)`;
      throw new ProgramSyntaxError(start.line, start.column, problem);
    }
    const values = fields.map((field, i) => {
      const at = positionAt(text, open + 1 + (field.index ?? 0));
      try {
        return fieldValue(field[0], fieldRanges[i], at);
      } catch (error) {
        if (error instanceof ProgramSyntaxError) {
          throw new ProgramSyntaxError(error.line, error.column, `${fieldNames[i]}: ${error.problem}`);
        }
        throw error;
      }
    });
    if (instructions.length === SOCK_FPROG_MAX_LEN) {
      const problem = `more than ${SOCK_FPROG_MAX_LEN} instructions: sock_fprog.len cannot say how many`;
      throw new ProgramSyntaxError(start.line, start.column, problem);
    }
    instructions.push(instruction(values[0], values[1], values[2], values[3]));
    positions.push(start);
    searchFrom = close + 1;
  }
  const stray = clean.indexOf('}', searchFrom);
  if (stray >= 0 && instructions.length === 0) {
    const at = positionAt(text, stray);
    throw new ProgramSyntaxError(at.line, at.column, "'}' without an instruction");
  }
  return { format: 'c-array', instructions, positions };
}
