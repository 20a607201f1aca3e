// The classic BPF instruction encoding (include/uapi/linux/bpf_common.h and filter.h): one
// `struct sock_filter` is { u16 code; u8 jt; u8 jf; u32 k }.

export interface ClassicInstruction {
  readonly code: number;
  readonly jt: number;
  readonly jf: number;
  readonly k: number;
}

export type ClassicProgram = readonly ClassicInstruction[];

// Instruction classes (code & 0x07).
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_RET = 0x06;
export const BPF_MISC = 0x07;

// Load sizes (code & 0x18).
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;

// Load modes (code & 0xe0).
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_LEN = 0x80;
export const BPF_MSH = 0xa0;

// ALU and jump operations (code & 0xf0).
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;
export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;

// Operand source (code & 0x08) and return value source (code & 0x18).
export const BPF_K = 0x00;
export const BPF_X = 0x08;
export const BPF_A = 0x10;

// MISC operations (code & 0xf8).
export const BPF_TAX = 0x00;
export const BPF_TXA = 0x80;

/** Largest classic program the kernel accepts (BPF_MAXINSNS). */
export const BPF_MAXINSNS = 4096;
/** Scratch memory cells M[0..15] (BPF_MEMWORDS). */
export const BPF_MEMWORDS = 16;
/** `sock_fprog.len` is a u16: no program handed to setsockopt can be longer. */
export const SOCK_FPROG_MAX_LEN = 0xffff;

// Negative offsets of absolute loads (uapi filter.h), as signed 32-bit values.
export const SKF_AD_OFF = -0x1000;
export const SKF_NET_OFF = -0x100000;
export const SKF_LL_OFF = -0x200000;

export const bpfClass = (code: number): number => code & 0x07;
export const bpfSize = (code: number): number => code & 0x18;
export const bpfMode = (code: number): number => code & 0xe0;
export const bpfOp = (code: number): number => code & 0xf0;
export const bpfSrc = (code: number): number => code & 0x08;
export const bpfRval = (code: number): number => code & 0x18;

/** Bytes read by a load of the given size field. */
export function loadSizeBytes(code: number): 1 | 2 | 4 {
  const size = bpfSize(code);
  return size === BPF_B ? 1 : size === BPF_H ? 2 : 4;
}

export function isConditionalJump(code: number): boolean {
  return bpfClass(code) === BPF_JMP && bpfOp(code) !== BPF_JA;
}

/** The k field read as the kernel's `int` offset of a load. */
export const signed32 = (value: number): number => value | 0;
export const unsigned32 = (value: number): number => value >>> 0;

export function instruction(code: number, jt: number, jf: number, k: number): ClassicInstruction {
  return { code, jt, jf, k: unsigned32(k) };
}
