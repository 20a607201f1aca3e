// Reading programs: the three formats, the errors with their positions, and disassembly round trips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeInstruction,
  detectFormat,
  disassemble,
  instruction,
  parseProgram,
  ProgramSyntaxError,
  type ProgramFormat,
} from '../../../server/src/models/cbpf';

function assertSyntaxError(
  text: string,
  line: number,
  column: number,
  message: RegExp,
  format?: ProgramFormat,
) {
  assert.throws(
    () => parseProgram(text, format),
    (error: unknown) => {
      assert.ok(error instanceof ProgramSyntaxError, String(error));
      assert.deepEqual([error.line, error.column], [line, column], error.message);
      assert.match(error.problem, message);
      return true;
    },
  );
}

test('formats are detected from the text', () => {
  assert.equal(detectFormat('{ 0x6, 0, 0, 0x0 },'), 'c-array');
  assert.equal(detectFormat('struct sock_filter f[] = {\n  { 0x6, 0, 0, 0 },\n};'), 'c-array');
  assert.equal(detectFormat('1\n6 0 0 0\n'), 'decimal');
  assert.equal(detectFormat('# a comment\n1\n6 0 0 0\n'), 'decimal');
  assert.equal(detectFormat('1,6 0 0 0'), 'decimal');
  assert.equal(detectFormat('BPF_STMT(BPF_RET | BPF_K, 0)'), 'c-array');
  assert.equal(detectFormat('ret #0'), 'asm');
  assert.equal(detectFormat('; comment\nstart: ldh [12]\nret a'), 'asm');
});

test('the C array: comments and the surrounding declaration are ignored, positions kept', () => {
  const text =
    'struct sock_filter code[] = {\n  /* load */ { 0x28, 0, 0, 0x0000000c }, // EtherType\n  { 6, 0, 0, 262144U },\n};\n';
  const program = parseProgram(text);
  assert.deepEqual(program.instructions, [instruction(0x28, 0, 0, 12), instruction(6, 0, 0, 0x40000)]);
  assert.deepEqual(program.positions, [
    { line: 2, column: 14 },
    { line: 3, column: 3 },
  ]);
});

test('the C array: truncated and malformed instructions are errors at their position', () => {
  assertSyntaxError('{ 0x28, 0, 0, 0x0c },\n{ 0x6, 0, 0', 2, 1, /not closed.*truncated/);
  assertSyntaxError('{ 0x28, 0, 0, 0x0c },\n  { 0x6, 0, 0 },', 2, 3, /3 fields; expected 4/);
  assertSyntaxError('{ 0x28, 0, 0, 0x0c, 1 },', 1, 1, /5 fields/);
  assertSyntaxError('{ 0x10000, 0, 0, 0 },', 1, 3, /code: 0x10000 is out of range/);
  assertSyntaxError('{ 0x15, 256, 0, 0 },', 1, 9, /jt: 256 is out of range/);
  assertSyntaxError('{ 0x6, 0, 0, 0x100000000 },', 1, 14, /k: 0x100000000 is out of range/);
  assertSyntaxError('{ 0x6, 0, zero, 0 },', 1, 11, /jf: unknown constant 'zero'; write its value/);
  assertSyntaxError('{ 0x6, 0, 0, 0x1g },', 1, 14, /k: '0x1g' is not a number/);
});

test('the C array: BPF_STMT and BPF_JUMP with uapi constants, as hand-written filters use them', () => {
  const text = [
    'struct sock_filter code[] = {',
    '\tBPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),',
    '\tBPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 3),',
    '\tBPF_STMT(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF + 9),',
    '\tBPF_JUMP(BPF_JMP + BPF_JEQ + BPF_K, IPPROTO_ICMP, 0, 1),',
    '\tBPF_STMT(BPF_RET | BPF_K, (unsigned)-1),',
    '\tBPF_STMT(BPF_RET | BPF_K, 0),',
    '};',
    'struct sock_fprog prog = { .len = 6, .filter = code };',
  ].join('\n');
  const program = parseProgram(text);
  assert.equal(program.format, 'c-array');
  assert.deepEqual(program.instructions, [
    instruction(0x28, 0, 0, 12),
    instruction(0x15, 0, 3, 0x800),
    instruction(0x30, 0, 0, 0xfff00009),
    instruction(0x15, 0, 1, 1),
    instruction(0x06, 0, 0, 0xffffffff),
    instruction(0x06, 0, 0, 0),
  ]);
  assert.deepEqual(program.positions[1], { line: 3, column: 2 });
  assert.deepEqual(
    parseProgram('{ BPF_LD | BPF_W | BPF_ABS, 0, 0, SKF_AD_OFF + SKF_AD_PROTOCOL }').instructions,
    [instruction(0x20, 0, 0, 0xfffff000)],
  );
});

