// Links the facts of every file into one queryable index. The facts live in two FactStores: the
// base (a whole tree: built by the indexer, saved and loaded as flat arrays) and a small overlay for
// files replaced one at a time (open documents, watched files), which hides the base's version of
// the same file. Facts are decoded only for what a query returns.
import { evaluateConstantExpression } from './constant-expression';
import {
  evidenceStrength,
  type ArgumentFact,
  type BindingFact,
  type CallFact,
  type CopyFact,
  type EnumConstantFact,
  type EnumFact,
  type FileFacts,
  type FunctionFact,
  type FunctionMacroFact,
  type MacroFact,
  type RegistrationFact,
  type SlotFact,
  type Span,
  type StructFact,
  type TableFact,
  type TypedefFact,
  type TypePath,
  type VariableFact,
} from './facts';
import {
  acrossKernelBoundary,
  defaultArch,
  isHeader,
  isVisibleFrom,
  rankDefinitions,
  type RankedEntry,
} from './definition-rank';
import type {
  CallEdge,
  CallTarget,
  IndexQueries,
  Installation,
  SymbolLocation,
  TableSummary,
} from './queries';
import type { FactKind, TableName } from './store/fact-schema';
import { FactStore } from './store/fact-store';

interface Located<T> {
  file: string;
  fact: T;
}

/** An overlay with more dead rows than this (and than live ones) is rebuilt, so edits do not pile up. */
const overlayGarbageRows = 50_000;
/** Recently decoded files kept whole: requests cluster on the open documents. */
const decodedFilesKept = 16;

const lineSpan = (line: number, column: number, length: number): Span => ({
  line,
  column,
  endLine: line,
  endColumn: column + length,
});

const sameLocation = (symbol: SymbolLocation, entry: Located<FunctionFact>): boolean =>
  symbol.file === entry.file && symbol.span.line === entry.fact.nameSpan.line;

const sameDefinition = (a: Located<FunctionFact>, b: Located<FunctionFact>): boolean =>
  a.file === b.file && a.fact.nameSpan.line === b.fact.nameSpan.line;

const linkage = (entry: Located<FunctionFact>): RankedEntry => ({
  file: entry.file,
  isStatic: entry.fact.isStatic,
  linkable: true,
});

/** The struct tag a function's signature returns a pointer to: `struct packet_sock *pkt_sk(...)`. */
function returnTypeTag(fact: FunctionFact): string | undefined {
  const head = fact.signature.slice(0, fact.signature.indexOf(fact.name + '('));
  return /\b(?:struct|union)\s+(\w+)\s*\*/.exec(head)?.[1] ?? /(\w+)\s*\*\s*$/.exec(head)?.[1];
}

export class KernelIndex implements IndexQueries {
  private base = new FactStore();
  private overlay = new FactStore();
  private readonly decodedFiles = new Map<string, FileFacts>();
  // Answers derived from many rows, asked again and again while linking; cleared on any change.
  private readonly structCache = new Map<string, Located<StructFact>[]>();
  private readonly canonicalTags = new Map<string, string | undefined>();
  private readonly installable = new Map<string, boolean>();
  private readonly resolvedPaths = new Map<string, string | undefined>();
  private readonly tagsNamingCache = new Map<string, string[]>();
  private sortedNames: string[] | undefined;
  /** The architecture whose `arch/<a>/` definitions rank with the generic code; see definition-rank.ts. */
  private arch = defaultArch;
  private changes = 0;

  constructor(
    readonly root: string,
    readonly version: string,
  ) {}

  // ---- maintenance -------------------------------------------------------------------------

  /** The store the indexer fills and saves. */
  get baseStore(): FactStore {
    return this.base;
  }

  /**
   * Starts from a loaded store; files already replaced in the overlay keep their overlay version. The
   * base keeps (and saves) its own version of those files, hidden from lookups.
   */
  replaceBase(store: FactStore): void {
    for (const file of this.overlay.files()) store.hide(file);
    this.base = store;
    this.changed();
  }

  /** Adds a batch of files indexed by a worker to the base. */
  appendToBase(batch: FactStore): void {
    this.base.appendStore(batch);
    for (const file of this.overlay.files()) this.base.hide(file);
    this.changed();
  }

  /** Removes a file from the base only (it vanished from the tree while the base was saved). */
  removeFromBase(file: string): void {
    this.base.remove(file);
    this.changed(file);
  }

  /** Adds or replaces the facts of one file. */
  setFile(facts: FileFacts): void {
    this.base.hide(facts.file);
    this.overlay.append({ file: facts.file, mtimeMs: 0, size: 0, facts });
    if (this.overlay.deadShare() > 0.5 && this.overlay.rowCount('calls') > overlayGarbageRows) {
      this.overlay = this.overlay.compact();
    }
    this.changed(facts.file);
  }

  removeFile(file: string): void {
    this.base.remove(file);
    this.overlay.remove(file);
    this.changed(file);
  }

  get generation(): number {
    return this.changes;
  }

  private changed(file?: string): void {
    this.changes++;
    if (file === undefined) this.decodedFiles.clear();
    else this.decodedFiles.delete(file);
    this.structCache.clear();
    this.canonicalTags.clear();
    this.installable.clear();
    this.resolvedPaths.clear();
    this.tagsNamingCache.clear();
    this.sortedNames = undefined;
  }

