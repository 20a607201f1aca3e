// setsockopt(SO_ATTACH_FILTER)'s verdict on a classic program, in the kernel's order:
// bpf_check_basics_ok, bpf_check_classic (with chk_code_allowed and check_load_and_stores),
// bpf_migrate_filter's conversion, then __sk_filter_charge. Only an accepted program becomes a
// CheckedProgram, and only a CheckedProgram can be run.
// Long because it is one verdict, its checks in the kernel's order.
import { ANCILLARY_K_FLOOR, ancillaryAt } from './ancillary';
import { convertClassicProgram } from './conversion';
import { bpfProgSize, defaultKernelVersion, kernelProfiles, type KernelVersion } from './kernel-profile';
import { describeInstruction } from './disassembler';
import {
  BPF_ABS,
  BPF_ALU,
  BPF_B,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JMP,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_MAXINSNS,
  BPF_MEM,
  BPF_MEMWORDS,
  BPF_MISC,
  BPF_MSH,
  BPF_RET,
  BPF_ST,
  BPF_STX,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_A,
  BPF_K,
  BPF_X,
  BPF_ADD,
  BPF_SUB,
  BPF_MUL,
  BPF_DIV,
  BPF_MOD,
  BPF_AND,
  BPF_OR,
  BPF_XOR,
  BPF_LSH,
  BPF_RSH,
  BPF_NEG,
  BPF_JEQ,
  BPF_JGT,
  BPF_JGE,
  BPF_JSET,
  isConditionalJump,
  type ClassicProgram,
} from './opcodes';

export type FilterErrno = 'EINVAL' | 'ENOMEM';

export const errnoValues: Readonly<Record<FilterErrno, number>> = { EINVAL: 22, ENOMEM: 12 };

/** Which kernel function said no. */
export type RejectingFunction =
  | 'bpf_check_basics_ok'
  | 'chk_code_allowed'
  | 'bpf_check_classic'
  | 'check_load_and_stores'
  | 'bpf_convert_filter'
  | '__sk_filter_charge';

declare const checkedBrand: unique symbol;

/** A program setsockopt would accept. Made only by checkClassicFilter. */
export interface CheckedProgram {
  readonly instructions: ClassicProgram;
  readonly kernel: KernelVersion;
  readonly [checkedBrand]: true;
}

export interface FilterAccepted {
  readonly accepted: true;
  readonly program: CheckedProgram;
  /** Length of the eBPF program the kernel runs. */
  readonly ebpfLength: number;
  /** Bytes charged to sk_omem_alloc (bpf_prog_size of the eBPF program). */
  readonly chargedBytes: number;
}

export interface FilterRejected {
  readonly accepted: false;
  readonly errno: FilterErrno;
  readonly errnoValue: number;
  readonly rejectedBy: RejectingFunction;
  /** The instruction the rejection is about; absent when it is about the whole program. */
  readonly index?: number;
  readonly reason: string;
}

export type FilterVerdict = FilterAccepted | FilterRejected;

export interface CheckOptions {
  readonly kernel?: KernelVersion;
  /** net.core.optmem_max; the kernel's default for the version when absent. */
  readonly optmemMax?: number;
  /** sk_omem_alloc before the attach (an old filter is uncharged only after the new one is charged). */
  readonly optionMemoryInUse?: number;
}

const allowedCodes = new Set<number>([
  ...[BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH].flatMap(
    (op) => [BPF_ALU | op | BPF_K, BPF_ALU | op | BPF_X],
  ),
  BPF_ALU | BPF_NEG,
  BPF_LD | BPF_W | BPF_ABS,
  BPF_LD | BPF_H | BPF_ABS,
  BPF_LD | BPF_B | BPF_ABS,
  BPF_LD | BPF_W | BPF_LEN,
  BPF_LD | BPF_W | BPF_IND,
  BPF_LD | BPF_H | BPF_IND,
  BPF_LD | BPF_B | BPF_IND,
  BPF_LD | BPF_IMM,
  BPF_LD | BPF_MEM,
  BPF_LDX | BPF_W | BPF_LEN,
  BPF_LDX | BPF_B | BPF_MSH,
  BPF_LDX | BPF_IMM,
  BPF_LDX | BPF_MEM,
  BPF_ST,
  BPF_STX,
  BPF_MISC | BPF_TAX,
  BPF_MISC | BPF_TXA,
  BPF_RET | BPF_K,
  BPF_RET | BPF_A,
  BPF_JMP | BPF_JA,
  ...[BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET].flatMap((op) => [BPF_JMP | op | BPF_K, BPF_JMP | op | BPF_X]),
]);

