// A readable assembler in the syntax of the kernel's tools/bpf/bpf_asm (bpf_exp.l, bpf_exp.y):
// one instruction a line, `label:` before it, jumps by label, `;` and /* */ comments, `#` comment
// lines. Two additions: `ld #xor_x` (SKF_AD_ALU_XOR_X has no bpf_asm name) and
// `.insn code, jt, jf, k` for raw instructions, so that every program disassembles to text that
// reads back. docs/bpf.md describes the syntax.
// Long because it is one grammar: every mnemonic's operand forms, parsed by one line parser.
import { ancillaryNamed } from './ancillary';
import { K_FIELD, CODE_FIELD, JUMP_FIELD, fieldValue } from './numbers';
import type { ParsedProgram } from './parsed-program';
import {
  BPF_A,
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_B,
  BPF_DIV,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_JSET,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MISC,
  BPF_MOD,
  BPF_MSH,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  BPF_XOR,
  SKF_AD_OFF,
  SOCK_FPROG_MAX_LEN,
  instruction,
  type ClassicInstruction,
} from './opcodes';
import { blankComments, ProgramSyntaxError, type SourcePosition } from './syntax-error';

interface Token {
  readonly text: string;
  readonly at: SourcePosition;
}

const tokenPattern = /\.?[A-Za-z_][A-Za-z0-9_]*|(?:0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)[uUlL]*|\S/g;

function tokenize(line: string, lineNumber: number): Token[] {
  return [...line.matchAll(tokenPattern)].map((m) => ({
    text: m[0],
    at: { line: lineNumber, column: (m.index ?? 0) + 1 },
  }));
}

/** A jump operand waiting for its label's address. */
interface PendingLabel {
  readonly label: Token;
  readonly field: 'jt' | 'jf' | 'k';
}

interface AssembledLine {
  readonly base: ClassicInstruction;
  readonly labels: PendingLabel[];
  readonly at: SourcePosition;
}

class LineParser {
  private next = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly end: SourcePosition,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.next];
  }

  private fail(problem: string, token = this.peek()): never {
    const at = token?.at ?? this.end;
    throw new ProgramSyntaxError(at.line, at.column, problem);
  }

  take(): Token {
    const token = this.peek();
    if (token === undefined) this.fail('unexpected end of line');
    this.next++;
    return token;
  }

  accept(text: string): boolean {
    if (this.peek()?.text.toLowerCase() !== text.toLowerCase()) return false;
    this.next++;
    return true;
  }

  expect(text: string, what = `'${text}'`): void {
    if (!this.accept(text)) {
      const found = this.peek();
      this.fail(
        found ? `expected ${what}, found '${found.text}'` : `expected ${what} at the end of the line`,
      );
    }
  }

  atEnd(): boolean {
    return this.next >= this.tokens.length;
  }

  finish(): void {
    const extra = this.peek();
    if (extra !== undefined) this.fail(`unexpected '${extra.text}' after the instruction`);
  }

  /** A literal, with bpf_asm's optional sign (`[-1048567]`). */
  number(range = K_FIELD): number {
    const sign = this.peek()?.text === '-' || this.peek()?.text === '+' ? this.take() : undefined;
    const token = this.take();
    return fieldValue((sign?.text ?? '') + token.text, range, sign?.at ?? token.at);
  }

  position(): SourcePosition {
    return this.peek()?.at ?? this.end;
  }

  /** `x` or `%x` (and the same for `a`). */
  register(name: 'x' | 'a'): boolean {
    const mark = this.next;
    this.accept('%');
    if (this.accept(name)) return true;
    this.next = mark;
    return false;
  }

  label(): Token {
    const token = this.take();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(token.text))
      this.fail(`expected a label, found '${token.text}'`, token);
    return token;
  }

  /** `#len` or `len`. */
  packetLength(): boolean {
    const mark = this.next;
    this.accept('#');
    if (this.accept('len')) return true;
    this.next = mark;
    return false;
  }

  /** `#proto`, `proto`, ...: the k of an ancillary load, or undefined. */
  ancillary(): number | undefined {
    const mark = this.next;
    this.accept('#');
    const name = this.peek();
    const found = name && ancillaryNamed(name.text);
    if (found) {
      this.next++;
      return (SKF_AD_OFF + found.number) >>> 0;
    }
    this.next = mark;
    return undefined;
  }
}

const aluOps: Record<string, number> = {
  add: BPF_ADD,
  sub: BPF_SUB,
  mul: BPF_MUL,
  div: BPF_DIV,
  mod: BPF_MOD,
  and: BPF_AND,
  or: BPF_OR,
  xor: BPF_XOR,
  lsh: BPF_LSH,
  rsh: BPF_RSH,
};

