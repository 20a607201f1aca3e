// Links the facts of every file into one queryable index. Files can be added, replaced and removed
// one at a time (open documents, watched files), so every derived map is keyed back to its file.
import { evaluateConstantExpression } from './constant-expression';
import {
  callStride,
  macroStride,
  packFacts,
  shareStrings,
  StringTable,
  unpackCall,
  unpackFacts,
  unpackMacro,
  type PackedFacts,
} from './packed';
import {
  evidenceStrength,
  type BindingFact,
  type CallFact,
  type EnumConstantFact,
  type FileFacts,
  type FunctionFact,
  type SlotFact,
  type Span,
  type StructFact,
  type TypePath,
} from './facts';
import type {
  CallEdge,
  CallTarget,
  IndexQueries,
  Installation,
  SymbolKind,
  SymbolLocation,
  TableSummary,
} from './queries';

interface Located<T> {
  file: string;
  fact: T;
}

/** A map from a key to the entries of many files, from which one file's entries can be dropped. */
class FileMultiMap<T> {
  private readonly entries = new Map<string, Located<T>[]>();

  add(key: string, file: string, fact: T): void {
    const list = this.entries.get(key);
    if (list) list.push({ file, fact });
    else this.entries.set(key, [{ file, fact }]);
  }

  get(key: string): readonly Located<T>[] {
    return this.entries.get(key) ?? [];
  }

  removeFile(key: string, file: string): void {
    const list = this.entries.get(key);
    if (!list) return;
    const kept = list.filter((entry) => entry.file !== file);
    if (kept.length > 0) this.entries.set(key, kept);
    else this.entries.delete(key);
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }
}

const lineSpan = (line: number, column: number, length: number): Span => ({
  line,
  column,
  endLine: line,
  endColumn: column + length,
});