/** chk_code_allowed: the opcodes a socket filter may use (seccomp's BPF_LDX|BPF_W|BPF_ABS is not one). */
function isAllowedCode(code: number): boolean {
  return allowedCodes.has(code);
}

const acceptedPrograms = new WeakSet<object>();

function reject(
  errno: FilterErrno,
  rejectedBy: RejectingFunction,
  reason: string,
  index?: number,
): FilterRejected {
  return { accepted: false, errno, errnoValue: errnoValues[errno], rejectedBy, index, reason };
}

function at(program: ClassicProgram, index: number): string {
  return `instruction ${index} (${describeInstruction(program[index], index)})`;
}

/** bpf_check_classic's per-instruction rules; undefined when the instruction passes. */
function checkInstruction(program: ClassicProgram, pc: number): FilterRejected | undefined {
  const { code, jt, jf, k } = program[pc];
  const flen = program.length;
  if (!isAllowedCode(code)) {
    return reject(
      'EINVAL',
      'chk_code_allowed',
      `opcode 0x${code.toString(16)} is not allowed in a socket filter`,
      pc,
    );
  }
  const where = at(program, pc);
  switch (code) {
    case BPF_ALU | BPF_DIV | BPF_K:
    case BPF_ALU | BPF_MOD | BPF_K:
      if (k === 0) return reject('EINVAL', 'bpf_check_classic', `${where} divides by the constant 0`, pc);
      return undefined;
    case BPF_ALU | BPF_LSH | BPF_K:
    case BPF_ALU | BPF_RSH | BPF_K:
      if (k >= 32) return reject('EINVAL', 'bpf_check_classic', `${where} shifts by ${k}, 32 or more`, pc);
      return undefined;
    case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_MEM:
    case BPF_ST:
    case BPF_STX:
      if (k >= BPF_MEMWORDS) {
        return reject('EINVAL', 'bpf_check_classic', `${where} uses M[${k}]; there are only M[0..15]`, pc);
      }
      return undefined;
    case BPF_JMP | BPF_JA:
      if (k >= flen - pc - 1) {
        return reject(
          'EINVAL',
          'bpf_check_classic',
          `${where} jumps to ${pc + 1 + k}, past the last instruction ${flen - 1}`,
          pc,
        );
      }
      return undefined;
    case BPF_LD | BPF_W | BPF_ABS:
    case BPF_LD | BPF_H | BPF_ABS:
    case BPF_LD | BPF_B | BPF_ABS:
      if (k >= ANCILLARY_K_FLOOR && ancillaryAt(k) === undefined) {
        return reject(
          'EINVAL',
          'bpf_check_classic',
          `${where} names an unknown ancillary load (SKF_AD_OFF + ${k - ANCILLARY_K_FLOOR})`,
          pc,
        );
      }
      return undefined;
  }
  if (isConditionalJump(code) && (pc + jt + 1 >= flen || pc + jf + 1 >= flen)) {
    const target = pc + Math.max(jt, jf) + 1;
    return reject(
      'EINVAL',
      'bpf_check_classic',
      `${where} jumps to ${target}, past the last instruction ${flen - 1}`,
      pc,
    );
  }
  return undefined;
}

/**
 * check_load_and_stores: a scratch cell must be written on every path before it is read. The kernel
 * walks the program once, intersecting the set of written cells at each jump target.
 */
