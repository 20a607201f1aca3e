// Integer expressions as C filter code writes them: `BPF_LD | BPF_H | BPF_ABS`, `SKF_AD_OFF + SKF_AD_PROTOCOL`,
// `0x800`. Names are the uapi constants of linux/filter.h and bpf_common.h, plus the EtherTypes and IP
// protocols filters usually compare with.
import { ancillaries } from './ancillary';
import * as op from './opcodes';
import { parseIntegerLiteral } from './numbers';
import { ProgramSyntaxError, type SourcePosition } from './syntax-error';

const names = new Map<string, number>([
  ...(
    [
      'LD',
      'LDX',
      'ST',
      'STX',
      'ALU',
      'JMP',
      'RET',
      'MISC',
      'W',
      'H',
      'B',
      'IMM',
      'ABS',
      'IND',
      'MEM',
      'LEN',
      'MSH',
    ] as const
  ).map((n): [string, number] => [`BPF_${n}`, op[`BPF_${n}`]]),
  ...(
    [
      'ADD',
      'SUB',
      'MUL',
      'DIV',
      'OR',
      'AND',
      'LSH',
      'RSH',
      'NEG',
      'MOD',
      'XOR',
      'JA',
      'JEQ',
      'JGT',
      'JGE',
      'JSET',
    ] as const
  ).map((n): [string, number] => [`BPF_${n}`, op[`BPF_${n}`]]),
  ['BPF_K', op.BPF_K],
  ['BPF_X', op.BPF_X],
  ['BPF_A', op.BPF_A],
  ['BPF_TAX', op.BPF_TAX],
  ['BPF_TXA', op.BPF_TXA],
  ['BPF_MEMWORDS', op.BPF_MEMWORDS],
  ['BPF_MAXINSNS', op.BPF_MAXINSNS],
  ['SKF_AD_OFF', op.SKF_AD_OFF],
  ['SKF_NET_OFF', op.SKF_NET_OFF],
  ['SKF_LL_OFF', op.SKF_LL_OFF],
  ['SKF_AD_MAX', 64],
  ...ancillaries.map((a): [string, number] => [a.constant, a.number]),
  ['ETH_P_IP', 0x0800],
  ['ETH_P_ARP', 0x0806],
  ['ETH_P_IPV6', 0x86dd],
  ['ETH_P_8021Q', 0x8100],
  ['ETH_P_8021AD', 0x88a8],
  ['IPPROTO_ICMP', 1],
  ['IPPROTO_TCP', 6],
  ['IPPROTO_UDP', 17],
  ['IPPROTO_ICMPV6', 58],
]);

const castTypes = new Set(
  [
    'unsigned',
    'signed',
    'int',
    'long',
    'short',
    'char',
    'u_int',
    'u32',
    'u16',
    'u8',
    '__u32',
    '__u16',
    '__u8',
  ].concat(['uint32_t', 'uint16_t', 'uint8_t', 'int32_t']),
);

interface Token {
  readonly text: string;
  readonly at: SourcePosition;
}

/** Evaluates `text` (which starts at `at`); C's precedence for the operators it allows: + - then |. */
export function evaluateCExpression(text: string, at: SourcePosition): number {
  const tokens: Token[] = [...text.matchAll(/[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9A-Za-z]*|\S/g)].map((m) => ({
    text: m[0],
    at: { line: at.line, column: at.column + (m.index ?? 0) },
  }));
  let next = 0;
  const fail = (problem: string, token = tokens[next]): never => {
    const where = token?.at ?? { line: at.line, column: at.column + text.length };
    throw new ProgramSyntaxError(where.line, where.column, problem);
  };
  const term = (): number => {
    const token = tokens[next++];
    if (token === undefined) return fail('expected a value', undefined);
    if (token.text === '(' && castTypes.has(tokens[next]?.text)) {
      // A cast such as (unsigned)-1 or (__u32)-4096: the value is stored into a u32 field anyway.
      while (castTypes.has(tokens[next]?.text)) next++;
      if (tokens[next++]?.text !== ')') fail("expected ')' after the cast", tokens[next - 1]);
      return term();
    }
    if (token.text === '(') {
      const value = bitwiseOr();
      if (tokens[next++]?.text !== ')') fail("expected ')'", tokens[next - 1]);
      return value;
    }
    if (token.text === '-') return -term();
    if (token.text === '~') return ~term();
    const literal = parseIntegerLiteral(token.text);
    if (literal !== undefined) return literal;
    const named = names.get(token.text);
    if (named !== undefined) return named;
    return fail(
      /^[A-Za-z_]/.test(token.text)
        ? `unknown constant '${token.text}'; write its value`
        : `'${token.text}' is not a number`,
      token,
    );
  };
  const sum = (): number => {
    let value = term();
    while (tokens[next]?.text === '+' || tokens[next]?.text === '-') {
      const sign = tokens[next++].text === '+' ? 1 : -1;
      value += sign * term();
    }
    return value;
  };
  const bitwiseOr = (): number => {
    let value = sum();
    while (tokens[next]?.text === '|') {
      next++;
      value = (value | sum()) >>> 0;
    }
    return value;
  };
  const value = bitwiseOr();
  if (next < tokens.length) fail(`unexpected '${tokens[next].text}'`);
  return value;
}