  /** Ranks `arch/<arch>/` definitions with the generic code, the other architectures' after it. */
  setPreferredArch(arch: string): void {
    if (arch === this.arch) return;
    this.arch = arch;
    this.changed();
  }

  get preferredArch(): string {
    return this.arch;
  }

  /**
   * Entries best first for `fromFile` (definition-rank.ts). `isStatic` is given for what the linker
   * sees (functions, variables); the rest (macros, types) belongs to its file unless in a header.
   */
  private ranked<T>(
    entries: readonly Located<T>[],
    fromFile: string | undefined,
    isStatic?: (fact: T) => boolean,
  ): Located<T>[] {
    const wrapped = entries.map((located) => ({
      file: located.file,
      isStatic: isStatic ? isStatic(located.fact) : false,
      linkable: isStatic !== undefined,
      located,
    }));
    return rankDefinitions(wrapped, fromFile, this.arch).map((w) => w.located);
  }

  private stores(): FactStore[] {
    return [this.base, this.overlay];
  }

  /** The store and slot that hold a file's current facts. */
  private locate(file: string): { store: FactStore; slot: number } | undefined {
    for (const store of [this.overlay, this.base]) {
      const slot = store.slotOf(file);
      if (slot !== undefined) return { store, slot };
    }
    return undefined;
  }

  /**
   * The slots that set a field named `field`. With `struct`, a slot of a table of another struct
   * type is skipped before it is decoded (a common field such as `release` is set in thousands of
   * tables); slots of nested fields (`ops.recvmsg`) are kept for the caller to resolve.
   */
  private slotsOfField(field: string, struct?: string): Located<SlotFact>[] {
    const found: Located<SlotFact>[] = [];
    for (const store of this.stores()) {
      const matches = new Map<number, boolean>();
      for (const row of store.rowsNamed('slots', 'fieldName', field)) {
        if (struct !== undefined && store.string('slots', row, 'field') === field) {
          const tag = store.int('slots', row, 'struct');
          let match = matches.get(tag);
          if (match === undefined) {
            match = this.canonicalTag(store.pool.get(tag)) === struct;
            matches.set(tag, match);
          }
          if (!match) continue;
        }
        found.push({
          file: store.path(store.slotOfRow('slots', row)),
          fact: store.decode<SlotFact>('slots', row),
        });
      }
    }
    return found;
  }

  /** Every fact of `table` whose indexed `key` is `name`, with its file. */
  private lookup<T>(table: TableName, key: string, name: string): Located<T>[] {
    const found: Located<T>[] = [];
    for (const store of this.stores()) {
      for (const row of store.rowsNamed(table, key, name)) {
        found.push({ file: store.path(store.slotOfRow(table, row)), fact: store.decode<T>(table, row) });
      }
    }
    return found;
  }

  private has(table: TableName, key: string, name: string): boolean {
    return this.stores().some((store) => store.hasNamed(table, key, name));
  }

  /** The facts of one kind in one file, decoded. */
  private factsOf<T>(file: string, kind: FactKind): T[] {
    const place = this.locate(file);
    if (!place) return [];
    const [start, end] = place.store.rows(place.slot, kind);
    const list: T[] = [];
    for (let row = start; row < end; row++) list.push(place.store.decode<T>(kind, row));
    return list;
  }

  private structsNamed(name: string): Located<StructFact>[] {
    let cached = this.structCache.get(name);
    if (!cached) {
      cached = this.lookup<StructFact>('structs', 'name', name);
      this.structCache.set(name, cached);
    }
    return cached;
  }

  // ---- basic lookups -----------------------------------------------------------------------

  files(): readonly string[] {
    const files = new Set<string>();
    for (const store of this.stores()) {
      for (const file of store.files()) if (store.hasFacts(store.slotOf(file)!)) files.add(file);
    }
    return [...files];
  }

  facts(file: string): FileFacts | undefined {
    const cached = this.decodedFiles.get(file);
    if (cached) return cached;
    const place = this.locate(file);
    if (!place || !place.store.hasFacts(place.slot)) return undefined;
    const facts = place.store.facts(place.slot);
    if (this.decodedFiles.size >= decodedFilesKept)
      this.decodedFiles.delete(this.decodedFiles.keys().next().value!);
    this.decodedFiles.set(file, facts);
    return facts;
  }

  private functionLocation(entry: Located<FunctionFact>): SymbolLocation {
    return {
      kind: 'function',
      name: entry.fact.name,
      file: entry.file,
      span: entry.fact.nameSpan,
      extent: entry.fact.span,
      detail: entry.fact.signature,
    };
  }

  /**
   * Function definitions of `name` as `fromFile` sees them, best first: its own, else the visible
   * ones (non-static, or in a header it includes); only when none is visible, the others.
   */
  private functionDefinitions(name: string, fromFile?: string): Located<FunctionFact>[] {
    const all = this.lookup<FunctionFact>('functions', 'name', name);
    const bodies = all.filter((entry) => entry.fact.isDefinition);
    const local = bodies.filter((entry) => entry.file === fromFile);
    if (local.length > 0) return local;
    const ranked = this.ranked(bodies.length > 0 ? bodies : all, fromFile, (f) => f.isStatic);
    const visible = ranked.filter((entry) => isVisibleFrom(linkage(entry), fromFile));
    return visible.length > 0 ? visible : ranked;
  }