function checkLoadsAndStores(program: ClassicProgram): FilterRejected | undefined {
  const allCells = 0xffff;
  const masks = new Array<number>(program.length).fill(allCells);
  let written = 0;
  for (let pc = 0; pc < program.length; pc++) {
    written &= masks[pc];
    const { code, jt, jf, k } = program[pc];
    if (code === BPF_ST || code === BPF_STX) {
      written |= 1 << k;
    } else if (code === (BPF_LD | BPF_MEM) || code === (BPF_LDX | BPF_MEM)) {
      if ((written & (1 << k)) === 0) {
        const reason = `${at(program, pc)} reads M[${k}] before every path to it has written it`;
        return reject('EINVAL', 'check_load_and_stores', reason, pc);
      }
    } else if (code === (BPF_JMP | BPF_JA)) {
      masks[pc + 1 + k] &= written;
      written = allCells;
    } else if (isConditionalJump(code)) {
      masks[pc + 1 + jt] &= written;
      masks[pc + 1 + jf] &= written;
      written = allCells;
    }
  }
  return undefined;
}

function checkClassic(program: ClassicProgram): FilterRejected | undefined {
  if (program.length === 0) return reject('EINVAL', 'bpf_check_basics_ok', 'the program is empty');
  if (program.length > BPF_MAXINSNS) {
    const reason = `the program has ${program.length} instructions, more than BPF_MAXINSNS (${BPF_MAXINSNS})`;
    return reject('EINVAL', 'bpf_check_basics_ok', reason, BPF_MAXINSNS);
  }
  for (let pc = 0; pc < program.length; pc++) {
    const rejection = checkInstruction(program, pc);
    if (rejection) return rejection;
  }
  const last = program.length - 1;
  const lastCode = program[last].code;
  if (lastCode !== (BPF_RET | BPF_K) && lastCode !== (BPF_RET | BPF_A)) {
    return reject('EINVAL', 'bpf_check_classic', `the last ${at(program, last)} is not a return`, last);
  }
  return checkLoadsAndStores(program);
}

/** Each field as struct sock_filter stores it (u16, u8, u8, u32), whatever number the caller gave. */
function asStored(program: ClassicProgram): ClassicProgram {
  return program.map(({ code, jt, jf, k }) => ({
    code: code & 0xffff,
    jt: jt & 0xff,
    jf: jf & 0xff,
    k: k >>> 0,
  }));
}

/** The verdict setsockopt(SO_ATTACH_FILTER) gives; never throws. */
export function checkClassicFilter(given: ClassicProgram, options: CheckOptions = {}): FilterVerdict {
  const program = asStored(given);
  const profile = kernelProfiles[options.kernel ?? defaultKernelVersion];
  const rejection = checkClassic(program);
  if (rejection) return rejection;
  const conversion = convertClassicProgram(program, profile);
  if (conversion.fault) {
    return reject('EINVAL', 'bpf_convert_filter', conversion.fault.message, conversion.fault.index);
  }
  const chargedBytes = bpfProgSize(conversion.ebpfLength);
  const optmemMax = options.optmemMax ?? profile.optmemMax;
  const inUse = options.optionMemoryInUse ?? 0;
  if (chargedBytes > optmemMax || inUse + chargedBytes >= optmemMax) {
    const reason =
      `the converted program (${conversion.ebpfLength} eBPF instructions, ${chargedBytes} bytes) ` +
      `does not fit the socket's option memory (${inUse} bytes in use, optmem_max ${optmemMax})`;
    return reject('ENOMEM', '__sk_filter_charge', reason);
  }
  const checked = Object.freeze({
    instructions: Object.freeze(program.map((insn) => Object.freeze(insn))),
    kernel: profile.version,
  }) as CheckedProgram;
  acceptedPrograms.add(checked);
  return { accepted: true, program: checked, ebpfLength: conversion.ebpfLength, chargedBytes };
}

/** Guards the interpreter: a type cast cannot make a program that was never accepted runnable. */
export function assertChecked(program: CheckedProgram): void {
  if (!acceptedPrograms.has(program)) {
    throw new TypeError('runClassicFilter needs a program accepted by checkClassicFilter');
  }
}
