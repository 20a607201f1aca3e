// What each struct field is given, and by whom: ops tables' slots, run-time bindings, copies of one
// field from another; and what an indirect call through a field may reach.
import { PerGeneration } from './derived-cache';
import {
  evidenceStrength,
  type BindingFact,
  type CallFact,
  type CopyFact,
  type SlotFact,
  type TypePath,
} from './facts';
import type { IndexStores, Located } from './index-stores';
import type { NameLookup } from './name-lookup';
import { installerName, type Installation } from './queries';
import type { TypeLinks } from './type-links';

export class Installations {
  /** Whether a value names something worth listing as an implementation, for one generation of the facts. */
  private readonly installable = new PerGeneration<IndexStores, Map<string, boolean>>(() => new Map());

  constructor(
    private readonly stores: IndexStores,
    private readonly names: NameLookup,
    private readonly links: TypeLinks,
  ) {}

  /**
   * The slots that set a field named `field`. With `struct`, a slot of a table of another struct
   * type is skipped before it is decoded (a common field such as `release` is set in thousands of
   * tables); slots of nested fields (`ops.recvmsg`) are kept for the caller to resolve.
   */
  private slotsOfField(field: string, struct?: string): Located<SlotFact>[] {
    const found: Located<SlotFact>[] = [];
    for (const store of this.stores.stores()) {
      const matches = new Map<number, boolean>();
      for (const row of store.rowsNamed('slots', 'fieldName', field)) {
        if (struct !== undefined && store.string('slots', row, 'field') === field) {
          const tag = store.int('slots', row, 'struct');
          let match = matches.get(tag);
          if (match === undefined) {
            match = this.links.canonicalTag(store.pool.get(tag)) === struct;
            matches.set(tag, match);
          }
          if (!match) continue;
        }
        found.push({
          file: store.path(store.slotOfRow('slots', row)),
          fact: store.decode('slots', row),
        });
      }
    }
    return found;
  }

  private slotInstallation(entry: Located<SlotFact>): Installation | undefined {
    const target = this.links.slotTarget(entry.fact, entry.file);
    if (!target) return undefined;
    const fn = this.names.functionDefinitions(entry.fact.value, entry.file)[0];
    return {
      function: entry.fact.value,
      functionLocation: fn ? this.names.functionLocation(fn) : undefined,
      struct: target.struct,
      field: target.field,
      source: { kind: 'slot', table: entry.fact.table, element: entry.fact.element },
      evidence: 'initializer',
      file: entry.file,
      span: entry.fact.span,
    };
  }

  private bindingInstallation(entry: Located<BindingFact>): Installation | undefined {
    const struct = this.links.resolveTypePath(entry.fact.target, entry.file);
    if (!struct) return undefined;
    const fn = this.names.functionDefinitions(entry.fact.value, entry.file)[0];
    return {
      function: entry.fact.value,
      functionLocation: fn ? this.names.functionLocation(fn) : undefined,
      struct,
      field: entry.fact.field,
      source: { kind: 'binding', assignedIn: entry.fact.function },
      evidence: 'assignment',
      file: entry.file,
      span: entry.fact.span,
    };
  }

