// The ops tables of the tree as the query API shows them: each with its filled slots, and where it is
// assigned or registered.
import type { Span } from './facts';
import type { IndexStores, Located } from './index-stores';
import type { NameLookup } from './name-lookup';
import type { TableSummary } from './queries';
import type { TypeLinks } from './type-links';

export class TableSummaries {
  constructor(
    private readonly stores: IndexStores,
    private readonly names: NameLookup,
    private readonly links: TypeLinks,
  ) {}

  private summary(
    entry: Located<{ name: string; struct: string; nameSpan: Span; isStatic: boolean }>,
  ): TableSummary {
    const { stores } = this;
    const { name, struct } = entry.fact;
    const variable = stores.lookup('variables', 'name', name).find((v) => v.file === entry.file);
    const uses: TableSummary['uses'] = [];
    for (const b of stores.lookup('bindings', 'value', name)) {
      const target = this.links.resolveTypePath(b.fact.target, b.file);
      uses.push({
        kind: 'assignment',
        function: b.fact.function,
        file: b.file,
        span: b.fact.span,
        detail: `${target ?? '?'}.${b.fact.field} = ${b.fact.addressOf ? '&' : ''}${name}`,
      });
    }
    for (const r of stores.lookup('registrations', 'value', name)) {
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
      slots: stores
        .lookup('slots', 'table', name)
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
    for (const tag of this.links.tagsNaming(struct)) {
      for (const store of this.stores.stores()) {
        for (const row of store.rowsNamed('tables', 'struct', tag)) {
          const file = store.path(store.slotOfRow('tables', row));
          found.push(this.summary({ file, fact: store.decode('tables', row) }));
        }
      }
    }
    return found;
  }

  table(name: string, fromFile?: string): TableSummary | undefined {
    const entries = this.stores.lookup('tables', 'name', name);
    const entry = this.names.ranked(entries, fromFile, (t) => t.isStatic)[0];
    return entry ? this.summary(entry) : undefined;
  }
}
