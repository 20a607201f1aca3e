// What the pure functions of the helper set (server/src/scenario/helpers.ts) compute on the models:
// libc's byte-order functions and inet_addr, and the classic BPF instruction macros of
// linux/filter.h. TypeScript requires one implementation per table entry of that kind.
import type { PureFunctionName } from '../scenario/helpers';
import { htons, ntohs } from '../models/skbuff';
import { asNumber, asString, int, type Value } from './scenario-values';

type PureFunction = (args: readonly Value[]) => Value;

/** A 32-bit value with its bytes reversed: host to network order on a little-endian host, and back. */
function htonl(value: number): number {
  const v = value >>> 0;
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/** inet_addr: the address in network byte order, or INADDR_NONE (all ones) when it is not a dotted quad. */
function inetAddr(text: string): number {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return 0xffffffff;
  return (parts[0] | (parts[1] << 8) | (parts[2] << 16) | (parts[3] << 24)) >>> 0;
}

const numbers = (args: readonly Value[]): number[] => args.map(asNumber);

export const pureFunctions: Readonly<Record<PureFunctionName, PureFunction>> = {
  htons: ([value]) => int(htons(asNumber(value))),
  ntohs: ([value]) => int(ntohs(asNumber(value))),
  htonl: ([value]) => int(htonl(asNumber(value))),
  ntohl: ([value]) => int(htonl(asNumber(value))),
  inet_addr: ([dotted]) => int(inetAddr(asString(dotted))),
  BPF_STMT: (args) => {
    const [code, k] = numbers(args);
    return { kind: 'insn', fields: [code & 0xffff, 0, 0, k >>> 0] };
  },
  BPF_JUMP: (args) => {
    const [code, k, jt, jf] = numbers(args);
    return { kind: 'insn', fields: [code & 0xffff, jt & 0xff, jf & 0xff, k >>> 0] };
  },
};
