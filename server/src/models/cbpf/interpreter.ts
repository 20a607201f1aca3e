// Runs a checked classic program the way the kernel's converted eBPF program behaves
// (bpf_convert_filter's translation of each classic instruction), one classic instruction a step.
// Long because it is one instruction set: one case per classic instruction class, in the kernel's order.
import { ancillaryAt, type Ancillary } from './ancillary';
import { assertChecked, type CheckedProgram } from './checker';
import type { FilterContext } from './context';
import { describeInstruction } from './disassembler';
import { kernelProfiles, type KernelProfile } from './kernel-profile';
import { findNestedNetlinkAttribute, findNetlinkAttribute } from './netlink-attributes';
import {
  BPF_A,
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_DIV,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MEMWORDS,
  BPF_MISC,
  BPF_MOD,
  BPF_MSH,
  BPF_MUL,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_TAX,
  BPF_X,
  BPF_XOR,
  bpfClass,
  bpfMode,
  bpfOp,
  bpfRval,
  bpfSrc,
  loadSizeBytes,
  signed32,
  type ClassicInstruction,
} from './opcodes';
import { PacketView } from './packet-view';

/** How the program ended. */
export type FilterEnd =
  | { readonly cause: 'return'; readonly pc: number }
  /** A packet load failed: the converted program returns 0. */
  | { readonly cause: 'load-failed'; readonly pc: number; readonly detail: string }
  /** Division or modulo by X = 0: the converted program returns 0. */
  | { readonly cause: 'division-by-zero'; readonly pc: number }
  /** ifindex or hatype with no skb->dev: the converted program returns A as it is. */
  | { readonly cause: 'no-device'; readonly pc: number }
  /** The model cannot compute this ancillary load; there is no result. */
  | { readonly cause: 'unsupported'; readonly pc: number; readonly detail: string };

export interface FilterStep {
  readonly pc: number;
  /** The instruction in assembler syntax (jump targets as L<index>). */
  readonly instruction: string;
  /** A and X after the instruction. */
  readonly a: number;
  readonly x: number;
  /** For a jump: the next pc, and for a conditional one whether the condition held. */
  readonly jump?: { readonly taken: boolean; readonly target: number };
  /** What the instruction read, when that is not obvious from the text (a packet offset, a field). */
  readonly note?: string;
}

export interface FilterRun {
  /** The u32 the filter returned; null only when the model could not finish (end.cause 'unsupported'). */
  readonly result: number | null;
  readonly end: FilterEnd;
  /** Every executed instruction, when the trace was asked for; otherwise empty. */
  readonly steps: FilterStep[];
}

export interface RunOptions {
  readonly trace?: boolean;
}

