// Classic instructions back to the assembler text assembler.ts reads (bpf_asm's syntax). Jump
// targets are labels named after the target's index (L5), so a disassembled line also reads on its
// own in a trace.
import { ancillaryAt } from './ancillary';
import {
  BPF_A,
  BPF_ABS,
  BPF_ALU,
  BPF_B,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_MEM,
  BPF_MISC,
  BPF_MSH,
  BPF_NEG,
  BPF_RET,
  BPF_ST,
  BPF_STX,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  SKF_AD_OFF,
  SKF_LL_OFF,
  SKF_NET_OFF,
  bpfClass,
  bpfMode,
  bpfOp,
  bpfRval,
  bpfSize,
  bpfSrc,
  isConditionalJump,
  signed32,
  type ClassicInstruction,
  type ClassicProgram,
} from './opcodes';

const aluNames = ['add', 'sub', 'mul', 'div', 'or', 'and', 'lsh', 'rsh', 'neg', 'mod', 'xor'];
const jumpNames = ['ja', 'jeq', 'jgt', 'jge', 'jset'];
const sizeSuffix: Record<number, string> = { [BPF_W]: '', [BPF_H]: 'h', [BPF_B]: 'b' };

const labelFor = (index: number): string => `L${index}`;

function immediate(k: number): string {
  return k < 10 ? `#${k}` : `#0x${k.toString(16)}`;
}

function raw(insn: ClassicInstruction): string {
  return `.insn 0x${insn.code.toString(16).padStart(2, '0')}, ${insn.jt}, ${insn.jf}, 0x${insn.k.toString(16)}`;
}

/** A packet offset as written: negative offsets in decimal, so they read back as the same k. */
function offset(k: number): string {
  return String(signed32(k) < 0 ? signed32(k) : k);
}

function load(insn: ClassicInstruction): string | undefined {
  const size = bpfSize(insn.code);
  if (!(size in sizeSuffix)) return undefined;
  const mnemonic = `ld${sizeSuffix[size]}`;
  switch (bpfMode(insn.code)) {
    case BPF_ABS: {
      const ancillary = ancillaryAt(insn.k);
      return ancillary ? `${mnemonic} #${ancillary.name}` : `${mnemonic} [${offset(insn.k)}]`;
    }
    case BPF_IND:
      return `${mnemonic} [x + ${offset(insn.k)}]`;
  }
  return size === BPF_W ? wordLoad('ld', insn) : undefined;
}

/** A word load of `ld` or `ldx` that reads no packet: an immediate, scratch memory or the length. */
function wordLoad(mnemonic: 'ld' | 'ldx', insn: ClassicInstruction): string | undefined {
  switch (bpfMode(insn.code)) {
    case BPF_IMM:
      return `${mnemonic} ${immediate(insn.k)}`;
    case BPF_MEM:
      return `${mnemonic} M[${insn.k}]`;
    case BPF_LEN:
      return `${mnemonic} #len`;
  }
  return undefined;
}

function loadX(insn: ClassicInstruction): string | undefined {
  if (insn.code === (BPF_LDX | BPF_B | BPF_MSH)) return `ldxb 4*([${offset(insn.k)}]&0xf)`;
  return bpfSize(insn.code) === BPF_W ? wordLoad('ldx', insn) : undefined;
}

function operand(insn: ClassicInstruction): string {
  return bpfSrc(insn.code) === BPF_X ? 'x' : immediate(insn.k);
}

function jump(insn: ClassicInstruction, pc: number): string | undefined {
  const name = jumpNames[bpfOp(insn.code) >> 4];
  if (name === undefined) return undefined;
  if (bpfOp(insn.code) === BPF_JA) {
    return insn.code === (BPF_JMP | BPF_JA) ? `ja ${labelFor(pc + 1 + insn.k)}` : undefined;
  }
  return `${name} ${operand(insn)}, ${labelFor(pc + 1 + insn.jt)}, ${labelFor(pc + 1 + insn.jf)}`;
}

