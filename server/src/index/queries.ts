// The query API over a linked kernel index, in editor-free terms. The language server, the CLI and
// the models all use this interface; KernelIndex implements it. Lines and columns are 0-based.
import type { Evidence, FileFacts, FunctionFact, Span, StructFact } from './facts';

export type SymbolKind =
  | 'function'
  | 'struct'
  | 'field'
  | 'typedef'
  | 'enum'
  | 'enum-constant'
  | 'macro'
  | 'variable'
  /** A parameter or local variable, found by parsing its function (`container`) when asked. */
  | 'local'
  | 'table';

export interface SymbolLocation {
  kind: SymbolKind;
  name: string;
  /** Path relative to the kernel root. */
  file: string;
  /** The span of the symbol's name. */
  span: Span;
  /** The whole definition, where the index knows it: a function with its body, a struct with its fields. */
  extent?: Span;
  /** For a field, its struct; for a table slot, the table. */
  container?: string;
  /** A one-line description: signature, type, macro value. */
  detail: string;
}

/**
 * What puts a function in a field: a slot of a table's initialiser (`packet_ops`, with the element
 * index for arrays of tables such as `inetsw_array[2]`), or a run-time assignment (a binding) in the
 * body of `assignedIn`.
 */
export type InstallationSource =
  { kind: 'slot'; table: string; element?: number } | { kind: 'binding'; assignedIn: string };

/** The name of what installs: the slot's table, or the function that assigns the field. */
export function installerName(source: InstallationSource): string {
  return source.kind === 'slot' ? source.table : source.assignedIn;
}

/** `installerName` with the element of an array of tables: `inetsw_array[2]`. */
export function installerLabel(source: InstallationSource): string {
  if (source.kind === 'binding' || source.element === undefined) return installerName(source);
  return `${source.table}[${source.element}]`;
}

/** A function installed in a field: by a table's initialiser or a run-time assignment. */
export interface Installation {
  function: string;
  /** Where the function is defined (undefined when the tree has no definition, e.g. a macro). */
  functionLocation?: SymbolLocation;
  struct: string;
  field: string;
  /** What installs it: a table's slot, or an assignment in a function's body. */
  source: InstallationSource;
  evidence: Evidence;
  /** Where the slot or assignment is written. */
  file: string;
  span: Span;
  /**
   * Set when the field gets the function by a run-time copy from another field
   * (`sch->dequeue = ops->dequeue` in `qdisc_alloc`): that field, and where the copy is written.
   */
  copiedFrom?: { struct: string; field: string; function: string; file: string; span: Span };
}

interface CallSite {
  /** The call site. */
  file: string;
  span: Span;
  caller: string;
  /** Direct call: the callee's name. Indirect: the field. */
  callee: string;
  via?: string;
}

/** A call through a field: the functions installed in it. */
export interface IndirectCallTarget extends CallSite {
  indirect: true;
  /** The resolved struct type of the receiver, if known. */
  struct?: string;
  candidates: Installation[];
}

/** A direct call: the definitions of the callee (functions, function-like macros). */
export interface DirectCallTarget extends CallSite {
  indirect: false;
  /** A direct call has no receiver. */
  struct?: undefined;
  candidates: SymbolLocation[];
}

export type CallTarget = IndirectCallTarget | DirectCallTarget;

export interface CallEdge {
  /** The function the edge starts from (the caller) and where it is defined. */
  caller: string;
  callerLocation?: SymbolLocation;
  /** The function reached. */
  callee: string;
  calleeLocation?: SymbolLocation;
  /** The call site. */
  file: string;
  span: Span;
  /**
   * For an edge through an ops table: the hop, with every installer of the callee in the field (its
   * tables, or for a binding the function that assigns it: `installerName`).
   */
  hop?: { struct: string; field: string; tables: string[]; evidence: Evidence };
  /** For an edge of a function passed as an argument (evidence `argument`): the function it is passed to. */
  passedTo?: string;
  evidence: Evidence | 'direct' | 'argument';
}

export interface TableSummary {
  name: string;
  struct: string;
  location: SymbolLocation;
  /** Filled fields: field path -> value (with & for addresses). */
  slots: { field: string; value: string; element?: number; span: Span; recovered: boolean }[];
  /** Where the table is assigned, registered or otherwise referenced. */
  uses: { kind: 'assignment' | 'registration'; function: string; file: string; span: Span; detail: string }[];
}

export interface IndexQueries {
  /** Absolute path of the kernel root. */
  readonly root: string;
  /** `6.1.158`-style version from the top-level Makefile. */
  readonly version: string;
  /**
   * Changes whenever an answer may change (files indexed, edited or removed; the architecture set).
   * Caches derived from the index key on it (`PerGeneration` in derived-cache.ts).
   */
  readonly generation: number;

  files(): readonly string[];
  facts(file: string): FileFacts | undefined;

  /** Definitions of `name`; symbols static to `fromFile` win over others of the same name. */
  definitions(name: string, fromFile?: string): SymbolLocation[];
  /** The function whose body contains the position. */
  functionAt(file: string, line: number): FunctionFact | undefined;
  /** The struct `name` as `fromFile` sees it (ranked as definitions are). */
  struct(name: string, fromFile?: string): { fact: StructFact; file: string } | undefined;

  /** Every function installed in `struct.field`, strongest evidence first. */
  implementations(struct: string, field: string): Installation[];
  /** Every slot and binding that installs `fn`, and the fields copied from those. */
  installationsOf(fn: string): Installation[];
  /** The tables of a struct type. */
  tablesOfStruct(struct: string): TableSummary[];
  table(name: string, fromFile?: string): TableSummary | undefined;

  /** The call whose callee name covers the position (`recvmsg` in `sock->ops->recvmsg(...)`). */
  callAt(file: string, line: number, column: number): CallTarget | undefined;
  /**
   * Direct and indirect call sites of `fn`, and the calls `fn` is passed to as an argument;
   * `indirectOnly` leaves out the direct ones (hover needs only those). Of several definitions of the
   * name, those of the one `fromFile` sees (by default the best ranked): a call counts when its file
   * sees that one.
   */
  callers(fn: string, options?: { indirectOnly?: boolean; fromFile?: string }): CallEdge[];
  callees(fn: string, fromFile?: string): CallEdge[];

  /** The replacement text of an object-like macro or an enum constant's initialiser. */
  macroValue(name: string): string | undefined;
  /** Evaluates an integer constant expression made of macros, enum constants, literals, operators. */
  evaluateConstant(expression: string): number | undefined;

  /** The architecture whose `arch/<a>/` definitions rank with the generic code (default x86). */
  setPreferredArch(arch: string): void;

  /** Fuzzy search over every symbol name, best first. */
  searchSymbols(query: string, limit: number): SymbolLocation[];
}