/** A deterministic stand-in for bpf_user_rnd_u32 (xorshift32 from a fixed seed). */
function seededRandom(): () => number {
  let state = 0x2545f491;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

type Outcome =
  | { readonly kind: 'next'; readonly note?: string }
  | { readonly kind: 'jump'; readonly target: number; readonly taken: boolean }
  | { readonly kind: 'end'; readonly end: FilterEnd; readonly result: number | null; readonly note?: string };

class Machine {
  a = 0;
  x = 0;
  readonly memory = new Uint32Array(BPF_MEMWORDS);
  private readonly random: () => number;

  constructor(
    private readonly packet: PacketView,
    private readonly context: FilterContext,
    private readonly profile: KernelProfile,
  ) {
    this.random = context.random ?? seededRandom();
  }

  private failedLoad(pc: number, detail: string): Outcome {
    return {
      kind: 'end',
      end: { cause: 'load-failed', pc, detail },
      result: 0,
      note: `${detail}: returns 0`,
    };
  }

  private ancillary(pc: number, ancillary: Ancillary): Outcome {
    const c = this.context;
    const set = (value: number, note: string): Outcome => {
      this.a = value >>> 0;
      return { kind: 'next', note };
    };
    switch (ancillary.name) {
      case 'proto':
        return set(c.protocol & 0xffff, 'skb->protocol');
      case 'type':
        return set(c.pktType & 7, 'skb->pkt_type');
      case 'ifidx':
      case 'hatype':
        if (c.device === null) {
          return {
            kind: 'end',
            end: { cause: 'no-device', pc },
            result: this.a,
            note: 'no skb->dev: returns A',
          };
        }
        return ancillary.name === 'ifidx'
          ? set(c.device.ifindex, 'skb->dev->ifindex')
          : set(c.device.hatype & 0xffff, 'skb->dev->type');
      case 'mark':
        return set(c.mark ?? 0, 'skb->mark');
      case 'queue':
        return set((c.queueMapping ?? 0) & 0xffff, 'skb->queue_mapping');
      case 'rxhash':
        return set(c.hash ?? 0, 'skb->hash');
      case 'cpu':
        return set(c.cpu ?? 0, 'the current CPU');
      case 'rand':
        return set(this.random(), 'bpf_user_rnd_u32()');
      case 'xor_x':
        return set(this.a ^ this.x, 'A ^= X');
      case 'vlan_tci':
        return set((c.vlan?.tci ?? 0) & 0xffff, 'skb->vlan_tci');
      case 'vlan_tpid':
        return set((c.vlan?.tpid ?? 0) & 0xffff, 'skb->vlan_proto');
      case 'vlan_avail':
        return set(
          this.vlanPresent(),
          this.profile.vlanPresent === 'present-bit' ? 'skb->vlan_present' : 'skb->vlan_all != 0',
        );
      case 'nla':
        return set(findNetlinkAttribute(this.packet.data, this.a, this.x), 'nla_find(data + A, type X)');
      case 'nlan':
        return set(
          findNestedNetlinkAttribute(this.packet.data, this.a, this.x, this.profile),
          'nla_find_nested(data + A, type X)',
        );
      case 'poff': {
        const detail = 'SKF_AD_PAY_OFFSET runs the flow dissector (skb_get_poff), which this model does not';
        return { kind: 'end', end: { cause: 'unsupported', pc, detail }, result: null, note: detail };
      }
    }
  }

  private vlanPresent(): number {
    const vlan = this.context.vlan;
    if (vlan === undefined) return 0;
    return this.profile.vlanPresent === 'present-bit' || vlan.tci !== 0 || vlan.tpid !== 0 ? 1 : 0;
  }

  private load(pc: number, insn: ClassicInstruction): Outcome {
    const mode = bpfMode(insn.code);
    if (mode === BPF_ABS) {
      const ancillary = ancillaryAt(insn.k);
      if (ancillary) return this.ancillary(pc, ancillary);
    }
    if (mode === BPF_ABS || mode === BPF_IND) {
      // The helper takes an `int`: X + k wraps to 32 bits.
      const offset = mode === BPF_IND ? signed32(this.x + insn.k) : signed32(insn.k);
      const loaded = this.packet.load(offset, loadSizeBytes(insn.code));
      if (!loaded.ok) return this.failedLoad(pc, loaded.reason);
      this.a = loaded.value;
      return { kind: 'next', note: `bytes at ${loaded.offset}` };
    }
    this.a = this.wordLoaded(mode, insn) ?? this.a;
    return { kind: 'next' };
  }

  private loadX(pc: number, insn: ClassicInstruction): Outcome {
    const mode = bpfMode(insn.code);
    if (mode === BPF_MSH) {
      const loaded = this.packet.load(signed32(insn.k), 1);
      if (!loaded.ok) return this.failedLoad(pc, loaded.reason);
      this.x = (loaded.value & 0xf) << 2;
      return { kind: 'next', note: `byte at ${loaded.offset}` };
    }
    this.x = this.wordLoaded(mode, insn) ?? this.x;
    return { kind: 'next' };
  }

  /** What a load of A or X that reads no packet gives: the length, an immediate or scratch memory. */
  private wordLoaded(mode: number, insn: ClassicInstruction): number | undefined {
    if (mode === BPF_LEN) return this.packet.length;
    if (mode === BPF_IMM) return insn.k;
    if (mode === BPF_MEM) return this.memory[insn.k];
    return undefined;
  }

  private alu(pc: number, insn: ClassicInstruction): Outcome {
    const operand = bpfSrc(insn.code) === BPF_X ? this.x : insn.k;
    const a = this.a;
    const op = bpfOp(insn.code);
    if ((op === BPF_DIV || op === BPF_MOD) && operand === 0) {
      return { kind: 'end', end: { cause: 'division-by-zero', pc }, result: 0, note: 'X is 0: returns 0' };
    }
    let value: number;
    switch (op) {
      case BPF_ADD:
        value = a + operand;
        break;
      case BPF_SUB:
        value = a - operand;
        break;
      case BPF_MUL:
        value = Math.imul(a, operand);
        break;
      case BPF_DIV:
        value = Math.floor(a / operand);
        break;
      case BPF_MOD:
        value = a % operand;
        break;
      case BPF_AND:
        value = a & operand;
        break;
      case BPF_OR:
        value = a | operand;
        break;
      case BPF_XOR:
        value = a ^ operand;
        break;
      // 32-bit shifts take the count modulo 32 (the interpreter masks it, x86 does in hardware).
      case BPF_LSH:
        value = a << (operand & 31);
        break;
      case BPF_RSH:
        value = a >>> (operand & 31);
        break;
      default:
        value = -a;
    }
    this.a = value >>> 0;
    return { kind: 'next' };
  }

  private jump(pc: number, insn: ClassicInstruction): Outcome {
    if (bpfOp(insn.code) === BPF_JA) return { kind: 'jump', target: pc + 1 + insn.k, taken: true };
    const operand = bpfSrc(insn.code) === BPF_X ? this.x : insn.k;
    let taken: boolean;
    switch (bpfOp(insn.code)) {
      case BPF_JEQ:
        taken = this.a === operand;
        break;
      case BPF_JGT:
        taken = this.a > operand;
        break;
      case BPF_JGE:
        taken = this.a >= operand;
        break;
      default:
        taken = (this.a & operand) !== 0;
    }
    return { kind: 'jump', target: pc + 1 + (taken ? insn.jt : insn.jf), taken };
  }

  execute(pc: number, insn: ClassicInstruction): Outcome {
    switch (bpfClass(insn.code)) {
      case BPF_LD:
        return this.load(pc, insn);
      case BPF_LDX:
        return this.loadX(pc, insn);
      case BPF_ST:
        this.memory[insn.k] = this.a;
        return { kind: 'next' };
      case BPF_STX:
        this.memory[insn.k] = this.x;
        return { kind: 'next' };
      case BPF_ALU:
        return this.alu(pc, insn);
      case BPF_JMP:
        return this.jump(pc, insn);
      case BPF_RET: {
        const result = bpfRval(insn.code) === BPF_A ? this.a : insn.k;
        return { kind: 'end', end: { cause: 'return', pc }, result };
      }
      case BPF_MISC:
        if (insn.code === (BPF_MISC | BPF_TAX)) this.x = this.a;
        else this.a = this.x;
        return { kind: 'next' };
    }
    throw new Error(`unreachable: opcode 0x${insn.code.toString(16)} passed the checker`);
  }
}

/**
 * Runs an accepted program on a packet. `packet` starts where skb->data does: the MAC header for a
 * packet socket, the IP header for a raw IPv4 socket. Always terminates: every jump is forward.
 */
export function runClassicFilter(
  program: CheckedProgram,
  packet: Uint8Array,
  context: FilterContext,
  options: RunOptions = {},
): FilterRun {
  assertChecked(program);
  const machine = new Machine(new PacketView(packet, context), context, kernelProfiles[program.kernel]);
  const steps: FilterStep[] = [];
  const instructions = program.instructions;
  let pc = 0;
  for (;;) {
    const insn = instructions[pc];
    const outcome = machine.execute(pc, insn);
    if (options.trace) {
      steps.push({
        pc,
        instruction: describeInstruction(insn, pc, instructions.length),
        a: machine.a,
        x: machine.x,
        ...(outcome.kind === 'jump' ? { jump: { taken: outcome.taken, target: outcome.target } } : {}),
        ...(outcome.kind !== 'jump' && outcome.note ? { note: outcome.note } : {}),
      });
    }
    if (outcome.kind === 'end') return { result: outcome.result, end: outcome.end, steps };
    pc = outcome.kind === 'jump' ? outcome.target : pc + 1;
  }
}