  private functionMacroLocation(entry: Located<FunctionMacroFact>): SymbolLocation {
    return {
      kind: 'macro',
      name: entry.fact.name,
      file: entry.file,
      span: entry.fact.nameSpan,
      detail: functionMacroSummary(entry.fact),
    };
  }

  /**
   * What a call `name(...)` in `fromFile` may reach: functions and function-like macros. As the
   * preprocessor decides: the file's own definitions first, then the macros of headers on the asking
   * file's side of the kernel boundary (included, a macro expands every call of its name), then the
   * functions, then the other macros.
   */
  private callableDefinitions(name: string, fromFile?: string): SymbolLocation[] {
    const macros = this.ranked(this.lookup<FunctionMacroFact>('functionMacros', 'name', name), fromFile);
    const functions = this.functionDefinitions(name, fromFile);
    if (macros.length === 0) return functions.map((e) => this.functionLocation(e));
    const own = (entry: Located<unknown>) => entry.file === fromFile;
    const included = (entry: Located<unknown>) =>
      !own(entry) && isHeader(entry.file) && !acrossKernelBoundary(entry.file, fromFile);
    return [
      ...macros.filter(own).map((e) => this.functionMacroLocation(e)),
      ...functions.filter(own).map((e) => this.functionLocation(e)),
      ...macros.filter(included).map((e) => this.functionMacroLocation(e)),
      ...functions.filter((e) => !own(e)).map((e) => this.functionLocation(e)),
      ...macros.filter((e) => !own(e) && !included(e)).map((e) => this.functionMacroLocation(e)),
    ];
  }

  /** What a direct call `name(...)` in `file` reaches, best first: kernel definitions before a selftest's. */
  private directCallTargets(name: string, file: string): SymbolLocation[] {
    const callable = this.callableDefinitions(name, file);
    const across = (symbol: SymbolLocation) => acrossKernelBoundary(symbol.file, file);
    return [...callable.filter((symbol) => !across(symbol)), ...callable.filter(across)];
  }

  definitions(name: string, fromFile?: string): SymbolLocation[] {
    const found: (RankedEntry & { symbol: SymbolLocation })[] = [];
    const add = (
      entry: { file: string; isStatic?: boolean; isDeclarationOnly?: boolean },
      symbol: Omit<SymbolLocation, 'name' | 'file'>,
    ) =>
      found.push({
        file: entry.file,
        isStatic: entry.isStatic ?? false,
        linkable: entry.isStatic !== undefined,
        isDeclarationOnly: entry.isDeclarationOnly,
        symbol: { name, file: entry.file, ...symbol },
      });
    for (const e of this.functionDefinitions(name, fromFile)) {
      const isDeclarationOnly = !e.fact.isDefinition;
      add({ file: e.file, isStatic: e.fact.isStatic, isDeclarationOnly }, this.functionLocation(e));
    }
    for (const e of this.lookup<FunctionMacroFact>('functionMacros', 'name', name))
      add(e, { kind: 'macro', span: e.fact.nameSpan, detail: functionMacroSummary(e.fact) });
    for (const e of this.structsNamed(name)) {
      const detail = `${e.fact.kind} ${name}`;
      add(e, { kind: 'struct', span: e.fact.nameSpan, extent: e.fact.span, detail });
    }
    for (const e of this.lookup<TypedefFact>('typedefs', 'name', name))
      add(e, { kind: 'typedef', span: e.fact.nameSpan, detail: `typedef ${e.fact.type} ${name}` });
    for (const e of this.lookup<EnumFact>('enums', 'name', name))
      add(e, { kind: 'enum', span: e.fact.nameSpan, extent: e.fact.span, detail: `enum ${name}` });
    for (const e of this.lookup<MacroFact>('macros', 'name', name))
      add(e, { kind: 'macro', span: e.fact.nameSpan, detail: `#define ${name} ${e.fact.value}` });
    const constants = this.lookup<EnumConstantFact>('enumConstants', 'name', name);
    if (constants.length > 0) {
      const value = this.evaluateConstant(name);
      for (const e of constants) {
        const detail = `${name} = ${value ?? e.fact.valueText ?? '?'}`;
        add(e, { kind: 'enum-constant', span: e.fact.nameSpan, detail, container: e.fact.enumName });
      }
    }
    const variables = this.lookup<VariableFact>('variables', 'name', name);
    const ownStatic = variables.filter((e) => e.file === fromFile && e.fact.isStatic);
    const candidates =
      ownStatic.length > 0
        ? ownStatic
        : variables.filter((e) =>
            isVisibleFrom({ file: e.file, isStatic: e.fact.isStatic, linkable: true }, fromFile),
          );
    const defined = candidates.filter((e) => !e.fact.isDeclarationOnly);
    const tableFiles = new Set(this.lookup<TableFact>('tables', 'name', name).map((t) => t.file));
    for (const e of defined.length > 0 ? defined : candidates) {
      add(
        { file: e.file, isStatic: e.fact.isStatic },
        {
          kind: tableFiles.has(e.file) ? 'table' : 'variable',
          span: e.fact.nameSpan,
          detail: `${e.fact.type} ${name}`,
        },
      );
    }
    // One ranking across kinds: kernel code asking finds the kernel's `NULL` macro before a
    // selftest's function of the same name; a tie keeps the kinds in the order above.
    return rankDefinitions(found, fromFile, this.arch).map((entry) => entry.symbol);
  }

