// The one queryable index of a kernel tree: the facts of every file (index-stores.ts), linked at
// query time. Each kind of question has its own part, and this class only hands questions to them:
//   name-lookup.ts    what a name means where it is written (definitions, direct calls, constants)
//   type-links.ts     what struct an expression's type path ends at
//   installations.ts  what each struct field is given (tables, bindings, copies), and the tables
//   call-graph.ts     the call at a position, callers, callees
//   symbol-search.ts  workspace symbol search
import { CallGraph } from './call-graph';
import type { FileFacts, FunctionFact, StructFact } from './facts';
import { IndexStores } from './index-stores';
import { Installations } from './installations';
import { NameLookup } from './name-lookup';
import type {
  CallEdge,
  CallTarget,
  IndexQueries,
  Installation,
  SymbolLocation,
  TableSummary,
} from './queries';
import type { FactStore } from './store/fact-store';
import { SymbolSearch } from './symbol-search';
import { TableSummaries } from './table-summaries';
import { TypeLinks } from './type-links';

export class KernelIndex implements IndexQueries {
  private readonly stores = new IndexStores();
  private readonly names = new NameLookup(this.stores);
  private readonly links = new TypeLinks(this.stores, this.names);
  private readonly installations = new Installations(this.stores, this.names, this.links);
  private readonly tables = new TableSummaries(this.stores, this.names, this.links);
  private readonly calls = new CallGraph(this.stores, this.names, this.links, this.installations);
  private readonly symbols = new SymbolSearch(this.stores, this.names);

  constructor(
    readonly root: string,
    readonly version: string,
  ) {}

  // ---- maintenance -------------------------------------------------------------------------

  /** The store the indexer fills and saves. */
  get baseStore(): FactStore {
    return this.stores.baseStore;
  }

  replaceBase(store: FactStore): void {
    this.stores.replaceBase(store);
  }

  appendToBase(batch: FactStore): void {
    this.stores.appendToBase(batch);
  }

  removeFromBase(file: string): void {
    this.stores.removeFromBase(file);
  }

  setFile(facts: FileFacts): void {
    this.stores.setFile(facts);
  }

  removeFile(file: string): void {
    this.stores.removeFile(file);
  }

  get generation(): number {
    return this.stores.generation;
  }

  setPreferredArch(arch: string): void {
    this.stores.setPreferredArch(arch);
  }

  get preferredArch(): string {
    return this.stores.preferredArch;
  }

  // ---- queries -----------------------------------------------------------------------------

  files(): readonly string[] {
    return this.stores.files();
  }

  facts(file: string): FileFacts | undefined {
    return this.stores.facts(file);
  }

  definitions(name: string, fromFile?: string): SymbolLocation[] {
    return this.names.definitions(name, fromFile);
  }

  functionAt(file: string, line: number): FunctionFact | undefined {
    return this.names.functionAt(file, line);
  }

  struct(name: string, fromFile?: string): { fact: StructFact; file: string } | undefined {
    return this.names.struct(name, fromFile);
  }

  macroValue(name: string): string | undefined {
    return this.names.macroValue(name);
  }

  evaluateConstant(expression: string): number | undefined {
    return this.names.evaluateConstant(expression);
  }

  implementations(struct: string, field: string): Installation[] {
    return this.installations.implementations(struct, field);
  }

  installationsOf(fn: string): Installation[] {
    return this.installations.installationsOf(fn);
  }

  tablesOfStruct(struct: string): TableSummary[] {
    return this.tables.tablesOfStruct(struct);
  }

  table(name: string, fromFile?: string): TableSummary | undefined {
    return this.tables.table(name, fromFile);
  }

  callAt(file: string, line: number, column: number): CallTarget | undefined {
    return this.calls.callAt(file, line, column);
  }

  callers(fn: string, options: { indirectOnly?: boolean; fromFile?: string } = {}): CallEdge[] {
    return this.calls.callers(fn, options);
  }

  callees(fn: string, fromFile?: string): CallEdge[] {
    return this.calls.callees(fn, fromFile);
  }

  searchSymbols(query: string, limit: number): SymbolLocation[] {
    return this.symbols.search(query, limit);
  }
}
