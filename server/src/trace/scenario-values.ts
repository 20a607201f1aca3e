// The values a running scenario computes with, and their conversions, shared by the interpreter
// (run-scenario.ts) and the implementations of the calls it makes (pure-functions.ts,
// helper-calls.ts, system-calls.ts).
import type { Kernel } from '../models';
import { u16, u32, u64 } from '../models/user-memory';
import type { MessageBuffers } from './decode-receive';

/** A problem in the scenario: the run stops at the statement being executed, with this message. */
export class ScenarioStop extends Error {}

export interface FrameRef {
  bytes: number[];
}

export type Value =
  /** `errno`: a helper that failed as a system call does (knr_sysctl), with the errno's name. */
  | { kind: 'int'; value: number; errno?: string }
  | { kind: 'string'; value: string }
  | { kind: 'pointer'; address: number }
  | { kind: 'frame'; frame: FrameRef }
  | { kind: 'insn'; fields: number[] };

export const int = (value: number): Value => ({ kind: 'int', value });

/** What the calls of a run share: the model kernel, and what earlier helpers set up. */
export interface CallContext {
  readonly k: Kernel;
  /** The message headers knr_msghdr made, by address: recvmsg decodes into their buffers. */
  readonly messages: Map<number, MessageBuffers>;
  /** Whether knr_veth_pair chose the veth topology, which knr_send needs. */
  veth: boolean;
}

/** The largest buffer a scenario may declare or ask knr_msghdr for; more would exhaust the server's memory. */
const maxBufferBytes = 1 << 20;

/** A zero-filled buffer of `size` bytes, or a stop naming the size when it is out of range. */
export function zeroed(size: number): number[] {
  if (!Number.isInteger(size) || size < 0 || size > maxBufferBytes) {
    throw new ScenarioStop(`a buffer of ${size} bytes is out of range (0 to ${maxBufferBytes})`);
  }
  return new Array<number>(size).fill(0);
}

/** `value` as `size` little-endian bytes, as a store of that width writes it. */
export function scalarBytes(size: number, value: number): number[] {
  return size === 1 ? [value & 0xff] : size === 2 ? u16(value) : size === 4 ? u32(value >>> 0) : u64(value);
}

export function asNumber(value: Value): number {
  if (value.kind === 'int') return value.value;
  if (value.kind === 'pointer') return value.address;
  throw new ScenarioStop(`a ${value.kind} where a number is needed`);
}

/** An address; a string literal is copied into the scenario's memory first, as the compiler would place it. */
export function asPointer(k: Kernel, value: Value): number {
  if (value.kind === 'pointer') return value.address;
  if (value.kind === 'string') return k.memory.allocate([...Buffer.from(value.value, 'latin1'), 0]);
  if (value.kind === 'int' && value.value === 0) return 0;
  throw new ScenarioStop(`a ${value.kind} where an address is needed`);
}

export function asString(value: Value): string {
  if (value.kind === 'string') return value.value;
  throw new ScenarioStop(`a ${value.kind} where a string is needed`);
}

export function asFrame(value: Value): FrameRef {
  if (value.kind === 'frame') return value.frame;
  throw new ScenarioStop('a frame built by a knr_ helper is needed here');
}