  functionAt(file: string, line: number): FunctionFact | undefined {
    return this.factsOf<FunctionFact>(file, 'functions').find(
      (f) => f.isDefinition && f.span.line <= line && line <= f.span.endLine,
    );
  }

  struct(name: string, fromFile?: string): { fact: StructFact; file: string } | undefined {
    const entry = this.ranked(this.structsNamed(name), fromFile)[0];
    return entry ? { fact: entry.fact, file: entry.file } : undefined;
  }

  /** Follows typedefs to a struct tag: `sk_buff_data_t` stays, `socket_lock_t` becomes its struct. */
  private canonicalTag(tag: string | undefined): string | undefined {
    if (tag === undefined) return undefined;
    if (this.canonicalTags.has(tag)) return this.canonicalTags.get(tag);
    let current: string | undefined = tag;
    for (let hops = 0; current && hops < 8; hops++) {
      if (this.has('structs', 'name', current)) break;
      const next: string | undefined = this.lookup<TypedefFact>('typedefs', 'name', current)[0]?.fact.typeTag;
      if (!next || next === current) break;
      current = next;
    }
    this.canonicalTags.set(tag, current);
    return current;
  }

  /** The struct tag an expression's type path ends at, or undefined when a step is unknown. */
  resolveTypePath(path: TypePath, fromFile: string): string | undefined {
    const key = `${path.root ?? ''}|${path.global ?? ''}|${path.returnedBy ?? ''}|${path.fields.join('.')}|${fromFile}`;
    if (this.resolvedPaths.has(key)) return this.resolvedPaths.get(key);
    const tag = this.walkTypePath(path, fromFile);
    this.resolvedPaths.set(key, tag);
    return tag;
  }

  private walkTypePath(path: TypePath, fromFile: string): string | undefined {
    let tag = path.root;
    if (!tag && path.global) {
      const variables = this.lookup<VariableFact>('variables', 'name', path.global);
      const variable = this.ranked(variables, fromFile, (v) => v.isStatic)[0];
      tag = variable?.fact.typeTag;
    }
    if (!tag && path.returnedBy) {
      const fn =
        this.functionDefinitions(path.returnedBy, fromFile)[0] ??
        this.ranked(
          this.lookup<FunctionFact>('functions', 'name', path.returnedBy),
          fromFile,
          (f) => f.isStatic,
        )[0];
      tag = fn ? returnTypeTag(fn.fact) : undefined;
    }
    tag = this.canonicalTag(tag);
    for (const fieldName of path.fields) {
      if (!tag) return undefined;
      tag = this.fieldTypeTag(tag, fieldName, fromFile);
    }
    return tag;
  }

  /**
   * The struct tag of `tag.fieldName`. A name the struct lacks may be a member alias macro, as
   * struct sock's `#define sk_prot __sk_common.skc_prot`: its path is walked instead.
   */
  private fieldTypeTag(tag: string, fieldName: string, fromFile: string, depth = 0): string | undefined {
    const field = this.struct(tag, fromFile)?.fact.fields.find((f) => f.name === fieldName);
    if (field) return this.canonicalTag(field.typeTag);
    const alias = this.macroValue(fieldName);
    if (depth > 2 || !alias || !/^\w+(\.\w+)*$/.test(alias)) return undefined;
    let current: string | undefined = tag;
    for (const segment of alias.split('.')) {
      if (!current) return undefined;
      current = this.fieldTypeTag(current, segment, fromFile, depth + 1);
    }
    return current;
  }

  /** The struct and last field a slot's (possibly nested) field path lands in. */
  private slotTarget(slot: SlotFact, file: string): { struct: string; field: string } | undefined {
    const parts = slot.field.split('.');
    const field = parts.pop()!;
    const struct = this.resolveTypePath({ root: slot.struct, fields: parts }, file);
    return struct ? { struct, field } : undefined;
  }

  // ---- installations -----------------------------------------------------------------------

  private slotInstallation(entry: Located<SlotFact>): Installation | undefined {
    const target = this.slotTarget(entry.fact, entry.file);
    if (!target) return undefined;
    const fn = this.functionDefinitions(entry.fact.value, entry.file)[0];
    return {
      function: entry.fact.value,
      functionLocation: fn ? this.functionLocation(fn) : undefined,
      struct: target.struct,
      field: target.field,
      table: entry.fact.table,
      element: entry.fact.element,
      evidence: 'initializer',
      file: entry.file,
      span: entry.fact.span,
    };
  }

  private bindingInstallation(entry: Located<BindingFact>): Installation | undefined {
    const struct = this.resolveTypePath(entry.fact.target, entry.file);
    if (!struct) return undefined;
    const fn = this.functionDefinitions(entry.fact.value, entry.file)[0];
    return {
      function: entry.fact.value,
      functionLocation: fn ? this.functionLocation(fn) : undefined,
      struct,
      field: entry.fact.field,
      table: entry.fact.function,
      evidence: 'assignment',
      file: entry.file,
      span: entry.fact.span,
    };
  }