/** Prefers entries in `fromFile`, then headers under include/, then the rest, in a stable order. */
function preferred<T>(entries: readonly Located<T>[], fromFile?: string): Located<T>[] {
  const rank = (entry: Located<T>) =>
    entry.file === fromFile ? 0 : entry.file.startsWith('include/') ? 1 : 2;
  return [...entries].sort((a, b) => rank(a) - rank(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The struct tag a function's signature returns a pointer to: `struct packet_sock *pkt_sk(...)`. */
function returnTypeTag(fact: FunctionFact): string | undefined {
  const head = fact.signature.slice(0, fact.signature.indexOf(fact.name + '('));
  return /\b(?:struct|union)\s+(\w+)\s*\*/.exec(head)?.[1] ?? /(\w+)\s*\*\s*$/.exec(head)?.[1];
}

export class KernelIndex implements IndexQueries {
  private readonly byFile = new Map<string, PackedFacts>();
  private readonly unpacked = new Map<string, FileFacts>();
  private readonly functions = new FileMultiMap<FunctionFact>();
  private readonly structs = new FileMultiMap<StructFact>();
  private readonly typedefs = new FileMultiMap<{ typeTag?: string; type: string; nameSpan: Span }>();
  /** Macro name id -> the files that define it (one string for the common single definition). */
  private readonly macroFiles = new Map<number, string | string[]>();
  private readonly enumConstants = new FileMultiMap<EnumConstantFact>();
  private readonly variables = new FileMultiMap<{
    name: string;
    typeTag?: string;
    isStatic: boolean;
    type: string;
    nameSpan: Span;
    isDeclarationOnly: boolean;
  }>();
  private readonly tables = new FileMultiMap<{
    name: string;
    struct: string;
    isStatic: boolean;
    nameSpan: Span;
  }>();
  private readonly slotsByValue = new FileMultiMap<SlotFact>();
  private readonly slotsByField = new FileMultiMap<SlotFact>();
  private readonly slotsByTable = new FileMultiMap<SlotFact>();
  private readonly bindingsByValue = new FileMultiMap<BindingFact>();
  private readonly bindingsByField = new FileMultiMap<BindingFact>();
  private readonly registrationsByValue = new FileMultiMap<{
    function: string;
    registrar: string;
    span: Span;
  }>();
  private sortedNames: string[] | undefined;
  private readonly stringPool = new Map<string, string>();
  /** Callee name id -> the files with a call site of that name, so callers() reads only those. */
  private readonly filesCalling = new Map<number, Set<string>>();

  /** Shared with the persisted index; it only grows (a full rebuild starts it afresh). */
  readonly strings = new StringTable();

  constructor(
    readonly root: string,
    readonly version: string,
  ) {}

  // ---- maintenance -------------------------------------------------------------------------

  /** Adds or replaces the facts of one file. */
  setFile(facts: FileFacts): void {
    this.setPackedFile(packFacts(facts, this.strings));
  }

  /** Adds or replaces one file's packed facts, whose ids refer to this index's string table. */
  setPackedFile(packed: PackedFacts): void {
    shareStrings(packed.facts, this.stringPool);
    const file = packed.facts.file;
    if (this.byFile.has(file)) this.removeFile(file);
    this.byFile.set(file, packed);
    this.forEachKey(packed.facts, (map, key, fact) => map.add(key, file, fact));
    for (let at = 3; at < packed.calls.length; at += callStride) {
      const callers = this.filesCalling.get(packed.calls[at]);
      if (callers) callers.add(file);
      else this.filesCalling.set(packed.calls[at], new Set([file]));
    }
    for (let at = 0; at < packed.macros.length; at += macroStride) {
      const name = packed.macros[at];
      const files = this.macroFiles.get(name);
      if (files === undefined) this.macroFiles.set(name, file);
      else if (typeof files === 'string') this.macroFiles.set(name, files === file ? file : [files, file]);
      else if (!files.includes(file)) files.push(file);
    }
    this.sortedNames = undefined;
  }

  packedFile(file: string): PackedFacts | undefined {
    return this.byFile.get(file);
  }

  removeFile(file: string): void {
    const packed = this.byFile.get(file);
    if (!packed) return;
    this.forEachKey(packed.facts, (map, key) => map.removeFile(key, file));
    for (let at = 3; at < packed.calls.length; at += callStride) {
      const callers = this.filesCalling.get(packed.calls[at]);
      callers?.delete(file);
      if (callers?.size === 0) this.filesCalling.delete(packed.calls[at]);
    }
    for (let at = 0; at < packed.macros.length; at += macroStride) {
      const name = packed.macros[at];
      const files = this.macroFiles.get(name);
      if (files === file) this.macroFiles.delete(name);
      else if (Array.isArray(files)) {
        const kept = files.filter((f) => f !== file);
        if (kept.length === 1) this.macroFiles.set(name, kept[0]);
        else this.macroFiles.set(name, kept);
      }
    }
    this.byFile.delete(file);
    this.unpacked.delete(file);
    this.sortedNames = undefined;
  }

  private forEachKey(
    facts: FileFacts,
    visit: (map: FileMultiMap<never>, key: string, fact: never) => void,
  ): void {
    const each = <T>(map: FileMultiMap<T>, key: string, fact: T) =>
      visit(map as unknown as FileMultiMap<never>, key, fact as never);
    for (const f of facts.functions) each(this.functions, f.name, f);
    for (const s of facts.structs) each(this.structs, s.name, s);
    for (const t of facts.typedefs) each(this.typedefs, t.name, t);
    for (const e of facts.enumConstants) each(this.enumConstants, e.name, e);
    for (const v of facts.variables) each(this.variables, v.name, v);
    for (const t of facts.tables) each(this.tables, t.name, t);
    for (const s of facts.slots) {
      each(this.slotsByValue, s.value, s);
      each(this.slotsByField, s.field.slice(s.field.lastIndexOf('.') + 1), s);
      each(this.slotsByTable, s.table, s);
    }
    for (const b of facts.bindings) {
      each(this.bindingsByValue, b.value, b);
      each(this.bindingsByField, b.field, b);
    }
    for (const r of facts.registrations) each(this.registrationsByValue, r.value, r);
  }

  /** Visits every call site in the tree whose callee is `callee`, direct or through a field. */
  private forEachCall(
    callee: string,
    indirect: boolean,
    visit: (file: string, call: CallFact) => void,
  ): void {
    const id = this.strings.find(callee);
    for (const file of this.filesCalling.get(id) ?? []) {
      const packed = this.byFile.get(file)!;
      const data = packed.calls;
      for (let at = 3; at < data.length; at += callStride) {
        if (data[at] !== id || data[at + 1] >= 0 !== indirect) continue;
        visit(file, unpackCall(packed, this.strings, (at - 3) / callStride));
      }
    }
  }

  // ---- basic lookups -----------------------------------------------------------------------

  files(): readonly string[] {
    return [...this.byFile.keys()];
  }

  facts(file: string): FileFacts | undefined {
    const cached = this.unpacked.get(file);
    if (cached) return cached;
    const packed = this.byFile.get(file);
    if (!packed) return undefined;
    const facts = unpackFacts(packed, this.strings);
    // A handful of recently used files stay unpacked: requests cluster on the open documents.
    if (this.unpacked.size >= 16) this.unpacked.delete(this.unpacked.keys().next().value!);
    this.unpacked.set(file, facts);
    return facts;
  }

  private functionLocation(entry: Located<FunctionFact>): SymbolLocation {
    return {
      kind: 'function',
      name: entry.fact.name,
      file: entry.file,
      span: entry.fact.nameSpan,
      detail: entry.fact.signature,
    };
  }

  /** Function definitions of `name` visible from `fromFile`: its own static one first. */
  private functionDefinitions(name: string, fromFile?: string): Located<FunctionFact>[] {
    const all = this.functions.get(name);
    const bodies = all.filter((entry) => entry.fact.isDefinition);
    const local = bodies.filter((entry) => entry.file === fromFile);
    if (local.length > 0) return local;
    const visible = bodies.filter((entry) => !entry.fact.isStatic || fromFile === undefined);
    if (visible.length > 0) return preferred(visible, fromFile);
    return preferred(bodies.length > 0 ? bodies : all, fromFile);
  }

  definitions(name: string, fromFile?: string): SymbolLocation[] {
    const found: SymbolLocation[] = this.functionDefinitions(name, fromFile).map((e) =>
      this.functionLocation(e),
    );
    const add = (kind: SymbolKind, file: string, span: Span, detail: string, container?: string) =>
      found.push({ kind, name, file, span, detail, container });
    for (const e of preferred(this.structs.get(name), fromFile))
      add('struct', e.file, e.fact.nameSpan, `${e.fact.kind} ${name}`);
    for (const e of preferred(this.typedefs.get(name), fromFile))
      add('typedef', e.file, e.fact.nameSpan, `typedef ${e.fact.type} ${name}`);
    for (const e of preferred(this.macroDefinitions(name), fromFile))
      add('macro', e.file, e.fact.nameSpan, `#define ${name} ${e.fact.value}`);
    for (const e of preferred(this.enumConstants.get(name), fromFile)) {
      const value = this.evaluateConstant(name);
      add(
        'enum-constant',
        e.file,
        e.fact.nameSpan,
        `${name} = ${value ?? e.fact.valueText ?? '?'}`,
        e.fact.enumName,
      );
    }
    const variables = this.variables.get(name);
    const ownStatic = variables.filter((e) => e.file === fromFile && e.fact.isStatic);
    const candidates =
      ownStatic.length > 0 ? ownStatic : variables.filter((e) => !e.fact.isStatic || e.file === fromFile);
    const defined = candidates.filter((e) => !e.fact.isDeclarationOnly);
    for (const e of preferred(defined.length > 0 ? defined : candidates, fromFile)) {
      const isTable = this.tables.get(name).some((t) => t.file === e.file);
      add(isTable ? 'table' : 'variable', e.file, e.fact.nameSpan, `${e.fact.type} ${name}`);
    }
    return found;
  }

  functionAt(file: string, line: number): FunctionFact | undefined {
    return this.byFile
      .get(file)
      ?.facts.functions.find((f) => f.isDefinition && f.span.line <= line && line <= f.span.endLine);
  }

  struct(name: string, fromFile?: string): { fact: StructFact; file: string } | undefined {
    const entry = preferred(this.structs.get(name), fromFile)[0];
    return entry ? { fact: entry.fact, file: entry.file } : undefined;
  }

  /** Follows typedefs to a struct tag: `sk_buff_data_t` stays, `socket_lock_t` becomes its struct. */
  private canonicalTag(tag: string | undefined): string | undefined {
    let current = tag;
    for (let hops = 0; current && hops < 8; hops++) {
      if (this.structs.get(current).length > 0) return current;
      const next = this.typedefs.get(current)[0]?.fact.typeTag;
      if (!next || next === current) return current;
      current = next;
    }
    return current;
  }

  /** The struct tag an expression's type path ends at, or undefined when a step is unknown. */
  resolveTypePath(path: TypePath, fromFile: string): string | undefined {
    let tag = path.root;
    if (!tag && path.global) {
      const variable = preferred(this.variables.get(path.global), fromFile)[0];
      tag = variable?.fact.typeTag;
    }
    if (!tag && path.returnedBy) {
      const fn =
        this.functionDefinitions(path.returnedBy, fromFile)[0] ??
        preferred(this.functions.get(path.returnedBy), fromFile)[0];
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
    return this.functions.get(value).length > 0 || this.tables.get(value).length > 0;
  }

  implementations(struct: string, field: string): Installation[] {
    const found: Installation[] = [];
    for (const entry of this.slotsByField.get(field)) {
      if (!this.isInstallable(entry.fact.value)) continue;
      const installation = this.slotInstallation(entry);
      if (installation?.struct === struct && installation.field === field) found.push(installation);
    }
    for (const entry of this.bindingsByField.get(field)) {
      if (!this.isInstallable(entry.fact.value)) continue;
      const installation = this.bindingInstallation(entry);
      if (installation?.struct === struct) found.push(installation);
    }
    return sortInstallations(found);
  }

  installationsOf(fn: string): Installation[] {
    const found: Installation[] = [];
    for (const entry of this.slotsByValue.get(fn)) {
      const installation = this.slotInstallation(entry);
      if (installation) found.push(installation);
    }
    for (const entry of this.bindingsByValue.get(fn)) {
      const installation = this.bindingInstallation(entry);
      if (installation) found.push(installation);
    }
    return sortInstallations(found);
  }

  private tableSummary(
    entry: Located<{ name: string; struct: string; nameSpan: Span; isStatic: boolean }>,
  ): TableSummary {
    const { name, struct } = entry.fact;
    const variable = this.variables.get(name).find((v) => v.file === entry.file);
    const uses: TableSummary['uses'] = [];
    for (const b of this.bindingsByValue.get(name)) {
      const target = this.resolveTypePath(b.fact.target, b.file);
      uses.push({
        kind: 'assignment',
        function: b.fact.function,
        file: b.file,
        span: b.fact.span,
        detail: `${target ?? '?'}.${b.fact.field} = ${b.fact.addressOf ? '&' : ''}${name}`,
      });
    }
    for (const r of this.registrationsByValue.get(name)) {
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
      slots: this.slotsByTable
        .get(name)
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
    for (const [file, packed] of this.byFile) {
      for (const table of packed.facts.tables) {
        if (this.canonicalTag(table.struct) === struct) found.push(this.tableSummary({ file, fact: table }));
      }
    }
    return found;
  }

  table(name: string, fromFile?: string): TableSummary | undefined {
    const entries = this.tables.get(name);
    const own = entries.filter((e) => e.file === fromFile);
    const entry =
      own[0] ??
      preferred(
        entries.filter((e) => !e.fact.isStatic),
        fromFile,
      )[0] ??
      preferred(entries, fromFile)[0];
    return entry ? this.tableSummary(entry) : undefined;
  }

  // ---- calls -------------------------------------------------------------------------------

  /** Implementations of an indirect call; when the receiver type is unknown, every table that sets a field of that name. */
  private candidatesOf(call: CallFact, file: string): { struct?: string; candidates: Installation[] } {
    const struct = this.resolveTypePath(call.receiver!, file);
    if (struct) return { struct, candidates: this.implementations(struct, call.callee) };
    const byName: Installation[] = [];
    for (const entry of this.slotsByField.get(call.callee)) {
      if (!this.functions.get(entry.fact.value).length) continue;
      const installation = this.slotInstallation(entry);
      if (installation) byName.push({ ...installation, evidence: 'name-only' });
    }
    return { candidates: sortInstallations(byName) };
  }

  callAt(file: string, line: number, column: number): CallTarget | undefined {
    const call = this.facts(file)?.calls.find(
      (c) => c.line === line && c.column <= column && column <= c.column + c.callee.length,
    );
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
    const candidates = this.functionDefinitions(call.callee, file).map((e) => this.functionLocation(e));
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

  private callerLocation(caller: string, file: string): SymbolLocation | undefined {
    const entry = this.functions.get(caller).find((e) => e.file === file && e.fact.isDefinition);
    return entry ? this.functionLocation(entry) : undefined;
  }

  callers(fn: string): CallEdge[] {
    const definitions = this.functionDefinitions(fn);
    const calleeLocation = definitions[0] ? this.functionLocation(definitions[0]) : undefined;
    const onlyStatic = definitions.length > 0 && definitions.every((d) => d.fact.isStatic);
    const staticFiles = new Set(definitions.map((d) => d.file));
    const edges: CallEdge[] = [];
    this.forEachCall(fn, false, (file, fact) => {
      if (onlyStatic && !staticFiles.has(file)) return;
      edges.push({
        caller: fact.caller,
        callerLocation: this.callerLocation(fact.caller, file),
        callee: fn,
        calleeLocation,
        file,
        span: lineSpan(fact.line, fact.column, fact.callee.length),
        evidence: 'direct',
      });
    });
    // One edge per call site; a function installed in several tables of the same field names them all.
    const bySite = new Map<string, CallEdge>();
    const installations = this.installationsOf(fn);
    for (const field of new Set(installations.map((i) => i.field))) {
      this.forEachCall(field, true, (file, fact) => {
        const struct = this.resolveTypePath(fact.receiver!, file);
        for (const installation of installations) {
          if (installation.field !== field || struct !== installation.struct) continue;
          const key = `${struct}.${field}@${file}:${fact.line}:${fact.column}`;
          const existing = bySite.get(key);
          if (existing?.hop) {
            if (!existing.hop.table.split(', ').includes(installation.table))
              existing.hop.table += `, ${installation.table}`;
            continue;
          }
          bySite.set(key, {
            caller: fact.caller,
            callerLocation: this.callerLocation(fact.caller, file),
            callee: fn,
            calleeLocation,
            file,
            span: lineSpan(fact.line, fact.column, fact.callee.length),
            hop: { struct, field, table: installation.table, evidence: installation.evidence },
            evidence: 'type-matched-call',
          });
        }
      });
    }
    edges.push(...bySite.values());
    return edges;
  }

  callees(fn: string, fromFile?: string): CallEdge[] {
    const definition = this.functionDefinitions(fn, fromFile)[0];
    if (!definition) return [];
    const callerLocation = this.functionLocation(definition);
    const edges: CallEdge[] = [];
    for (const call of this.facts(definition.file)?.calls ?? []) {
      if (call.caller !== fn) continue;
      const span = lineSpan(call.line, call.column, call.callee.length);
      if (!call.receiver) {
        const target = this.functionDefinitions(call.callee, definition.file)[0];
        if (!target) continue;
        edges.push({
          caller: fn,
          callerLocation,
          callee: call.callee,
          calleeLocation: this.functionLocation(target),
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
    return edges;
  }

  // ---- constants ---------------------------------------------------------------------------

  /** Every #define of `name`, unpacked from the files that have one. */
  private macroDefinitions(name: string): Located<{ value: string; nameSpan: Span }>[] {
    const id = this.strings.find(name);
    const files = id < 0 ? undefined : this.macroFiles.get(id);
    if (files === undefined) return [];
    const found: Located<{ value: string; nameSpan: Span }>[] = [];
    for (const file of typeof files === 'string' ? [files] : files) {
      const packed = this.byFile.get(file)!;
      for (let at = 0; at < packed.macros.length; at += macroStride) {
        if (packed.macros[at] === id)
          found.push({ file, fact: unpackMacro(packed, this.strings, at / macroStride) });
      }
    }
    return found;
  }

  macroValue(name: string): string | undefined {
    const macro = preferred(this.macroDefinitions(name))[0];
    if (macro) return macro.fact.value;
    const constant = preferred(this.enumConstants.get(name))[0];
    if (!constant) return undefined;
    if (constant.fact.valueText !== undefined) return constant.fact.valueText;
    return this.implicitEnumValue(constant);
  }

  /** An enum constant without initialiser is its predecessor plus one (or 0 when first). */
  private implicitEnumValue(constant: Located<EnumConstantFact>): string {
    if (constant.fact.index === 0) return '0';
    const siblings = this.byFile.get(constant.file)?.facts.enumConstants ?? [];
    const previous = siblings[siblings.indexOf(constant.fact) - 1];
    return previous ? `(${previous.name}) + 1` : String(constant.fact.index);
  }

  evaluateConstant(expression: string): number | undefined {
    const value = evaluateConstantExpression(expression, (name) => this.macroValue(name));
    return value === undefined ? undefined : Number(value);
  }

  // ---- search ------------------------------------------------------------------------------

  searchSymbols(query: string, limit: number): SymbolLocation[] {
    this.sortedNames ??= [
      ...new Set([
        ...this.functions.keys(),
        ...this.structs.keys(),
        ...this.tables.keys(),
        ...[...this.macroFiles.keys()].map((id) => this.strings.strings[id]),
        ...this.typedefs.keys(),
      ]),
    ].sort();
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
