// Filter code as C: the array `tcpdump -dd` prints, one `{ 0x28, 0, 0, 0x0000000c },` per
// instruction, or the BPF_STMT(code, k) / BPF_JUMP(code, k, jt, jf) macros of linux/filter.h that
// hand-written filters use. Anything around them (the `struct sock_filter code[] = {` line, comments)
// is ignored. Fields may be expressions of the uapi constants (`BPF_LD | BPF_H | BPF_ABS`).
import { evaluateCExpression } from './c-expressions';
import { CODE_FIELD, JUMP_FIELD, K_FIELD, checkedField, type FieldRange } from './numbers';
import type { ParsedProgram } from './parsed-program';
import { instruction, SOCK_FPROG_MAX_LEN } from './opcodes';
import { blankComments, positionsIn, ProgramSyntaxError, type SourcePosition } from './syntax-error';

const braceFields: readonly [string, FieldRange][] = [
  ['code', CODE_FIELD],
  ['jt', { ...JUMP_FIELD, name: 'jt' }],
  ['jf', { ...JUMP_FIELD, name: 'jf' }],
  ['k', K_FIELD],
];

interface Group {
  /** Where the instruction starts (the brace or the macro name). */
  readonly at: SourcePosition;
  /** Comma-separated fields with the offset each starts at. */
  readonly fields: { readonly text: string; readonly offset: number }[];
  readonly macro?: 'BPF_STMT' | 'BPF_JUMP';
}

function splitFields(clean: string, start: number, end: number): Group['fields'] {
  const fields: { text: string; offset: number }[] = [];
  let depth = 0;
  let fieldStart = start;
  for (let i = start; i <= end; i++) {
    const c = clean[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (i === end || (c === ',' && depth === 0)) {
      const raw = clean.slice(fieldStart, i);
      const lead = raw.length - raw.trimStart().length;
      fields.push({ text: raw.trim(), offset: fieldStart + lead });
      fieldStart = i + 1;
    }
  }
  // A trailing comma before the closing brace leaves one empty field, as C allows.
  if (fields.length > 1 && fields[fields.length - 1].text === '') fields.pop();
  return fields;
}

function macroGroups(positionOf: (offset: number) => SourcePosition, clean: string): Group[] {
  const groups: Group[] = [];
  for (const match of clean.matchAll(/\b(BPF_STMT|BPF_JUMP)\s*\(/g)) {
    const open = (match.index ?? 0) + match[0].length - 1;
    let depth = 0;
    let close = -1;
    for (let i = open; i < clean.length && close < 0; i++) {
      if (clean[i] === '(') depth++;
      else if (clean[i] === ')' && --depth === 0) close = i;
    }
    const at = positionOf(match.index ?? 0);
    if (close < 0) {
      const problem = `instruction ${groups.length} (${match[1]}) is not closed with ')': the program is truncated`;
      throw new ProgramSyntaxError(at.line, at.column, problem);
    }
    groups.push({ at, fields: splitFields(clean, open + 1, close), macro: match[1] as Group['macro'] });
  }
  return groups;
}

function braceGroups(positionOf: (offset: number) => SourcePosition, clean: string): Group[] {
  const groups: Group[] = [];
  let searchFrom = 0;
  for (;;) {
    const open = clean.indexOf('{', searchFrom);
    if (open < 0) return groups;
    const nextOpen = clean.indexOf('{', open + 1);
    const close = clean.indexOf('}', open + 1);
    if (nextOpen >= 0 && (close < 0 || nextOpen < close)) {
      // An outer brace (the array itself); the instructions are the innermost groups.
      searchFrom = nextOpen;
      continue;
    }
    const at = positionOf(open);
    if (close < 0) {
      const problem = `instruction ${groups.length} is not closed with '}': the array is truncated`;
      throw new ProgramSyntaxError(at.line, at.column, problem);
    }
    groups.push({ at, fields: splitFields(clean, open + 1, close) });
    searchFrom = close + 1;
  }
}

function fieldsOf(group: Group, index: number): [string, FieldRange, { text: string; offset: number }][] {
  const { fields } = group;
  const expected = group.macro === 'BPF_STMT' ? 2 : 4;
  if (fields.length !== expected || fields.some((f) => f.text === '')) {
    const shape =
      group.macro === 'BPF_STMT'
        ? 'BPF_STMT(code, k)'
        : group.macro
          ? 'BPF_JUMP(code, k, jt, jf)'
          : '{ code, jt, jf, k }';
    const problem = `instruction ${index} has ${fields.filter((f) => f.text !== '').length} fields; expected ${expected}: ${shape}`;
    throw new ProgramSyntaxError(group.at.line, group.at.column, problem);
  }
  if (group.macro === 'BPF_STMT')
    return [braceFields[0], braceFields[3]].map(([n, r], i) => [n, r, fields[i]]);
  if (group.macro === 'BPF_JUMP') {
    return [braceFields[0], braceFields[3], braceFields[1], braceFields[2]].map(([n, r], i) => [
      n,
      r,
      fields[i],
    ]);
  }
  return braceFields.map(([n, r], i) => [n, r, fields[i]]);
}

export function parseCArray(text: string): ParsedProgram {
  const clean = blankComments(text, /\/\/[^\n]*/g);
  const positionOf = positionsIn(text);
  const groups = /\bBPF_(STMT|JUMP)\s*\(/.test(clean)
    ? macroGroups(positionOf, clean)
    : braceGroups(positionOf, clean);
  const instructions: ParsedProgram['instructions'] = [];
  groups.forEach((group, index) => {
    if (index === SOCK_FPROG_MAX_LEN) {
      const problem = `more than ${SOCK_FPROG_MAX_LEN} instructions: sock_fprog.len cannot say how many`;
      throw new ProgramSyntaxError(group.at.line, group.at.column, problem);
    }
    const values: Record<string, number> = { jt: 0, jf: 0 };
    for (const [name, range, field] of fieldsOf(group, index)) {
      const at = positionOf(field.offset);
      try {
        values[name] = checkedField(evaluateCExpression(field.text, at), field.text, range, at);
      } catch (error) {
        if (!(error instanceof ProgramSyntaxError)) throw error;
        throw new ProgramSyntaxError(error.line, error.column, `${name}: ${error.problem}`);
      }
    }
    instructions.push(instruction(values.code, values.jt, values.jf, values.k));
  });
  return { format: 'c-array', instructions, positions: groups.map((g) => g.at) };
}
