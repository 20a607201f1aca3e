// Shared builders for the classic BPF tests: programs from assembler text, and packets.
import assert from 'node:assert/strict';
import {
  checkClassicFilter,
  parseProgram,
  type CheckedProgram,
  type CheckOptions,
  type ClassicInstruction,
} from '../../../server/src/models/cbpf';

export function assemble(text: string): ClassicInstruction[] {
  return parseProgram(text, 'asm').instructions;
}

/** A program the checker must accept (the test fails otherwise, showing why). */
export function accepted(text: string, options?: CheckOptions): CheckedProgram {
  const verdict = checkClassicFilter(assemble(text), options);
  assert.ok(verdict.accepted, `expected the checker to accept:\n${text}\n${JSON.stringify(verdict)}`);
  return verdict.program;
}

export const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s/g, ''), 'hex'));

const u16 = (value: number): number[] => [value >> 8, value & 0xff];

export function ethernet(etherType: number, payload: Uint8Array, destination = 'ffffffffffff'): Uint8Array {
  return Uint8Array.from([...bytes(destination), ...bytes('001122334455'), ...u16(etherType), ...payload]);
}

/** An 802.1Q-tagged frame: the tag stays in the packet (not offloaded). */
export function vlanTagged(tci: number, etherType: number, payload: Uint8Array): Uint8Array {
  return ethernet(0x8100, Uint8Array.from([...u16(tci), ...u16(etherType), ...payload]));
}

export function ipv4(
  protocol: number,
  payload: Uint8Array,
  options: { source?: string; fragment?: number } = {},
) {
  const header = [
    0x45,
    0,
    ...u16(20 + payload.length),
    0,
    1,
    ...u16(options.fragment ?? 0),
    64,
    protocol,
    0,
    0,
  ];
  const address = (text: string) => text.split('.').map(Number);
  return Uint8Array.from([
    ...header,
    ...address(options.source ?? '192.168.0.1'),
    192,
    168,
    0,
    2,
    ...payload,
  ]);
}

export function udp(sourcePort: number, destinationPort: number, payload = new Uint8Array(0)): Uint8Array {
  return Uint8Array.from([
    ...u16(sourcePort),
    ...u16(destinationPort),
    ...u16(8 + payload.length),
    0,
    0,
    ...payload,
  ]);
}

export function tcp(flags: number): Uint8Array {
  return Uint8Array.from([
    ...u16(40000),
    ...u16(80),
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0x50,
    flags,
    ...u16(512),
    0,
    0,
    0,
    0,
  ]);
}

export const icmpEcho = (): Uint8Array => bytes('0800f7ff00000000');

export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