test('the C macros: wrong arity, truncation and unknown names are errors at their position', () => {
  assertSyntaxError('BPF_STMT(BPF_RET | BPF_K)', 1, 1, /1 fields; expected 2: BPF_STMT\(code, k\)/);
  assertSyntaxError(
    'BPF_STMT(BPF_RET, 0),\n  BPF_JUMP(BPF_JMP | BPF_JEQ, 1, 0)',
    2,
    3,
    /expected 4: BPF_JUMP/,
  );
  assertSyntaxError('BPF_STMT(BPF_RET | BPF_K, 0),\nBPF_STMT(BPF_RET | BPF_K,', 2, 1, /not closed with '\)'/);
  assertSyntaxError('BPF_STMT(BPF_RET | BPF_KK, 0)', 1, 20, /code: unknown constant 'BPF_KK'/);
  assertSyntaxError('BPF_JUMP(BPF_JMP | BPF_JA, 0, 256, 0)', 1, 31, /jt: 256 is out of range/);
});

test('the decimal form: count line, records by line or by comma', () => {
  const byLine = parseProgram('2\n40 0 0 12\n6 0 0 262144\n');
  const byComma = parseProgram('2,40 0 0 12,6 0 0 262144');
  assert.deepEqual(byLine.instructions, byComma.instructions);
  assert.deepEqual(byLine.positions[1], { line: 3, column: 1 });
  assert.deepEqual(byComma.positions[1], { line: 1, column: 13 });
  assert.deepEqual(parseProgram('0\n').instructions, []);
});

test('the decimal form: count mismatches and bad records are errors at their position', () => {
  assertSyntaxError('3\n40 0 0 12\n6 0 0 0\n', 3, 8, /count says 3 instructions, only 2 follow/);
  assertSyntaxError('1\n40 0 0 12\n6 0 0 0\n', 3, 1, /more instructions than the count 1/);
  assertSyntaxError('2\n40 0 0\n6 0 0 0\n', 2, 1, /3 fields; expected 4/);
  assertSyntaxError('1\n6 0 0 4294967296\n', 2, 7, /out of range for k/);
  assertSyntaxError('1\n6 0 -1 0\n', 2, 5, /out of range for jf/);
  assertSyntaxError('70000\n', 1, 1, /out of range for instruction count/);
  assertSyntaxError('1 2\n', 1, 1, /count alone/, 'decimal');
});

test('assembler: every bpf_asm form reads to the right encoding', () => {
  const cases: [string, number, number][] = [
    ['ldb [3]', 0x30, 3],
    ['ldh [x + 4]', 0x48, 4],
    ['ld [%x + 4]', 0x40, 4],
    ['ld [12]', 0x20, 12],
    ['ld #0x10', 0x00, 16],
    ['ldi #7', 0x00, 7],
    ['ld len', 0x80, 0],
    ['ld #len', 0x80, 0],
    ['ld M[3]', 0x60, 3],
    ['ld #proto', 0x20, 0xfffff000],
    ['ldh vlan_tci', 0x28, 0xfffff02c],
    ['ldb #vlan_pr', 0x30, 0xfffff030],
    ['ld #xor_x', 0x20, 0xfffff028],
    ['ldx #5', 0x01, 5],
    ['ldxi 5', 0x01, 5],
    ['ldx len', 0x81, 0],
    ['ldx M[2]', 0x61, 2],
    ['ldxb 4*([14]&0xf)', 0xb1, 14],
    ['ldx 4 * ( [ 14 ] & 0xf )', 0xb1, 14],
    ['st M[1]', 0x02, 1],
    ['stx M[1]', 0x03, 1],
    ['add #1', 0x04, 1],
    ['sub x', 0x1c, 0],
    ['mul %x', 0x2c, 0],
    ['div #0b101', 0x34, 5],
    ['mod #010', 0x94, 8],
    ['and #1', 0x54, 1],
    ['or #1', 0x44, 1],
    ['xor #1', 0xa4, 1],
    ['lsh #1', 0x64, 1],
    ['rsh #1', 0x74, 1],
    ['neg', 0x84, 0],
    ['tax', 0x07, 0],
    ['txa', 0x87, 0],
    ['ret a', 0x16, 0],
    ['ret %a', 0x16, 0],
    ['ret x', 0x0e, 0],
    ['ret #-1', 0x06, 0xffffffff],
    ['ld [-1048567]', 0x20, 0xfff00009],
    ['.insn 0x21, 0, 0, 4', 0x21, 4],
    ['LDH [12]', 0x28, 12],
  ];
  for (const [text, code, k] of cases) {
    const [insn] = parseProgram(text, 'asm').instructions;
    assert.deepEqual(insn, { code, jt: 0, jf: 0, k }, text);
  }
});

