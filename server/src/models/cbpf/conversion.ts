// What bpf_migrate_filter needs from a classic program that bpf_check_classic already accepted:
// the length of the eBPF program bpf_convert_filter makes (x86-64: unaligned loads are fine,
// little-endian bitfields), and whether every classic jump still fits eBPF's signed 16-bit offset.
// The kernel does not count anything here ahead of time; it converts, and fails with EINVAL when a
// jump does not fit. The length also decides the ENOMEM of __sk_filter_charge.
import { ancillaryAt } from './ancillary';
import type { KernelProfile } from './kernel-profile';
import {
  BPF_ABS,
  BPF_ALU,
  BPF_B,
  BPF_DIV,
  BPF_IND,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_MOD,
  BPF_MSH,
  BPF_RET,
  BPF_X,
  bpfClass,
  bpfMode,
  bpfOp,
  bpfSize,
  bpfSrc,
  isConditionalJump,
  signed32,
  type ClassicInstruction,
  type ClassicProgram,
} from './opcodes';

/** Instructions emitted before the first classic one: A = 0, X = 0, CTX saved. */
const PROLOGUE = 3;
/** Extra prologue when the program reads packet bytes: skb->data and the head length cached. */
const PACKET_PROLOGUE = 4;
const S16_MIN = -32768;
const S16_MAX = 32767;

export interface ConversionFault {
  /** Index of the classic jump whose eBPF offset does not fit. */
  readonly index: number;
  readonly message: string;
}

export interface Conversion {
  /** fp->len after bpf_migrate_filter: what sk_filter_charge is charged for. */
  readonly ebpfLength: number;
  readonly fault?: ConversionFault;
}

/** A classic jump after conversion: the eBPF jump sits `slot` instructions into the expansion. */
interface EmittedJump {
  readonly slot: number;
  readonly target: number;
}

/** Instructions convert_bpf_ld_abs emits for a packet load (fast path plus helper call). */
function packetLoadLength(code: number, k: number): number {
  const indirect = bpfMode(code) === BPF_IND;
  const helperCall = indirect ? 8 + (k !== 0 ? 1 : 0) : 8;
  const offset = signed32(k);
  if (indirect || offset < 0) return helperCall;
  const byteSwap = bpfSize(code) === BPF_B ? 0 : 1;
  const farOffset = offset > S16_MAX ? 2 : 0;
  const fastPath = 1 + (offset !== 0 ? 1 : 0) + 1 + 1 + farOffset + byteSwap + 1;
  return fastPath + helperCall;
}

function ancillaryLength(k: number, profile: KernelProfile): number | undefined {
  const ancillary = ancillaryAt(k);
  if (ancillary === undefined) return undefined;
  if (ancillary.name === 'vlan_avail') return profile.vlanPresent === 'present-bit' ? 2 : 3;
  return ancillary.ebpfLength;
}

function conditionalJumps(insn: ClassicInstruction, index: number): { length: number; jumps: EmittedJump[] } {
  const widenedImmediate = bpfSrc(insn.code) === BPF_K && signed32(insn.k) < 0 ? 1 : 0;
  const slot = widenedImmediate;
  const trueTarget = index + insn.jt + 1;
  const falseTarget = index + insn.jf + 1;
  if (insn.jf === 0) return { length: slot + 1, jumps: [{ slot, target: trueTarget }] };
  const op = bpfOp(insn.code);
  if (insn.jt === 0 && (op === BPF_JEQ || op === BPF_JGT || op === BPF_JGE)) {
    return { length: slot + 1, jumps: [{ slot, target: falseTarget }] };
  }
  return {
    length: slot + 2,
    jumps: [
      { slot, target: trueTarget },
      { slot: slot + 1, target: falseTarget },
    ],
  };
}

interface Expansion {
  readonly length: number;
  readonly jumps: readonly EmittedJump[];
  readonly readsPacket: boolean;
}

function expand(insn: ClassicInstruction, index: number, profile: KernelProfile): Expansion {
  const { code, k } = insn;
  const cls = bpfClass(code);
  if (cls === BPF_LD && (bpfMode(code) === BPF_ABS || bpfMode(code) === BPF_IND)) {
    const ancillary = bpfMode(code) === BPF_ABS ? ancillaryLength(k, profile) : undefined;
    if (ancillary !== undefined) return { length: ancillary, jumps: [], readsPacket: false };
    return { length: packetLoadLength(code, k), jumps: [], readsPacket: true };
  }
  if (cls === BPF_LDX && bpfMode(code) === BPF_MSH) {
    return { length: 1 + packetLoadLength(BPF_LD | BPF_ABS | BPF_B, k) + 5, jumps: [], readsPacket: true };
  }
  if (cls === BPF_ALU && bpfSrc(code) === BPF_X && (bpfOp(code) === BPF_DIV || bpfOp(code) === BPF_MOD)) {
    return { length: 5, jumps: [], readsPacket: false };
  }
  if (cls === BPF_JMP && bpfOp(code) === BPF_JA) {
    return { length: 1, jumps: [{ slot: 0, target: index + k + 1 }], readsPacket: false };
  }
  if (isConditionalJump(code)) return { ...conditionalJumps(insn, index), readsPacket: false };
  if (cls === BPF_RET) return { length: (code & 0x18) === BPF_K ? 2 : 1, jumps: [], readsPacket: false };
  return { length: 1, jumps: [], readsPacket: false };
}

/**
 * Mirrors the two passes of bpf_convert_filter over an accepted program. In the first pass the
 * forward targets' positions are still zero, so a jump placed beyond eBPF index 32767 fails even
 * when its real offset is small; the second pass checks the real offsets.
 */
export function convertClassicProgram(program: ClassicProgram, profile: KernelProfile): Conversion {
  const expansions = program.map((insn, index) => expand(insn, index, profile));
  const readsPacket = expansions.some((e) => e.readsPacket);
  const starts: number[] = [];
  let position = PROLOGUE + (readsPacket ? PACKET_PROLOGUE : 0);
  for (const expansion of expansions) {
    starts.push(position);
    position += expansion.length;
  }
  const ebpfLength = position;
  for (let index = 0; index < program.length; index++) {
    for (const jump of expansions[index].jumps) {
      const firstPassOffset = -starts[index] - 1 - jump.slot;
      const offset = starts[jump.target] - starts[index] - 1 - jump.slot;
      if (firstPassOffset < S16_MIN || offset > S16_MAX) {
        const message =
          `jump at instruction ${index} lands at eBPF instruction ${starts[index] + jump.slot} after ` +
          `conversion; bpf_convert_filter needs every jump to fit a signed 16-bit offset ` +
          `(first pass ${firstPassOffset}, real offset ${offset})`;
        return { ebpfLength, fault: { index, message } };
      }
    }
  }
  return { ebpfLength };
}
