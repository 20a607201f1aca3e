// The decimal form `tcpdump -ddd` prints: a count line, then `code jt jf k` per line. bpf_asm's
// one-line form (`4,40 0 0 12,21 0 1 2048,...`, as iptables' xt_bpf takes it) is the same records
// separated by commas, and is read too.
import { CODE_FIELD, JUMP_FIELD, K_FIELD, fieldValue } from './numbers';
import type { ParsedProgram } from './parsed-program';
import { instruction, SOCK_FPROG_MAX_LEN } from './opcodes';
import { blankComments, positionsIn, ProgramSyntaxError, type SourcePosition } from './syntax-error';

interface DecimalRecord {
  readonly fields: { text: string; at: SourcePosition }[];
  readonly at: SourcePosition;
}

function records(text: string, positionOf: (offset: number) => SourcePosition): DecimalRecord[] {
  const clean = blankComments(text, /(^|(?<=\n))[ \t]*[#;][^\n]*/g);
  const found: DecimalRecord[] = [];
  for (const record of clean.matchAll(/[^,\n]+/g)) {
    const start = record.index ?? 0;
    const fields = [...record[0].matchAll(/\S+/g)].map((field) => ({
      text: field[0],
      at: positionOf(start + (field.index ?? 0)),
    }));
    if (fields.length > 0) found.push({ fields, at: fields[0].at });
  }
  return found;
}

export function parseDecimal(text: string): ParsedProgram {
  const positionOf = positionsIn(text);
  const [countRecord, ...body] = records(text, positionOf);
  if (countRecord === undefined)
    throw new ProgramSyntaxError(1, 1, 'no instruction count: the input is empty');
  if (countRecord.fields.length !== 1) {
    const { line, column } = countRecord.at;
    throw new ProgramSyntaxError(line, column, 'the first line must be the instruction count alone');
  }
  const countRange = { name: 'instruction count', min: 0, max: SOCK_FPROG_MAX_LEN };
  const count = fieldValue(countRecord.fields[0].text, countRange, countRecord.at);
  const instructions: ParsedProgram['instructions'] = [];
  const positions: ParsedProgram['positions'] = [];
  for (const record of body) {
    if (record.fields.length !== 4) {
      const problem = `instruction ${instructions.length} has ${record.fields.length} fields; expected 4 (code jt jf k)`;
      throw new ProgramSyntaxError(record.at.line, record.at.column, problem);
    }
    if (instructions.length === count) {
      const problem = `more instructions than the count ${count} on line ${countRecord.at.line}`;
      throw new ProgramSyntaxError(record.at.line, record.at.column, problem);
    }
    const [code, jt, jf, k] = record.fields;
    instructions.push(
      instruction(
        fieldValue(code.text, CODE_FIELD, code.at),
        fieldValue(jt.text, { ...JUMP_FIELD, name: 'jt' }, jt.at),
        fieldValue(jf.text, { ...JUMP_FIELD, name: 'jf' }, jf.at),
        fieldValue(k.text, K_FIELD, k.at),
      ),
    );
    positions.push(record.at);
  }
  if (instructions.length < count) {
    const end = positionOf(text.trimEnd().length);
    const problem = `truncated: the count says ${count} instructions, only ${instructions.length} follow`;
    throw new ProgramSyntaxError(end.line, end.column, problem);
  }
  return { format: 'decimal', instructions, positions };
}
