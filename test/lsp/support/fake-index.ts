// A small hand-written IndexQueries for the LSP layer's own tests: the test states what the index
// answers, so a failure points at the server, not at extraction or linking.
import {
  emptyFileFacts,
  type FileFacts,
  type FunctionFact,
  type Span,
  type StructFact,
} from '../../../server/src/index/facts';
import type {
  CallEdge,
  CallTarget,
  IndexQueries,
  Installation,
  SymbolLocation,
  TableSummary,
} from '../../../server/src/index/queries';

export function span(line: number, column: number, length: number): Span {
  return { line, column, endLine: line, endColumn: column + length };
}

export class FakeIndex implements IndexQueries {
  readonly version = '6.1.0';
  readonly generation = 0;
  readonly byFile = new Map<string, FileFacts>();
  readonly symbols: SymbolLocation[] = [];
  readonly calls: { file: string; target: CallTarget }[] = [];
  readonly installations: Installation[] = [];
  readonly edges: CallEdge[] = [];
  readonly tables: TableSummary[] = [];
  readonly macros = new Map<string, string>();
  /** Names whose lookup throws, to exercise the request guard. */
  readonly failing = new Set<string>();

  constructor(readonly root: string) {}

  file(file: string): FileFacts {
    let facts = this.byFile.get(file);
    if (!facts) this.byFile.set(file, (facts = emptyFileFacts(file)));
    return facts;
  }

  addFunction(file: string, fact: FunctionFact): void {
    this.file(file).functions.push(fact);
    this.symbols.push({
      kind: 'function',
      name: fact.name,
      file,
      span: fact.nameSpan,
      detail: fact.signature,
    });
  }

  files(): readonly string[] {
    return [...this.byFile.keys()];
  }
  facts(file: string): FileFacts | undefined {
    return this.byFile.get(file);
  }
  definitions(name: string, fromFile?: string): SymbolLocation[] {
    if (this.failing.has(name)) throw new Error(`fake index failure on ${name}`);
    const all = this.symbols.filter((symbol) => symbol.name === name);
    const local = all.filter((symbol) => symbol.file === fromFile);
    return local.length > 0 ? local : all;
  }
  functionAt(file: string, line: number): FunctionFact | undefined {
    return this.byFile.get(file)?.functions.find((fn) => fn.span.line <= line && line <= fn.span.endLine);
  }
  struct(name: string): { fact: StructFact; file: string } | undefined {
    for (const [file, facts] of this.byFile) {
      const fact = facts.structs.find((struct) => struct.name === name);
      if (fact) return { fact, file };
    }
    return undefined;
  }
  implementations(struct: string, field: string): Installation[] {
    return this.installations.filter((i) => i.struct === struct && i.field === field);
  }
  installationsOf(fn: string): Installation[] {
    return this.installations.filter((i) => i.function === fn);
  }
  tablesOfStruct(struct: string): TableSummary[] {
    return this.tables.filter((table) => table.struct === struct);
  }
  table(name: string, fromFile?: string): TableSummary | undefined {
    const all = this.tables.filter((table) => table.name === name);
    return all.find((table) => table.location.file === fromFile) ?? all[0];
  }
  callAt(file: string, line: number, column: number): CallTarget | undefined {
    return this.calls.find(
      ({ file: f, target }) =>
        f === file &&
        target.span.line === line &&
        target.span.column <= column &&
        column < target.span.endColumn,
    )?.target;
  }
  setPreferredArch(): void {}

  callers(fn: string): CallEdge[] {
    return this.edges.filter((edge) => edge.callee === fn);
  }
  callees(fn: string): CallEdge[] {
    return this.edges.filter((edge) => edge.caller === fn);
  }
  macroValue(name: string): string | undefined {
    return this.macros.get(name);
  }
  evaluateConstant(expression: string): number | undefined {
    const value = this.macros.get(expression);
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  }
  searchSymbols(query: string, limit: number): SymbolLocation[] {
    return this.symbols.filter((symbol) => symbol.name.includes(query)).slice(0, limit);
  }
}