/** Conditional jumps: the opcode, and which of jt/jf the labels fill (bpf_asm's jne/jlt/jle fill jf). */
const jumpOps: Record<string, { op: number; onlyFalse: boolean }> = {
  jeq: { op: BPF_JEQ, onlyFalse: false },
  jgt: { op: BPF_JGT, onlyFalse: false },
  jge: { op: BPF_JGE, onlyFalse: false },
  jset: { op: BPF_JSET, onlyFalse: false },
  jne: { op: BPF_JEQ, onlyFalse: true },
  jneq: { op: BPF_JEQ, onlyFalse: true },
  jlt: { op: BPF_JGE, onlyFalse: true },
  jle: { op: BPF_JGT, onlyFalse: true },
};

const loadSizes: Record<string, number> = { ld: BPF_W, ldh: BPF_H, ldb: BPF_B };

function plain(code: number, k = 0): ClassicInstruction {
  return instruction(code, 0, 0, k);
}

/** `[k]`, `[x + k]`, `[%x + k]` after a load mnemonic. */
function packetOperand(p: LineParser, size: number): ClassicInstruction {
  p.expect('[');
  if (p.register('x')) {
    p.expect('+');
    const k = p.number();
    p.expect(']');
    return plain(BPF_LD | size | BPF_IND, k);
  }
  const k = p.number();
  p.expect(']');
  return plain(BPF_LD | size | BPF_ABS, k);
}

function memoryCell(p: LineParser): number {
  p.expect('M', "'M[...]'");
  p.expect('[');
  const k = p.number();
  p.expect(']');
  return k;
}

function parseLoad(p: LineParser, mnemonic: string): ClassicInstruction {
  const size = loadSizes[mnemonic];
  const ancillary = p.ancillary();
  if (ancillary !== undefined) return plain(BPF_LD | size | BPF_ABS, ancillary);
  if (mnemonic === 'ld') {
    if (p.packetLength()) return plain(BPF_LD | BPF_W | BPF_LEN);
    if (p.accept('#')) return plain(BPF_LD | BPF_IMM, p.number());
    if (p.accept('M')) return plain(BPF_LD | BPF_MEM, memoryIndex(p));
  }
  return packetOperand(p, size);
}

/** `[k]` after `M`: the scratch memory word. */
function memoryIndex(p: LineParser): number {
  p.expect('[');
  const k = p.number();
  p.expect(']');
  return k;
}

/** `4*([k]&0xf)`, the IP header length load. */
function parseMsh(p: LineParser): ClassicInstruction {
  const four = p.position();
  if (p.number() !== 4)
    throw new ProgramSyntaxError(four.line, four.column, "only '4*([k]&0xf)' exists (BPF_MSH)");
  p.expect('*');
  p.expect('(');
  p.expect('[');
  const k = p.number();
  p.expect(']');
  p.expect('&');
  const mask = p.position();
  if (p.number() !== 0xf)
    throw new ProgramSyntaxError(mask.line, mask.column, "only '4*([k]&0xf)' exists (BPF_MSH)");
  p.expect(')');
  return plain(BPF_LDX | BPF_B | BPF_MSH, k);
}

function parseLoadX(p: LineParser, mnemonic: string): ClassicInstruction {
  if (mnemonic === 'ldxb') return parseMsh(p);
  if (mnemonic === 'ldxi') {
    p.accept('#');
    return plain(BPF_LDX | BPF_IMM, p.number());
  }
  if (p.packetLength()) return plain(BPF_LDX | BPF_W | BPF_LEN);
  if (p.accept('#')) return plain(BPF_LDX | BPF_IMM, p.number());
  if (p.accept('M')) return plain(BPF_LDX | BPF_MEM, memoryIndex(p));
  return parseMsh(p);
}

function parseJump(p: LineParser, mnemonic: string, labels: PendingLabel[]): ClassicInstruction {
  const { op, onlyFalse } = jumpOps[mnemonic];
  let code = BPF_JMP | op | BPF_K;
  let k = 0;
  if (p.register('x')) code = BPF_JMP | op | BPF_X;
  else {
    p.expect('#', "'#k' or 'x'");
    k = p.number();
  }
  p.expect(',');
  labels.push({ label: p.label(), field: onlyFalse ? 'jf' : 'jt' });
  if (!onlyFalse && p.accept(',')) labels.push({ label: p.label(), field: 'jf' });
  return instruction(code, 0, 0, k);
}