test('assembler: labels, comments, and jumps by label', () => {
  const text = [
    '# a comment line',
    '        ldh [12]          ; EtherType',
    '        jeq #0x800, ip, drop',
    '/* a block',
    '   comment */',
    'ip:     ldb [23]',
    '        jeq #1, keep',
    '        ja drop',
    'keep:   ret #-1',
    'drop:',
    '        ret #0',
  ].join('\n');
  const program = parseProgram(text);
  assert.equal(program.format, 'asm');
  assert.deepEqual(program.instructions, [
    instruction(0x28, 0, 0, 12),
    instruction(0x15, 0, 4, 0x800),
    instruction(0x30, 0, 0, 23),
    instruction(0x15, 1, 0, 1),
    instruction(0x05, 0, 0, 1),
    instruction(0x06, 0, 0, 0xffffffff),
    instruction(0x06, 0, 0, 0),
  ]);
  assert.deepEqual(program.positions[2], { line: 6, column: 9 });
  assert.deepEqual(program.positions[6], { line: 11, column: 9 });
});

test('assembler: errors name the line and column', () => {
  assertSyntaxError('ldh [12]\n  frob #1\nret #0', 2, 3, /unknown mnemonic 'frob'/);
  assertSyntaxError('ld #4294967296\nret a', 1, 5, /out of range/);
  assertSyntaxError('ld #-2147483649\nret a', 1, 5, /out of range/);
  assertSyntaxError('jeq #1, nowhere\nret #0', 1, 9, /undefined label 'nowhere'/);
  assertSyntaxError('back: ld #1\njeq #1, back\nret #0', 2, 9, /only forward/);
  assertSyntaxError('a1: ret #0\na1: ret #0', 2, 1, /defined twice/);
  assertSyntaxError('ldh [12\nret #0', 1, 8, /expected '\]'/);
  assertSyntaxError('add 5\nret a', 1, 5, /expected '#k' or 'x'/);
  assertSyntaxError('ldxb 3*([14]&0xf)\nret a', 1, 6, /4\*\(\[k\]&0xf\)/);
  assertSyntaxError('ret #0 #1', 1, 8, /unexpected '#'/);
  assertSyntaxError('st M[1\n', 1, 7, /expected '\]' at the end of the line/);
  const far = ['jeq #1, end', ...Array.from({ length: 256 }, () => 'ret #0'), 'end: ret #1'].join('\n');
  assertSyntaxError(far, 1, 9, /256 instructions ahead/);
});

test('too many instructions for sock_fprog.len is an error at the first one too many', () => {
  const text = Array.from({ length: 65536 }, () => 'ret #0').join('\n');
  assertSyntaxError(text, 65536, 1, /more than 65535 instructions/);
  const decimal = '65535\n' + Array.from({ length: 65536 }, () => '6 0 0 0').join('\n');
  assertSyntaxError(decimal, 65537, 1, /more instructions than the count/);
});

test('disassembly reads back to the same instructions, raw ones included', () => {
  const program = [
    instruction(0x28, 0, 0, 12),
    instruction(0x15, 0, 3, 0x800),
    instruction(0x20, 0, 0, 0xfff00009),
    instruction(0x21, 0, 0, 4),
    instruction(0x06, 1, 0, 5),
    instruction(0x07, 0, 0, 3),
    instruction(0x16, 0, 0, 0),
  ];
  const text = disassemble(program);
  assert.match(text, /SKF_NET_OFF \+ 9/);
  assert.match(text, /\.insn 0x21, 0, 0, 0x4/);
  assert.match(text, /\.insn 0x06, 1, 0, 0x5/);
  assert.match(text, /\.insn 0x07, 0, 0, 0x3/);
  assert.deepEqual(parseProgram(text).instructions, program);
});

test('a jump past the end disassembles raw, since no label could name its target', () => {
  assert.equal(describeInstruction(instruction(0x05, 0, 0, 9), 0, 2), '.insn 0x05, 0, 0, 0x9');
  assert.equal(describeInstruction(instruction(0x05, 0, 0, 0), 0, 2), 'ja L1');
});
