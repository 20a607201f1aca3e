// Call sites and macros are most of a kernel tree's facts (millions each), so they are kept packed:
// numbers in an Int32Array, names as ids in a string table. Workers pack with a table of their own;
// the index remaps to its global table. FileFacts.calls and .macros are unpacked on demand.
import type { CallFact, FileFacts, MacroFact, TypePath } from './facts';

export class StringTable {
  private readonly ids = new Map<string, number>();
  readonly strings: string[] = [];

  /** Fills an empty table with a persisted one, whose ids the persisted facts use. */
  restore(strings: readonly string[]): void {
    if (this.strings.length > 0) throw new Error('a string table can only be restored while empty');
    for (const text of strings) this.intern(text);
  }

  intern(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  /** The id of a string already in the table, or -1. */
  find(text: string): number {
    return this.ids.get(text) ?? -1;
  }
}

/** Per call: caller, line, column, callee, receiver index (-1 for a direct call), via (-1 for none). */
export const callStride = 6;
/** Per macro: name, value, line, column. */
export const macroStride = 4;

export interface PackedFacts {
  /** Everything but calls and macros. */
  facts: FileFacts;
  calls: Int32Array;
  receivers: TypePath[];
  macros: Int32Array;
}

export function packFacts(facts: FileFacts, table: StringTable): PackedFacts {
  const calls = new Int32Array(facts.calls.length * callStride);
  const receivers: TypePath[] = [];
  facts.calls.forEach((call, i) => {
    const at = i * callStride;
    calls[at] = table.intern(call.caller);
    calls[at + 1] = call.line;
    calls[at + 2] = call.column;
    calls[at + 3] = table.intern(call.callee);
    calls[at + 4] = call.receiver ? receivers.push(call.receiver) - 1 : -1;
    calls[at + 5] = call.via ? table.intern(call.via) : -1;
  });
  const macros = new Int32Array(facts.macros.length * macroStride);
  facts.macros.forEach((macro, i) => {
    const at = i * macroStride;
    macros[at] = table.intern(macro.name);
    macros[at + 1] = table.intern(macro.value);
    macros[at + 2] = macro.nameSpan.line;
    macros[at + 3] = macro.nameSpan.column;
  });
  return { facts: { ...facts, calls: [], macros: [] }, calls, receivers, macros };
}

/** Rewrites ids from a worker's table to the index's table. */
export function remapPacked(packed: PackedFacts, from: readonly string[], to: StringTable): PackedFacts {
  const map = new Int32Array(from.length);
  from.forEach((text, id) => (map[id] = to.intern(text)));
  const calls = packed.calls;
  for (let at = 0; at < calls.length; at += callStride) {
    calls[at] = map[calls[at]];
    calls[at + 3] = map[calls[at + 3]];
    if (calls[at + 5] >= 0) calls[at + 5] = map[calls[at + 5]];
  }
  const macros = packed.macros;
  for (let at = 0; at < macros.length; at += macroStride) {
    macros[at] = map[macros[at]];
    macros[at + 1] = map[macros[at + 1]];
  }
  return packed;
}

export function unpackCall(packed: PackedFacts, table: StringTable, index: number): CallFact {
  const at = index * callStride;
  const data = packed.calls;
  const call: CallFact = {
    caller: table.strings[data[at]],
    line: data[at + 1],
    column: data[at + 2],
    callee: table.strings[data[at + 3]],
  };
  if (data[at + 4] >= 0) call.receiver = packed.receivers[data[at + 4]];
  if (data[at + 5] >= 0) call.via = table.strings[data[at + 5]];
  return call;
}

export function unpackMacro(packed: PackedFacts, table: StringTable, index: number): MacroFact {
  const at = index * macroStride;
  const data = packed.macros;
  const name = table.strings[data[at]];
  const line = data[at + 2];
  const column = data[at + 3];
  return {
    name,
    value: table.strings[data[at + 1]],
    nameSpan: { line, column, endLine: line, endColumn: column + name.length },
  };
}

export function unpackFacts(packed: PackedFacts, table: StringTable): FileFacts {
  const calls: CallFact[] = [];
  for (let i = 0; i < packed.calls.length / callStride; i++) calls.push(unpackCall(packed, table, i));
  const macros: MacroFact[] = [];
  for (let i = 0; i < packed.macros.length / macroStride; i++) macros.push(unpackMacro(packed, table, i));
  return { ...packed.facts, calls, macros };
}

/**
 * Replaces the repeated strings of one file's facts (names, type texts, table and struct names) by
 * one shared instance each: facts that arrive from workers or the persisted index carry a copy per
 * occurrence, and across a whole tree the copies cost more than the facts.
 */
export function shareStrings(facts: FileFacts, pool: Map<string, string>): void {
  const share = (text: string): string => {
    const existing = pool.get(text);
    if (existing !== undefined) return existing;
    pool.set(text, text);
    return text;
  };
  const sharePath = (path: TypePath) => {
    if (path.root) path.root = share(path.root);
    if (path.global) path.global = share(path.global);
    if (path.returnedBy) path.returnedBy = share(path.returnedBy);
    path.fields = path.fields.map(share);
  };
  facts.file = share(facts.file);
  for (const f of facts.functions) f.name = share(f.name);
  for (const s of facts.structs) {
    s.name = share(s.name);
    for (const field of s.fields) {
      field.name = share(field.name);
      field.type = share(field.type);
      if (field.typeTag) field.typeTag = share(field.typeTag);
    }
  }
  for (const t of facts.typedefs) {
    t.name = share(t.name);
    t.type = share(t.type);
    if (t.typeTag) t.typeTag = share(t.typeTag);
  }
  for (const e of facts.enumConstants) {
    e.name = share(e.name);
    if (e.enumName) e.enumName = share(e.enumName);
  }
  for (const v of facts.variables) {
    v.name = share(v.name);
    v.type = share(v.type);
    if (v.typeTag) v.typeTag = share(v.typeTag);
  }
  for (const t of facts.tables) {
    t.name = share(t.name);
    t.struct = share(t.struct);
  }
  for (const s of facts.slots) {
    s.table = share(s.table);
    s.struct = share(s.struct);
    s.field = share(s.field);
    s.value = share(s.value);
  }
  for (const b of facts.bindings) {
    b.function = share(b.function);
    b.field = share(b.field);
    b.value = share(b.value);
    sharePath(b.target);
  }
  for (const r of facts.registrations) {
    r.function = share(r.function);
    r.registrar = share(r.registrar);
    r.value = share(r.value);
  }
}