function mnemonicText(insn: ClassicInstruction, pc: number): string | undefined {
  const { code } = insn;
  if (code > 0xff) return undefined;
  switch (bpfClass(code)) {
    case BPF_LD:
      return load(insn);
    case BPF_LDX:
      return loadX(insn);
    case BPF_ST:
      return code === BPF_ST ? `st M[${insn.k}]` : undefined;
    case BPF_STX:
      return code === BPF_STX ? `stx M[${insn.k}]` : undefined;
    case BPF_ALU: {
      const name = aluNames[bpfOp(code) >> 4];
      if (bpfOp(code) === BPF_NEG) return code === (BPF_ALU | BPF_NEG) ? 'neg' : undefined;
      return name === undefined ? undefined : `${name} ${operand(insn)}`;
    }
    case BPF_JMP:
      return jump(insn, pc);
    case BPF_RET: {
      if (code & ~0x1e) return undefined;
      const rval = bpfRval(code);
      if (rval === BPF_K) return `ret #${insn.k}`;
      if (rval === BPF_A) return 'ret a';
      return rval === BPF_X ? 'ret x' : undefined;
    }
    case BPF_MISC:
      if (code === (BPF_MISC | BPF_TAX)) return 'tax';
      if (code === (BPF_MISC | BPF_TXA)) return 'txa';
      return undefined;
  }
  return undefined;
}

/** Whether the assembler text of this opcode shows k. */
function showsK(code: number): boolean {
  switch (bpfClass(code)) {
    case BPF_LD:
      return bpfMode(code) !== BPF_LEN;
    case BPF_LDX:
      return bpfMode(code) !== BPF_LEN;
    case BPF_ST:
    case BPF_STX:
      return true;
    case BPF_ALU:
      return bpfSrc(code) === BPF_K && bpfOp(code) !== BPF_NEG;
    case BPF_JMP:
      return bpfSrc(code) === BPF_K;
    case BPF_RET:
      return bpfRval(code) === BPF_K;
  }
  return false;
}

function jumpTargets(insn: ClassicInstruction, pc: number): number[] {
  if (insn.code === (BPF_JMP | BPF_JA)) return [pc + 1 + insn.k];
  return isConditionalJump(insn.code) ? [pc + 1 + insn.jt, pc + 1 + insn.jf] : [];
}

/**
 * One instruction in assembler syntax. `.insn` stands in when no mnemonic reads back as exactly
 * these four fields: an opcode without a mnemonic, a non-zero field the mnemonic does not show, or a
 * jump past the end of a program of `programLength` instructions.
 */
export function describeInstruction(insn: ClassicInstruction, pc: number, programLength = Infinity): string {
  const text = mnemonicText(insn, pc);
  const showsJumps = isConditionalJump(insn.code);
  const exact =
    text !== undefined &&
    (showsJumps || (insn.jt === 0 && insn.jf === 0)) &&
    (showsK(insn.code) || insn.k === 0) &&
    jumpTargets(insn, pc).every((target) => target < programLength);
  return exact ? text : raw(insn);
}

/** A comment explaining a negative load offset (SKF_NET_OFF + 9), or undefined. */
function offsetComment(insn: ClassicInstruction): string | undefined {
  const loadsPacket =
    (bpfClass(insn.code) === BPF_LD && (bpfMode(insn.code) === BPF_ABS || bpfMode(insn.code) === BPF_IND)) ||
    insn.code === (BPF_LDX | BPF_B | BPF_MSH);
  const k = signed32(insn.k);
  if (!loadsPacket || k >= 0 || ancillaryAt(insn.k)) return undefined;
  if (k >= SKF_AD_OFF) return `SKF_AD_OFF + ${k - SKF_AD_OFF}: no such ancillary load`;
  if (k >= SKF_NET_OFF) return `SKF_NET_OFF + ${k - SKF_NET_OFF}: network header`;
  if (k >= SKF_LL_OFF) return `SKF_LL_OFF + ${k - SKF_LL_OFF}: link-layer header`;
  return undefined;
}

/** The whole program as assembler text: labels where jumps land, a header comment with the count. */
export function disassemble(program: ClassicProgram): string {
  const targets = new Set(program.flatMap((insn, pc) => jumpTargets(insn, pc)));
  const width = Math.max(4, labelFor(program.length).length + 2);
  const lines = program.map((insn, pc) => {
    const label = targets.has(pc) ? `${labelFor(pc)}:` : '';
    const comment = offsetComment(insn);
    const text = describeInstruction(insn, pc, program.length);
    return `${label.padEnd(width)}${text}${comment ? `  ; ${comment}` : ''}`;
  });
  return [`; ${program.length} instruction${program.length === 1 ? '' : 's'}`, ...lines].join('\n') + '\n';
}