function parseInstruction(p: LineParser, labels: PendingLabel[]): ClassicInstruction {
  const mnemonicToken = p.take();
  const mnemonic = mnemonicToken.text.toLowerCase();
  if (mnemonic in loadSizes) return parseLoad(p, mnemonic);
  if (mnemonic === 'ldi') {
    p.accept('#');
    return plain(BPF_LD | BPF_IMM, p.number());
  }
  if (mnemonic === 'ldx' || mnemonic === 'ldxi' || mnemonic === 'ldxb') return parseLoadX(p, mnemonic);
  if (mnemonic === 'st') return plain(BPF_ST, memoryCell(p));
  if (mnemonic === 'stx') return plain(BPF_STX, memoryCell(p));
  if (mnemonic === 'jmp' || mnemonic === 'ja') {
    labels.push({ label: p.label(), field: 'k' });
    return plain(BPF_JMP | BPF_JA);
  }
  if (mnemonic in jumpOps) return parseJump(p, mnemonic, labels);
  if (mnemonic in aluOps) {
    if (p.register('x')) return plain(BPF_ALU | aluOps[mnemonic] | BPF_X);
    p.expect('#', "'#k' or 'x'");
    return plain(BPF_ALU | aluOps[mnemonic] | BPF_K, p.number());
  }
  if (mnemonic === 'neg') return plain(BPF_ALU | BPF_NEG);
  if (mnemonic === 'tax') return plain(BPF_MISC | BPF_TAX);
  if (mnemonic === 'txa') return plain(BPF_MISC | BPF_TXA);
  if (mnemonic === 'ret') {
    if (p.register('a')) return plain(BPF_RET | BPF_A);
    if (p.register('x')) return plain(BPF_RET | BPF_X);
    p.expect('#', "'#k', 'a' or 'x'");
    return plain(BPF_RET | BPF_K, p.number());
  }
  if (mnemonic === '.insn') return parseRaw(p);
  throw new ProgramSyntaxError(
    mnemonicToken.at.line,
    mnemonicToken.at.column,
    `unknown mnemonic '${mnemonicToken.text}'`,
  );
}

function parseRaw(p: LineParser): ClassicInstruction {
  const code = p.number(CODE_FIELD);
  p.expect(',');
  const jt = p.number({ ...JUMP_FIELD, name: 'jt' });
  p.expect(',');
  const jf = p.number({ ...JUMP_FIELD, name: 'jf' });
  p.expect(',');
  return instruction(code, jt, jf, p.number());
}

const reserved = new Set(['x', 'a', 'm', 'len']);

function resolveLabels(lines: AssembledLine[], addresses: Map<string, number>): ClassicInstruction[] {
  return lines.map((line, pc) => {
    const fields = { jt: line.base.jt, jf: line.base.jf, k: line.base.k };
    for (const { label, field } of line.labels) {
      const target = addresses.get(label.text);
      const { line: l, column } = label.at;
      if (target === undefined) throw new ProgramSyntaxError(l, column, `undefined label '${label.text}'`);
      const offset = target - pc - 1;
      if (offset < 0) {
        throw new ProgramSyntaxError(
          l,
          column,
          `label '${label.text}' is not after this jump: classic BPF jumps only forward`,
        );
      }
      if (field !== 'k' && offset > 0xff) {
        throw new ProgramSyntaxError(
          l,
          column,
          `label '${label.text}' is ${offset} instructions ahead; a conditional jump reaches 255`,
        );
      }
      fields[field] = offset;
    }
    return instruction(line.base.code, fields.jt, fields.jf, fields.k);
  });
}

export function parseAssembler(text: string): ParsedProgram {
  const clean = blankComments(text, /;[^\n]*|(^|(?<=\n))[ \t]*#[^\n]*/g);
  const lines: AssembledLine[] = [];
  const addresses = new Map<string, number>();
  clean.split('\n').forEach((source, index) => {
    const tokens = tokenize(source, index + 1);
    if (tokens.length === 0) return;
    const p = new LineParser(tokens, { line: index + 1, column: source.length + 1 });
    if (tokens.length >= 2 && tokens[1].text === ':' && /^[A-Za-z_]/.test(tokens[0].text)) {
      const label = p.take();
      p.take();
      if (reserved.has(label.text.toLowerCase())) {
        throw new ProgramSyntaxError(label.at.line, label.at.column, `'${label.text}' cannot be a label`);
      }
      if (addresses.has(label.text)) {
        throw new ProgramSyntaxError(
          label.at.line,
          label.at.column,
          `label '${label.text}' is defined twice`,
        );
      }
      addresses.set(label.text, lines.length);
      if (p.atEnd()) return;
    }
    const at = p.position();
    const labels: PendingLabel[] = [];
    const base = parseInstruction(p, labels);
    p.finish();
    if (lines.length === SOCK_FPROG_MAX_LEN) {
      throw new ProgramSyntaxError(
        at.line,
        at.column,
        `more than ${SOCK_FPROG_MAX_LEN} instructions: sock_fprog.len cannot say how many`,
      );
    }
    lines.push({ base, labels, at });
  });
  return { format: 'asm', instructions: resolveLabels(lines, addresses), positions: lines.map((l) => l.at) };
}
