// Calls: what the call at a position reaches, who calls a function (directly, through a field it is
// installed in, or by passing it on), and what a function calls.
import { isVisibleFrom } from './definition-rank';
import type { CallFact, FunctionFact, Span } from './facts';
import type { IndexStores, Located } from './index-stores';
import type { Installations } from './installations';
import { linkage, type NameLookup } from './name-lookup';
import { installerName, type CallEdge, type CallTarget, type SymbolLocation } from './queries';
import type { FactStore } from './store/fact-store';
import type { TypeLinks } from './type-links';

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

export class CallGraph {
  constructor(
    private readonly stores: IndexStores,
    private readonly names: NameLookup,
    private readonly links: TypeLinks,
    private readonly installations: Installations,
  ) {}

  /** The calls of a file for which `keep(store, row)` holds, decoded. */
  private callsOf(file: string, keep: (store: FactStore, row: number) => boolean): CallFact[] {
    const place = this.stores.locate(file);
    if (!place) return [];
    const [start, end] = place.store.rows(place.slot, 'calls');
    const found: CallFact[] = [];
    for (let row = start; row < end; row++) {
      if (keep(place.store, row)) found.push(place.store.decode('calls', row));
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
      const { struct, candidates } = this.installations.candidatesOf(call, file);
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
    const candidates = this.names.directCallTargets(call.callee, file);
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
    const place = this.stores.locate(file);
    if (!place) return undefined;
    const { store, slot } = place;
    for (const row of store.rowsNamed('functions', 'name', caller)) {
      if (store.slotOfRow('functions', row) !== slot || store.int('functions', row, 'isDefinition') !== 1)
        continue;
      return this.names.functionLocation({ file, fact: store.decode('functions', row) });
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
        const seen = this.names.functionDefinitions(fn, file)[0];
        answer = seen !== undefined && isVisibleFrom(linkage(seen), file) && sameDefinition(seen, chosen);
        answers.set(file, answer);
      }
      return answer;
    };
  }

  callers(fn: string, options: { indirectOnly?: boolean; fromFile?: string } = {}): CallEdge[] {
    const { names } = this;
    const chosen = names.functionDefinitions(fn, options.fromFile)[0];
    const calleeLocation = chosen ? names.functionLocation(chosen) : undefined;
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
    const installations = this.installations
      .installationsOf(fn)
      .filter(
        (i) => !chosen?.fact.isDefinition || !i.functionLocation || sameLocation(i.functionLocation, chosen),
      );
    for (const field of new Set(installations.map((i) => i.field))) {
      this.forEachCall(field, true, (file, fact) => {
        const struct = this.links.resolveTypePath(fact.receiver!, file);
        const named = struct ? this.installations.namedTableOf(fact.receiver!, file, field) : undefined;
        for (const installation of installations) {
          if (installation.field !== field || struct !== installation.struct) continue;
          if (named && !named.holds(installation)) continue;
          const key = `${struct}.${field}@${file}:${fact.line}:${fact.column}`;
          const existing = bySite.get(key);
          if (existing?.hop) {
            const installer = installerName(installation.source);
            if (!existing.hop.tables.includes(installer)) existing.hop.tables.push(installer);
            continue;
          }
          bySite.set(key, {
            ...edgeAt(file, fact),
            hop: {
              struct,
              field,
              tables: [installerName(installation.source)],
              evidence: installation.evidence,
            },
            evidence: 'type-matched-call',
          });
        }
      });
    }
    edges.push(...bySite.values());
    if (this.stores.has('functions', 'name', fn)) {
      for (const { file, fact } of this.stores.lookup('arguments', 'name', fn)) {
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
    const { names } = this;
    const definition = names.functionDefinitions(fn, fromFile)[0];
    if (!definition) return [];
    const callerLocation = names.functionLocation(definition);
    const edges: CallEdge[] = [];
    for (const call of this.callsOf(
      definition.file,
      (store, row) => store.string('calls', row, 'caller') === fn,
    )) {
      const span = lineSpan(call.line, call.column, call.callee.length);
      if (!call.receiver) {
        // A function or a function-like macro: `min(a, b)` is a callee as much as `kfree(p)`.
        const target = names.directCallTargets(call.callee, definition.file)[0];
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
      const { struct, candidates } = this.installations.candidatesOf(call, definition.file);
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
            tables: [installerName(candidate.source)],
            evidence: candidate.evidence,
          },
          evidence: struct ? 'type-matched-call' : 'name-only',
        });
      }
    }
    for (const argument of this.stores.factsOf(definition.file, 'arguments')) {
      if (argument.function !== fn) continue;
      const target = names
        .functionDefinitions(argument.name, definition.file)
        .find((e) => e.fact.isDefinition);
      if (!target) continue;
      edges.push({
        caller: fn,
        callerLocation,
        callee: argument.name,
        calleeLocation: names.functionLocation(target),
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
    for (const store of this.stores.stores()) {
      for (const row of store.rowsNamed('calls', 'callee', callee)) {
        if (store.int('calls', row, 'receiver') >= 0 !== indirect) continue;
        visit(store.path(store.slotOfRow('calls', row)), store.decode('calls', row));
      }
    }
  }
}
