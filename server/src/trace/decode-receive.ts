// Reads what a successful receive left in the scenario's memory and turns it into the result fields
// of the contract: bytes, data, and for recvmsg msg_flags, the source address and control messages.
import type { Kernel } from '../models';
import { ipv4At } from '../models/route';
import { readU16, readU32, readU64 } from '../models/user-memory';
import {
  msgFlagNames,
  tpStatusNames,
  type ControlMessage,
  type SourceAddress,
  type StatementResult,
} from '../scenario/result';

export interface MessageBuffers {
  header: number;
  data: number;
  dataLen: number;
  control: number;
  name: number;
}

export const hex = (bytes: readonly number[]): string =>
  bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** Names of the bits set in `value` among `names` (values from the tree), ascending; other bits as 0x... */
export function bitNames(k: Kernel, value: number, names: readonly string[]): string[] {
  // A name the tree does not define (TP_STATUS_GSO_TCP before 6.12) cannot be set by that kernel.
  const known = names
    .map((name) => ({ name, bit: k.lookupConstant(name) }))
    .filter((entry): entry is { name: string; bit: number } => entry.bit !== undefined)
    .sort((a, b) => a.bit - b.bit);
  const found: string[] = [];
  let rest = value >>> 0;
  for (const { name, bit } of known) {
    if (bit !== 0 && (rest & bit) === bit) {
      found.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  for (let bit = 1; rest !== 0 && bit !== 0; bit = (bit << 1) >>> 0) {
    if (rest & bit) {
      found.push(`0x${bit.toString(16)}`);
      rest = (rest & ~bit) >>> 0;
    }
  }
  return found;
}

const pktTypeNames = [
  'PACKET_HOST',
  'PACKET_BROADCAST',
  'PACKET_MULTICAST',
  'PACKET_OTHERHOST',
  'PACKET_OUTGOING',
];

export function decodeSource(k: Kernel, bytes: readonly number[], length: number): SourceAddress {
  const family = readU16(bytes, 0);
  if (family === k.c.AF_PACKET && length >= 12) {
    const halen = bytes[11];
    const pkttype = pktTypeNames.find((name) => k.constant(name) === bytes[10]) ?? String(bytes[10]);
    return {
      family: 'AF_PACKET',
      protocol: (bytes[2] << 8) | bytes[3],
      ifindex: readU32(bytes, 4) | 0,
      hatype: readU16(bytes, 8),
      pkttype,
      address: bytes
        .slice(12, 12 + Math.min(halen, 8, length - 12))
        .map((b) => b.toString(16).padStart(2, '0'))
        .join(':'),
    };
  }
  if (family === k.c.AF_INET && length >= 16) {
    return { family: 'AF_INET', address: ipv4At(bytes, 4), port: (bytes[2] << 8) | bytes[3] };
  }
  return { family: String(family), length };
}

/** The levels a producer names (the live harness's level_name); any other as its number. */
const controlLevelNames = ['SOL_SOCKET', 'SOL_IP', 'SOL_PACKET'] as const;

function levelName(k: Kernel, level: number): string {
  return controlLevelNames.find((name) => k.lookupConstant(name) === level) ?? String(level);
}

function decodeControl(k: Kernel, bytes: readonly number[]): ControlMessage[] {
  const messages: ControlMessage[] = [];
  for (let at = 0; at + 16 <= bytes.length;) {
    const length = readU64(bytes, at);
    if (length < 16 || at + length > bytes.length) break;
    const level = readU32(bytes, at + 8);
    const type = readU32(bytes, at + 12);
    const data = bytes.slice(at + 16, at + length);
    if (level === k.c.SOL_PACKET && type === k.c.PACKET_AUXDATA && data.length >= 20) {
      const status = readU32(data, 0);
      messages.push({
        level: 'SOL_PACKET',
        type: 'PACKET_AUXDATA',
        auxdata: {
          tp_status: status,
          tp_status_names: bitNames(k, status, tpStatusNames),
          tp_len: readU32(data, 4),
          tp_snaplen: readU32(data, 8),
          tp_mac: readU16(data, 12),
          tp_net: readU16(data, 14),
          tp_vlan_tci: readU16(data, 16),
          tp_vlan_tpid: readU16(data, 18),
        },
      });
    } else {
      messages.push({ level: levelName(k, level), type: String(type), data: hex(data) });
    }
    at += Math.ceil(length / 8) * 8;
  }
  return messages;
}

export function decodeReceive(
  k: Kernel,
  ret: number,
  buffer: { buffer: number; length: number },
  message?: MessageBuffers,
): Partial<StatementResult> {
  const bytes = Math.min(ret, buffer.length);
  const fields: Partial<StatementResult> = { bytes, data: hex(k.memory.read(buffer.buffer, bytes) ?? []) };
  if (!message) return fields;
  const header = k.memory.read(message.header, 56)!;
  const namelen = readU32(header, 8);
  const controllen = readU64(header, 40);
  fields.msgFlags = bitNames(k, readU32(header, 48), msgFlagNames);
  if (namelen > 0)
    fields.source = decodeSource(k, k.memory.read(message.name, Math.min(namelen, 128))!, namelen);
  fields.control = decodeControl(k, k.memory.read(message.control, controllen) ?? []);
  return fields;
}