  /** Whether a slot or binding value names something worth listing as an implementation. */
  private isInstallable(value: string): boolean {
    let answer = this.installable.get(value);
    if (answer === undefined) {
      answer = this.has('functions', 'name', value) || this.has('tables', 'name', value);
      this.installable.set(value, answer);
    }
    return answer;
  }

  implementations(struct: string, field: string): Installation[] {
    return sortInstallations(withoutRepeats(this.installationsIn(struct, field, new Set())));
  }

  /**
   * What `struct.field` is given: by slots and bindings, and, through each copy into it
   * (`sch->dequeue = ops->dequeue`), whatever the field it is copied from is given. `seen` stops
   * copies that go round.
   */
  private installationsIn(struct: string, field: string, seen: Set<string>): Installation[] {
    const key = `${struct}.${field}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const found: Installation[] = [];
    for (const entry of this.slotsOfField(field, struct)) {
      if (!this.isInstallable(entry.fact.value)) continue;
      const installation = this.slotInstallation(entry);
      if (installation?.struct === struct && installation.field === field) found.push(installation);
    }
    for (const entry of this.lookup<BindingFact>('bindings', 'field', field)) {
      if (this.resolveTypePath(entry.fact.target, entry.file) !== struct) continue;
      if (!this.isInstallable(entry.fact.value)) continue;
      const installation = this.bindingInstallation(entry);
      if (installation) found.push(installation);
    }
    for (const copy of this.lookup<CopyFact>('copies', 'field', field)) {
      if (this.resolveTypePath(copy.fact.target, copy.file) !== struct) continue;
      const from = this.resolveTypePath(copy.fact.source, copy.file);
      if (!from) continue;
      for (const installation of this.installationsIn(from, copy.fact.sourceField, seen))
        found.push(copiedInstallation(installation, copy, struct));
    }
    return found;
  }

  installationsOf(fn: string): Installation[] {
    // A name the tree knows only as data (a global `int`, an enum constant) installs nothing.
    if (!this.isInstallable(fn) && this.isData(fn)) return [];
    const found: Installation[] = [];
    for (const entry of this.lookup<SlotFact>('slots', 'value', fn)) {
      const installation = this.slotInstallation(entry);
      if (installation) found.push(installation);
    }
    for (const entry of this.lookup<BindingFact>('bindings', 'value', fn)) {
      const installation = this.bindingInstallation(entry);
      if (installation) found.push(installation);
    }
    // Each field the function is in passes it on to the fields copied from that one.
    const seen = new Set(found.map((installation) => `${installation.struct}.${installation.field}`));
    for (let next = 0; next < found.length; next++) {
      const installation = found[next];
      for (const copy of this.lookup<CopyFact>('copies', 'sourceField', installation.field)) {
        if (this.resolveTypePath(copy.fact.source, copy.file) !== installation.struct) continue;
        const struct = this.resolveTypePath(copy.fact.target, copy.file);
        if (!struct || seen.has(`${struct}.${copy.fact.field}`)) continue;
        seen.add(`${struct}.${copy.fact.field}`);
        found.push(copiedInstallation(installation, copy, struct));
      }
    }
    return sortInstallations(withoutRepeats(found));
  }

  /** Whether the tree has `name` as a variable or an enum constant. */
  private isData(name: string): boolean {
    return this.has('variables', 'name', name) || this.has('enumConstants', 'name', name);
  }

  private tableSummary(
    entry: Located<{ name: string; struct: string; nameSpan: Span; isStatic: boolean }>,
  ): TableSummary {
    const { name, struct } = entry.fact;
    const variable = this.lookup<VariableFact>('variables', 'name', name).find((v) => v.file === entry.file);
    const uses: TableSummary['uses'] = [];
    for (const b of this.lookup<BindingFact>('bindings', 'value', name)) {
      const target = this.resolveTypePath(b.fact.target, b.file);
      uses.push({
        kind: 'assignment',
        function: b.fact.function,
        file: b.file,
        span: b.fact.span,
        detail: `${target ?? '?'}.${b.fact.field} = ${b.fact.addressOf ? '&' : ''}${name}`,
      });
    }
    for (const r of this.lookup<RegistrationFact>('registrations', 'value', name)) {
      uses.push({
        kind: 'registration',
        function: r.fact.function,
        file: r.file,
        span: r.fact.span,
        detail: `${r.fact.registrar}(${name})`,
      });
    }
    return {
      name,
      struct,
      location: {
        kind: 'table',
        name,
        file: entry.file,
        span: entry.fact.nameSpan,
        detail: `${variable?.fact.type ?? `struct ${struct}`} ${name}`,
      },
      slots: this.lookup<SlotFact>('slots', 'table', name)
        .filter((s) => s.file === entry.file)
        .map((s) => ({
          field: s.fact.field,
          value: (s.fact.addressOf ? '&' : '') + s.fact.value,
          element: s.fact.element,
          span: s.fact.span,
          recovered: s.fact.recovered,
        })),
      uses,
    };
  }

  tablesOfStruct(struct: string): TableSummary[] {
    const found: TableSummary[] = [];
    for (const tag of this.tagsNaming(struct)) {
      for (const store of this.stores()) {
        for (const row of store.rowsNamed('tables', 'struct', tag)) {
          const file = store.path(store.slotOfRow('tables', row));
          found.push(this.tableSummary({ file, fact: store.decode<TableFact>('tables', row) }));
        }
      }
    }
    return found;
  }

  /** `struct` and the typedef names that lead to it (`socket_lock_t`), as tables may name either. */
  private tagsNaming(struct: string): string[] {
    const known = this.tagsNamingCache.get(struct);
    if (known) return known;
    const tags = [struct];
    this.tagsNamingCache.set(struct, tags);
    for (const store of this.stores()) {
      store.forEachName('typedefs', 'name', (name) => {
        if (name !== struct && !tags.includes(name) && this.canonicalTag(name) === struct) tags.push(name);
      });
    }
    return tags;
  }

  table(name: string, fromFile?: string): TableSummary | undefined {
    const entries = this.lookup<TableFact>('tables', 'name', name);
    const entry = this.ranked(entries, fromFile, (t) => t.isStatic)[0];
    return entry ? this.tableSummary(entry) : undefined;
  }

  // ---- calls -------------------------------------------------------------------------------

  /** Implementations of an indirect call; when the receiver type is unknown, every table that sets a field of that name. */
  private candidatesOf(call: CallFact, file: string): { struct?: string; candidates: Installation[] } {
    const struct = this.resolveTypePath(call.receiver!, file);
    if (struct) {
      const candidates = this.implementations(struct, call.callee);
      const named = this.namedTableOf(call.receiver!, file, call.callee);
      return { struct, candidates: named ? candidates.filter(named.holds) : candidates };
    }
    const byName: Installation[] = [];
    for (const entry of this.lookup<SlotFact>('slots', 'fieldName', call.callee)) {
      if (!this.has('functions', 'name', entry.fact.value)) continue;
      const installation = this.slotInstallation(entry);
      if (installation) byName.push({ ...installation, evidence: 'name-only' });
    }
    return { candidates: sortInstallations(byName) };
  }

  /**
   * For a call through a named table that sets the field (`tcp_prot.recvmsg(...)`), which
   * installations are that table's: the call reaches its slot, not every table of its type.
   */
  private namedTableOf(
    receiver: TypePath,
    file: string,
    field: string,
  ): { holds: (installation: Installation) => boolean } | undefined {
    const name = receiver.global;
    if (name === undefined || receiver.fields.length > 0) return undefined;
    const slots = this.lookup<SlotFact>('slots', 'table', name).filter((slot) => slot.fact.field === field);
    if (slots.length === 0) return undefined;
    const own = slots.filter((slot) => slot.file === file);
    const files = new Set((own.length > 0 ? own : slots).map((slot) => slot.file));
    return {
      holds: (installation) =>
        installation.table === name && installation.copiedFrom === undefined && files.has(installation.file),
    };
  }

  /** The calls of a file for which `keep(store, row)` holds, decoded. */
  private callsOf(file: string, keep: (store: FactStore, row: number) => boolean): CallFact[] {
    const place = this.locate(file);
    if (!place) return [];
    const [start, end] = place.store.rows(place.slot, 'calls');
    const found: CallFact[] = [];
    for (let row = start; row < end; row++) {
      if (keep(place.store, row)) found.push(place.store.decode<CallFact>('calls', row));
    }
    return found;
  }

  callAt(file: string, line: number, column: number): CallTarget | undefined {
    const call = this.callsOf(file, (store, row) => {
      if (store.int('calls', row, 'line') !== line) return false;
      const start = store.int('calls', row, 'column');
      return start <= column && column <= start + store.string('calls', row, 'callee')!.length;
    })[0];
    if (!call) return undefined;
    const span = lineSpan(call.line, call.column, call.callee.length);
    if (call.receiver) {
      const { struct, candidates } = this.candidatesOf(call, file);
      return {
        file,
        span,
        caller: call.caller,
        callee: call.callee,
        struct,
        candidates,
        indirect: true,
        via: call.via,
      };
    }
    // Kernel definitions before a selftest's or a boot wrapper's: `max(a, b)` in net/ is the macro.
    const candidates = this.directCallTargets(call.callee, file);
    return {
      file,
      span,
      caller: call.caller,
      callee: call.callee,
      candidates,
      indirect: false,
      via: call.via,
    };
  }

  /** The definition of `caller` in `file`: only that file's rows of the name are decoded (`probe` has hundreds). */
  private callerLocation(caller: string, file: string): SymbolLocation | undefined {
    const place = this.locate(file);
    if (!place) return undefined;
    const { store, slot } = place;
    for (const row of store.rowsNamed('functions', 'name', caller)) {
      if (store.slotOfRow('functions', row) !== slot || store.int('functions', row, 'isDefinition') !== 1)
        continue;
      return this.functionLocation({ file, fact: store.decode<FunctionFact>('functions', row) });
    }
    return undefined;
  }

  /**
   * Whether a call of `fn` in a file means `chosen`: the calling file sees it first. Without a
   * definition with a body (a macro, an assembler function) every call counts.
   */
  private callsMean(fn: string, chosen: Located<FunctionFact> | undefined): (file: string) => boolean {
    if (!chosen?.fact.isDefinition) return () => true;
    const answers = new Map<string, boolean>();
    return (file) => {
      let answer = answers.get(file);
      if (answer === undefined) {
        const seen = this.functionDefinitions(fn, file)[0];
        answer = seen !== undefined && isVisibleFrom(linkage(seen), file) && sameDefinition(seen, chosen);
        answers.set(file, answer);
      }
      return answer;
    };
  }

  callers(fn: string, options: { indirectOnly?: boolean; fromFile?: string } = {}): CallEdge[] {
    const chosen = this.functionDefinitions(fn, options.fromFile)[0];
    const calleeLocation = chosen ? this.functionLocation(chosen) : undefined;
    const callsMeanChosen = this.callsMean(fn, chosen);
    const edges: CallEdge[] = [];
    // Callers repeat (a function calls kfree many times): each is looked up once.
    const callerLocations = new Map<string, SymbolLocation | undefined>();
    const callerLocation = (caller: string, file: string) => {
      const key = `${file}\0${caller}`;
      if (!callerLocations.has(key)) callerLocations.set(key, this.callerLocation(caller, file));
      return callerLocations.get(key);
    };
    const edgeAt = (file: string, fact: CallFact) => ({
      caller: fact.caller,
      callerLocation: callerLocation(fact.caller, file),
      callee: fn,
      calleeLocation,
      file,
      span: lineSpan(fact.line, fact.column, fact.callee.length),
    });
    if (!options.indirectOnly) {
      this.forEachCall(fn, false, (file, fact) => {
        if (!callsMeanChosen(file)) return;
        edges.push({ ...edgeAt(file, fact), evidence: 'direct' });
      });
    }
    // One edge per call site; a function installed in several tables of the same field names them all.
    const bySite = new Map<string, CallEdge>();
    // A namesake's installations are not this function's.
    const installations = this.installationsOf(fn).filter(
      (i) => !chosen?.fact.isDefinition || !i.functionLocation || sameLocation(i.functionLocation, chosen),
    );
    for (const field of new Set(installations.map((i) => i.field))) {
      this.forEachCall(field, true, (file, fact) => {
        const struct = this.resolveTypePath(fact.receiver!, file);
        const named = struct ? this.namedTableOf(fact.receiver!, file, field) : undefined;
        for (const installation of installations) {
          if (installation.field !== field || struct !== installation.struct) continue;
          if (named && !named.holds(installation)) continue;
          const key = `${struct}.${field}@${file}:${fact.line}:${fact.column}`;
          const existing = bySite.get(key);
          if (existing?.hop) {
            if (!existing.hop.table.split(', ').includes(installation.table))
              existing.hop.table += `, ${installation.table}`;
            continue;
          }
          bySite.set(key, {
            ...edgeAt(file, fact),
            hop: { struct, field, table: installation.table, evidence: installation.evidence },
            evidence: 'type-matched-call',
          });
        }
      });
    }
    edges.push(...bySite.values());
    if (this.has('functions', 'name', fn)) {
      for (const { file, fact } of this.lookup<ArgumentFact>('arguments', 'name', fn)) {
        if (!callsMeanChosen(file)) continue;
        edges.push({
          caller: fact.function,
          callerLocation: callerLocation(fact.function, file),
          callee: fn,
          calleeLocation,
          file,
          span: lineSpan(fact.line, fact.column, fn.length),
          passedTo: fact.passedTo,
          evidence: 'argument',
        });
      }
    }
    return edges;
  }

  callees(fn: string, fromFile?: string): CallEdge[] {
    const definition = this.functionDefinitions(fn, fromFile)[0];
    if (!definition) return [];
    const callerLocation = this.functionLocation(definition);
    const edges: CallEdge[] = [];
    for (const call of this.callsOf(
      definition.file,
      (store, row) => store.string('calls', row, 'caller') === fn,
    )) {
      const span = lineSpan(call.line, call.column, call.callee.length);
      if (!call.receiver) {
        // A function or a function-like macro: `min(a, b)` is a callee as much as `kfree(p)`.
        const target = this.directCallTargets(call.callee, definition.file)[0];
        if (!target) continue;
        edges.push({
          caller: fn,
          callerLocation,
          callee: call.callee,
          calleeLocation: target,
          file: definition.file,
          span,
          evidence: 'direct',
        });
        continue;
      }
      const { struct, candidates } = this.candidatesOf(call, definition.file);
      for (const candidate of candidates) {
        edges.push({
          caller: fn,
          callerLocation,
          callee: candidate.function,
          calleeLocation: candidate.functionLocation,
          file: definition.file,
          span,
          hop: {
            struct: struct ?? candidate.struct,
            field: call.callee,
            table: candidate.table,
            evidence: candidate.evidence,
          },
          evidence: struct ? 'type-matched-call' : 'name-only',
        });
      }
    }
    for (const argument of this.factsOf<ArgumentFact>(definition.file, 'arguments')) {
      if (argument.function !== fn) continue;
      const target = this.functionDefinitions(argument.name, definition.file).find(
        (e) => e.fact.isDefinition,
      );
      if (!target) continue;
      edges.push({
        caller: fn,
        callerLocation,
        callee: argument.name,
        calleeLocation: this.functionLocation(target),
        file: definition.file,
        span: lineSpan(argument.line, argument.column, argument.name.length),
        passedTo: argument.passedTo,
        evidence: 'argument',
      });
    }
    return edges;
  }

  /** Visits every call site in the tree whose callee is `callee`, direct or through a field. */
  private forEachCall(
    callee: string,
    indirect: boolean,
    visit: (file: string, call: CallFact) => void,
  ): void {
    for (const store of this.stores()) {
      for (const row of store.rowsNamed('calls', 'callee', callee)) {
        if (store.int('calls', row, 'receiver') >= 0 !== indirect) continue;
        visit(store.path(store.slotOfRow('calls', row)), store.decode<CallFact>('calls', row));
      }
    }
  }

  /** Every name a workspace symbol search can find, sorted. */
  private symbolNames(): string[] {
    const names = new Set<string>();
    for (const store of this.stores()) {
      for (const table of [
        'functions',
        'structs',
        'tables',
        'macros',
        'functionMacros',
        'typedefs',
        'enums',
      ] as const) {
        store.forEachName(table, 'name', (name) => names.add(name));
      }
    }
    return [...names].sort();
  }

  // ---- constants ---------------------------------------------------------------------------

  macroValue(name: string): string | undefined {
    const macro = this.ranked(this.lookup<MacroFact>('macros', 'name', name), undefined)[0];
    if (macro) return macro.fact.value;
    const constants = this.lookup<EnumConstantFact>('enumConstants', 'name', name);
    const constant = this.ranked(constants, undefined)[0];
    if (!constant) return undefined;
    if (constant.fact.valueText !== undefined) return constant.fact.valueText;
    return this.implicitEnumValue(constant);
  }

  /** An enum constant without initialiser is its predecessor plus one (or 0 when first). */
  private implicitEnumValue(constant: Located<EnumConstantFact>): string {
    if (constant.fact.index === 0) return '0';
    const siblings = this.factsOf<EnumConstantFact>(constant.file, 'enumConstants');
    const at = siblings.findIndex(
      (sibling) =>
        sibling.name === constant.fact.name && sibling.nameSpan.line === constant.fact.nameSpan.line,
    );
    const previous = siblings[at - 1];
    return previous ? `(${previous.name}) + 1` : String(constant.fact.index);
  }

  evaluateConstant(expression: string): number | undefined {
    const value = evaluateConstantExpression(expression, (name) => this.macroValue(name));
    return value === undefined ? undefined : Number(value);
  }

  // ---- search ------------------------------------------------------------------------------

  searchSymbols(query: string, limit: number): SymbolLocation[] {
    this.sortedNames ??= this.symbolNames();
    const needle = query.toLowerCase();
    const scored: { name: string; score: number }[] = [];
    for (const name of this.sortedNames) {
      const score = fuzzyScore(name, needle);
      if (score > 0) scored.push({ name, score });
    }
    scored.sort((a, b) => b.score - a.score || a.name.length - b.name.length || (a.name < b.name ? -1 : 1));
    const results: SymbolLocation[] = [];
    for (const { name } of scored) {
      for (const location of this.definitions(name)) {
        results.push(location);
        if (results.length >= limit) return results;
      }
    }
    return results;
  }
}

/** `installation`, as the field a copy fills from its field. */
function copiedInstallation(
  installation: Installation,
  copy: Located<CopyFact>,
  struct: string,
): Installation {
  return {
    ...installation,
    struct,
    field: copy.fact.field,
    copiedFrom: {
      struct: installation.struct,
      field: installation.field,
      function: copy.fact.function,
      file: copy.file,
      span: copy.fact.span,
    },
  };
}

/** The list without a second installation of the same function in the same field by the same slot. */
function withoutRepeats(list: Installation[]): Installation[] {
  const seen = new Set<string>();
  return list.filter((installation) => {
    const { function: fn, struct, field, table, file, span } = installation;
    const key = `${fn}|${struct}.${field}|${table}|${file}:${span.line}:${span.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `#define max_t(type, x, y) ({ ...`: the head and the body's first line. */
function functionMacroSummary(fact: FunctionMacroFact): string {
  const lineBreak = fact.body.indexOf('\n');
  const firstLine = lineBreak === -1 ? fact.body : `${fact.body.slice(0, lineBreak)} ...`;
  return `#define ${fact.name}(${fact.parameters}) ${firstLine}`.trimEnd();
}

function sortInstallations(list: Installation[]): Installation[] {
  return list.sort(
    (a, b) =>
      evidenceStrength[b.evidence] - evidenceStrength[a.evidence] ||
      (a.function < b.function ? -1 : a.function > b.function ? 1 : 0) ||
      (a.table < b.table ? -1 : a.table > b.table ? 1 : 0),
  );
}

/** Exact > prefix > substring > in-order characters; 0 for no match. */
function fuzzyScore(name: string, needle: string): number {
  if (needle === '') return 1;
  const lower = name.toLowerCase();
  if (lower === needle) return 1000;
  if (lower.startsWith(needle)) return 500;
  const at = lower.indexOf(needle);
  if (at >= 0) return 300 - Math.min(at, 100);
  let position = 0;
  for (const character of needle) {
    position = lower.indexOf(character, position);
    if (position < 0) return 0;
    position++;
  }
  return 100;
}
