// The hand-judged navigation sample (test/nav-sample/<series>.json): reading and checking the file,
// and finding each position by text (a short snippet of the source and the identifier in it), never
// by line number, so a point release that moves code does not move the sample. Pure: no IO.

/** A position in the tree: the `occurrence`-th match of `snippet` in `file`, on `identifier` in it. */
export interface TextPosition {
  file: string;
  /** A few tokens around the identifier; any run of white space matches any other. */
  snippet: string;
  identifier: string;
  /** 1-based; 1 when absent. */
  occurrence: number;
}

export interface StructAtCallSite {
  at: TextPosition;
  /** The struct type whose function-pointer field the call goes through. */
  struct: string;
}

export interface JudgedSet {
  /** `STRUCT.FIELD` for impls, a function name for callers and callees. */
  query: string;
  expected: string[];
}

export interface NavSample {
  structAtCallSite: StructAtCallSite[];
  impls: JudgedSet[];
  callers: JudgedSet[];
  callees: JudgedSet[];
}

/** 1-based line and column, as `knr` takes them. */
export interface LineColumn {
  line: number;
  column: number;
}

export class SampleError extends Error {}

function field(record: Record<string, unknown>, name: string, where: string): unknown {
  if (!(name in record)) throw new SampleError(`${where}: missing "${name}"`);
  return record[name];
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new SampleError(`${where}: expected a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SampleError(`${where}: expected an object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new SampleError(`${where}: expected an array`);
  return value;
}

function textPosition(value: unknown, where: string): TextPosition {
  const record = object(value, where);
  const occurrence = record.occurrence ?? 1;
  if (typeof occurrence !== 'number' || !Number.isInteger(occurrence) || occurrence < 1)
    throw new SampleError(
      `${where}.occurrence: expected a positive integer, got ${JSON.stringify(occurrence)}`,
    );
  const position = {
    file: text(field(record, 'file', where), `${where}.file`),
    snippet: text(field(record, 'snippet', where), `${where}.snippet`),
    identifier: text(field(record, 'identifier', where), `${where}.identifier`),
    occurrence,
  };
  if (!new RegExp(`\\b${position.identifier}\\b`).test(position.snippet))
    throw new SampleError(`${where}: identifier '${position.identifier}' is not a word of its snippet`);
  return position;
}

function judgedSets(value: unknown, where: string, queryKey: string, setKey: string): JudgedSet[] {
  return list(value, where).map((item, i) => {
    const record = object(item, `${where}[${i}]`);
    return {
      query: text(field(record, queryKey, `${where}[${i}]`), `${where}[${i}].${queryKey}`),
      expected: list(field(record, setKey, `${where}[${i}]`), `${where}[${i}].${setKey}`).map((entry, j) =>
        text(entry, `${where}[${i}].${setKey}[${j}]`),
      ),
    };
  });
}

/** Parses and checks a sample file's JSON text; `source` names it in errors. */
export function parseNavSample(json: string, source: string): NavSample {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new SampleError(`${source}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const root = object(raw, source);
  return {
    structAtCallSite: list(field(root, 'structAtCallSite', source), `${source}.structAtCallSite`).map(
      (item, i) => {
        const where = `${source}.structAtCallSite[${i}]`;
        const record = object(item, where);
        return {
          at: textPosition(field(record, 'at', where), `${where}.at`),
          struct: text(field(record, 'struct', where), `${where}.struct`),
        };
      },
    ),
    impls: judgedSets(field(root, 'impls', source), `${source}.impls`, 'field', 'functions'),
    callers: judgedSets(field(root, 'callers', source), `${source}.callers`, 'function', 'callers'),
    callees: judgedSets(field(root, 'callees', source), `${source}.callees`, 'function', 'callees'),
  };
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Where `position` is in `source` (the text of its file): the start of its identifier inside the
 * `occurrence`-th match of its snippet, or undefined when the file has fewer matches.
 */
export function locate(source: string, position: TextPosition): LineColumn | undefined {
  const pattern = new RegExp(position.snippet.trim().split(/\s+/).map(escapeRegExp).join('\\s+'), 'g');
  let match: RegExpExecArray | null = null;
  for (let seen = 0; seen < position.occurrence; seen++) {
    match = pattern.exec(source);
    if (!match) return undefined;
  }
  if (!match) return undefined;
  const word = new RegExp(`\\b${escapeRegExp(position.identifier)}\\b`).exec(match[0]);
  if (!word) return undefined;
  const offset = match.index + word.index;
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const line = source.slice(0, offset).split('\n').length;
  return { line, column: offset - lineStart + 1 };
}
