// Linking through types: what struct an expression's type path ends at (through struct fields,
// typedefs, member alias macros, globals and functions returning a pointer), and which typedef
// names lead to a struct.
import { PerGeneration } from './derived-cache';
import type { FunctionFact, SlotFact, TypePath } from './facts';
import type { IndexStores } from './index-stores';
import type { NameLookup } from './name-lookup';

/** Answers asked again and again while linking, for one generation of the facts. */
interface LinkCaches {
  canonicalTags: Map<string, string | undefined>;
  resolvedPaths: Map<string, string | undefined>;
  tagsNaming: Map<string, string[]>;
}

/** The struct tag a function's signature returns a pointer to: `struct packet_sock *pkt_sk(...)`. */
function returnTypeTag(fact: FunctionFact): string | undefined {
  const head = fact.signature.slice(0, fact.signature.indexOf(fact.name + '('));
  return /\b(?:struct|union)\s+(\w+)\s*\*/.exec(head)?.[1] ?? /(\w+)\s*\*\s*$/.exec(head)?.[1];
}

export class TypeLinks {
  private readonly caches = new PerGeneration<IndexStores, LinkCaches>(() => ({
    canonicalTags: new Map(),
    resolvedPaths: new Map(),
    tagsNaming: new Map(),
  }));

  constructor(
    private readonly stores: IndexStores,
    private readonly names: NameLookup,
  ) {}

  /** Follows typedefs to a struct tag: `sk_buff_data_t` stays, `socket_lock_t` becomes its struct. */
  canonicalTag(tag: string | undefined): string | undefined {
    if (tag === undefined) return undefined;
    const { canonicalTags } = this.caches.get(this.stores);
    if (canonicalTags.has(tag)) return canonicalTags.get(tag);
    let current: string | undefined = tag;
    for (let hops = 0; current && hops < 8; hops++) {
      if (this.stores.has('structs', 'name', current)) break;
      const next: string | undefined = this.stores.lookup('typedefs', 'name', current)[0]?.fact.typeTag;
      if (!next || next === current) break;
      current = next;
    }
    canonicalTags.set(tag, current);
    return current;
  }

  /** The struct tag an expression's type path ends at, or undefined when a step is unknown. */
  resolveTypePath(path: TypePath, fromFile: string): string | undefined {
    const { resolvedPaths } = this.caches.get(this.stores);
    const key = `${path.root ?? ''}|${path.global ?? ''}|${path.returnedBy ?? ''}|${path.fields.join('.')}|${fromFile}`;
    if (resolvedPaths.has(key)) return resolvedPaths.get(key);
    const tag = this.walkTypePath(path, fromFile);
    resolvedPaths.set(key, tag);
    return tag;
  }

  private walkTypePath(path: TypePath, fromFile: string): string | undefined {
    const { stores, names } = this;
    let tag = path.root;
    if (!tag && path.global) {
      const variables = stores.lookup('variables', 'name', path.global);
      const variable = names.ranked(variables, fromFile, (v) => v.isStatic)[0];
      tag = variable?.fact.typeTag;
    }
    if (!tag && path.returnedBy) {
      const fn =
        names.functionDefinitions(path.returnedBy, fromFile)[0] ??
        names.ranked(stores.lookup('functions', 'name', path.returnedBy), fromFile, (f) => f.isStatic)[0];
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
    const field = this.names.struct(tag, fromFile)?.fact.fields.find((f) => f.name === fieldName);
    if (field) return this.canonicalTag(field.typeTag);
    const alias = this.names.macroValue(fieldName);
    if (depth > 2 || !alias || !/^\w+(\.\w+)*$/.test(alias)) return undefined;
    let current: string | undefined = tag;
    for (const segment of alias.split('.')) {
      if (!current) return undefined;
      current = this.fieldTypeTag(current, segment, fromFile, depth + 1);
    }
    return current;
  }

  /** The struct and last field a slot's (possibly nested) field path lands in. */
  slotTarget(slot: SlotFact, file: string): { struct: string; field: string } | undefined {
    const parts = slot.field.split('.');
    const field = parts.pop()!;
    const struct = this.resolveTypePath({ root: slot.struct, fields: parts }, file);
    return struct ? { struct, field } : undefined;
  }

  /** `struct` and the typedef names that lead to it (`socket_lock_t`), as tables may name either. */
  tagsNaming(struct: string): string[] {
    const { tagsNaming } = this.caches.get(this.stores);
    const known = tagsNaming.get(struct);
    if (known) return known;
    const tags = [struct];
    tagsNaming.set(struct, tags);
    for (const store of this.stores.stores()) {
      store.forEachName('typedefs', 'name', (name) => {
        if (name !== struct && !tags.includes(name) && this.canonicalTag(name) === struct) tags.push(name);
      });
    }
    return tags;
  }
}
