// Evaluates C integer constant expressions from a kernel tree's own macros and enum constants
// (`AF_PACKET`, `ETH_P_ALL`, `MSG_TRUNC`, `(1 << 4)`), with BigInt so 64-bit masks stay exact.

export type NameLookup = (name: string) => string | undefined;

const tokenPattern =
  /\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)[uUlL]*|\s*([A-Za-z_]\w*)|\s*(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!()<>?:,])/y;

type Token =
  { kind: 'number'; value: bigint } | { kind: 'name'; text: string } | { kind: 'op'; text: string };

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  let position = 0;
  while (position < text.length) {
    if (/^\s*$/.test(text.slice(position))) break;
    tokenPattern.lastIndex = position;
    const match = tokenPattern.exec(text);
    if (!match) return undefined;
    position = tokenPattern.lastIndex;
    if (match[1] !== undefined)
      tokens.push({
        kind: 'number',
        value: BigInt(
          match[1].length > 1 && match[1].startsWith('0') && !/^0[xX]/.test(match[1])
            ? `0o${match[1].slice(1)}`
            : match[1],
        ),
      });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', text: match[2] });
    else tokens.push({ kind: 'op', text: match[3] });
  }
  return tokens;
}

const binaryPrecedence: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

/** Casts and annotations that do not change a constant's value: `(__force __be16)`, `(u32)`. */
const castWords =
  /^(?:__force|__be16|__be32|__le16|__le32|__u8|__u16|__u32|__u64|__s8|__s16|__s32|__s64|u8|u16|u32|u64|s8|s16|s32|s64|int|unsigned|long|short|char|signed|__kernel_sa_family_t|size_t|gfp_t|__poll_t)$/;

/** Function-like helpers common in uapi headers, applied to their evaluated arguments. */
const helperMacros: Record<string, (args: bigint[]) => bigint | undefined> = {
  _AC: (args) => args[0],
  _UL: (args) => args[0],
  _ULL: (args) => args[0],
  _BITUL: (args) => 1n << args[0],
  _BITULL: (args) => 1n << args[0],
  BIT: (args) => 1n << args[0],
  BIT_ULL: (args) => 1n << args[0],
  __cpu_to_be16: (args) => ((args[0] & 0xffn) << 8n) | ((args[0] >> 8n) & 0xffn),
  htons: (args) => ((args[0] & 0xffn) << 8n) | ((args[0] >> 8n) & 0xffn),
};

class Evaluator {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly evaluateName: (name: string) => bigint | undefined,
  ) {}

  run(): bigint | undefined {
    const value = this.conditional();
    return this.position === this.tokens.length ? value : undefined;
  }

  private peekOp(): string | undefined {
    const token = this.tokens[this.position];
    return token?.kind === 'op' ? token.text : undefined;
  }

  private conditional(): bigint | undefined {
    const condition = this.binary(1);
    if (this.peekOp() !== '?') return condition;
    this.position++;
    const whenTrue = this.conditional();
    if (this.peekOp() !== ':') return undefined;
    this.position++;
    const whenFalse = this.conditional();
    if (condition === undefined) return undefined;
    return condition !== 0n ? whenTrue : whenFalse;
  }

  private binary(minimum: number): bigint | undefined {
    let left = this.unary();
    for (;;) {
      const op = this.peekOp();
      const precedence = op ? binaryPrecedence[op] : undefined;
      if (!op || precedence === undefined || precedence < minimum) return left;
      this.position++;
      const right = this.binary(precedence + 1);
      if (left === undefined || right === undefined) return undefined;
      left = applyBinary(op, left, right);
    }
  }

  private unary(): bigint | undefined {
    const op = this.peekOp();
    if (op === '-' || op === '+' || op === '~' || op === '!') {
      this.position++;
      const value = this.unary();
      if (value === undefined) return undefined;
      return op === '-' ? -value : op === '+' ? value : op === '~' ? ~value : value === 0n ? 1n : 0n;
    }
    if (op === '(') return this.parenthesized();
    const token = this.tokens[this.position++];
    if (!token) return undefined;
    if (token.kind === 'number') return token.value;
    if (token.kind !== 'name') return undefined;
    const helper = helperMacros[token.text];
    if (helper && this.peekOp() === '(') {
      this.position++;
      const args: bigint[] = [];
      for (;;) {
        const argument = this.conditional();
        if (argument === undefined) return undefined;
        args.push(argument);
        if (this.peekOp() === ',') {
          this.position++;
          continue;
        }
        if (this.peekOp() !== ')') return undefined;
        this.position++;
        return helper(args);
      }
    }
    return this.evaluateName(token.text);
  }

  private parenthesized(): bigint | undefined {
    // A cast is a parenthesised list of type words followed by an operand.
    let end = this.position + 1;
    while (this.tokens[end]?.kind === 'name' && castWords.test((this.tokens[end] as { text: string }).text))
      end++;
    if (
      end > this.position + 1 &&
      this.tokens[end]?.kind === 'op' &&
      (this.tokens[end] as { text: string }).text === ')'
    ) {
      this.position = end + 1;
      return this.unary();
    }
    this.position++;
    const value = this.conditional();
    if (this.peekOp() !== ')') return undefined;
    this.position++;
    return value;
  }
}

function applyBinary(op: string, left: bigint, right: bigint): bigint | undefined {
  switch (op) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return right === 0n ? undefined : left / right;
    case '%':
      return right === 0n ? undefined : left % right;
    case '<<':
      return right < 0n || right > 128n ? undefined : left << right;
    case '>>':
      return right < 0n ? undefined : left >> right;
    case '&':
      return left & right;
    case '|':
      return left | right;
    case '^':
      return left ^ right;
    case '&&':
      return left !== 0n && right !== 0n ? 1n : 0n;
    case '||':
      return left !== 0n || right !== 0n ? 1n : 0n;
    case '==':
      return left === right ? 1n : 0n;
    case '!=':
      return left !== right ? 1n : 0n;
    case '<':
      return left < right ? 1n : 0n;
    case '>':
      return left > right ? 1n : 0n;
    case '<=':
      return left <= right ? 1n : 0n;
    case '>=':
      return left >= right ? 1n : 0n;
    default:
      return undefined;
  }
}

/**
 * Evaluates `expression`, looking names up with `lookup` (macro bodies and enum values as text).
 * Returns undefined for anything that is not an integer constant expression.
 */
export function evaluateConstantExpression(expression: string, lookup: NameLookup): bigint | undefined {
  const evaluating = new Set<string>();
  const evaluate = (text: string, depth: number): bigint | undefined => {
    const tokens = tokenize(text);
    if (!tokens || tokens.length === 0 || depth > 32) return undefined;
    return new Evaluator(tokens, (name) => {
      if (evaluating.has(name)) return undefined;
      const body = lookup(name);
      if (body === undefined) return undefined;
      evaluating.add(name);
      const value = evaluate(body, depth + 1);
      evaluating.delete(name);
      return value;
    }).run();
  };
  return evaluate(expression, 0);
}