  /** Whether a slot or binding value names something worth listing as an implementation. */
  isInstallable(value: string): boolean {
    const known = this.installable.get(this.stores);
    let answer = known.get(value);
    if (answer === undefined) {
      answer = this.stores.has('functions', 'name', value) || this.stores.has('tables', 'name', value);
      known.set(value, answer);
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
    const { stores, links } = this;
    const key = `${struct}.${field}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const found: Installation[] = [];
    for (const entry of this.slotsOfField(field, struct)) {
      if (!this.isInstallable(entry.fact.value)) continue;
      const installation = this.slotInstallation(entry);
      if (installation?.struct === struct && installation.field === field) found.push(installation);
    }
    for (const entry of stores.lookup('bindings', 'field', field)) {
      if (links.resolveTypePath(entry.fact.target, entry.file) !== struct) continue;
      if (!this.isInstallable(entry.fact.value)) continue;
      const installation = this.bindingInstallation(entry);
      if (installation) found.push(installation);
    }
    for (const copy of stores.lookup('copies', 'field', field)) {
      if (links.resolveTypePath(copy.fact.target, copy.file) !== struct) continue;
      const from = links.resolveTypePath(copy.fact.source, copy.file);
      if (!from) continue;
      for (const installation of this.installationsIn(from, copy.fact.sourceField, seen))
        found.push(copiedInstallation(installation, copy, struct));
    }
    return found;
  }

  installationsOf(fn: string): Installation[] {
    const { stores, links } = this;
    // A name the tree knows only as data (a global `int`, an enum constant) installs nothing.
    if (!this.isInstallable(fn) && this.isData(fn)) return [];
    const found: Installation[] = [];
    for (const entry of stores.lookup('slots', 'value', fn)) {
      const installation = this.slotInstallation(entry);
      if (installation) found.push(installation);
    }
    for (const entry of stores.lookup('bindings', 'value', fn)) {
      const installation = this.bindingInstallation(entry);
      if (installation) found.push(installation);
    }
    // Each field the function is in passes it on to the fields copied from that one.
    const seen = new Set(found.map((installation) => `${installation.struct}.${installation.field}`));
    for (let next = 0; next < found.length; next++) {
      const installation = found[next];
      for (const copy of stores.lookup('copies', 'sourceField', installation.field)) {
        if (links.resolveTypePath(copy.fact.source, copy.file) !== installation.struct) continue;
        const struct = links.resolveTypePath(copy.fact.target, copy.file);
        if (!struct || seen.has(`${struct}.${copy.fact.field}`)) continue;
        seen.add(`${struct}.${copy.fact.field}`);
        found.push(copiedInstallation(installation, copy, struct));
      }
    }
    return sortInstallations(withoutRepeats(found));
  }

  /** Whether the tree has `name` as a variable or an enum constant. */
  private isData(name: string): boolean {
    return this.stores.has('variables', 'name', name) || this.stores.has('enumConstants', 'name', name);
  }

  /** Implementations of an indirect call; when the receiver type is unknown, every table that sets a field of that name. */
  candidatesOf(call: CallFact, file: string): { struct?: string; candidates: Installation[] } {
    const struct = this.links.resolveTypePath(call.receiver!, file);
    if (struct) {
      const candidates = this.implementations(struct, call.callee);
      const named = this.namedTableOf(call.receiver!, file, call.callee);
      return { struct, candidates: named ? candidates.filter(named.holds) : candidates };
    }
    const byName: Installation[] = [];
    for (const entry of this.stores.lookup('slots', 'fieldName', call.callee)) {
      if (!this.stores.has('functions', 'name', entry.fact.value)) continue;
      const installation = this.slotInstallation(entry);
      if (installation) byName.push({ ...installation, evidence: 'name-only' });
    }
    return { candidates: sortInstallations(byName) };
  }

  /**
   * For a call through a named table that sets the field (`tcp_prot.recvmsg(...)`), which
   * installations are that table's: the call reaches its slot, not every table of its type.
   */
  namedTableOf(
    receiver: TypePath,
    file: string,
    field: string,
  ): { holds: (installation: Installation) => boolean } | undefined {
    const name = receiver.global;
    if (name === undefined || receiver.fields.length > 0) return undefined;
    const slots = this.stores.lookup('slots', 'table', name).filter((slot) => slot.fact.field === field);
    if (slots.length === 0) return undefined;
    const own = slots.filter((slot) => slot.file === file);
    const files = new Set((own.length > 0 ? own : slots).map((slot) => slot.file));
    return {
      holds: (installation) =>
        installation.source.kind === 'slot' &&
        installation.source.table === name &&
        installation.copiedFrom === undefined &&
        files.has(installation.file),
    };
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
    const { function: fn, struct, field, source, file, span } = installation;
    const key = `${fn}|${struct}.${field}|${installerName(source)}|${file}:${span.line}:${span.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortInstallations(list: Installation[]): Installation[] {
  return list.sort(
    (a, b) =>
      evidenceStrength[b.evidence] - evidenceStrength[a.evidence] ||
      compareNames(a.function, b.function) ||
      compareNames(installerName(a.source), installerName(b.source)),
  );
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
