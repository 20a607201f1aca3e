// Where the facts of every file are held: the base store (a whole tree: built by the indexer, saved
// and loaded as flat arrays) and a small overlay for files replaced one at a time (open documents,
// watched files), which hides the base's version of the same file. Every change bumps the
// generation, which every cache derived from these facts keys on. Facts are decoded only for what
// a query returns.
import type { Generational } from './derived-cache';
import { defaultArch } from './definition-rank';
import type { FileFacts } from './facts';
import type { FactKind, FactOf, TableName } from './store/fact-schema';
import { FactStore } from './store/fact-store';

/** A fact with the file it is in. */
export interface Located<T> {
  file: string;
  fact: T;
}

/** An overlay with more dead rows than this (and than live ones) is rebuilt, so edits do not pile up. */
const overlayGarbageRows = 50_000;
/** Recently decoded files kept whole: requests cluster on the open documents. */
const decodedFilesKept = 16;

export class IndexStores implements Generational {
  private base = new FactStore();
  private overlay = new FactStore();
  private readonly decodedFiles = new Map<string, FileFacts>();
  /** The architecture whose `arch/<a>/` definitions rank with the generic code; see definition-rank.ts. */
  private arch = defaultArch;
  private changes = 0;

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

  // ---- reading -----------------------------------------------------------------------------

  stores(): FactStore[] {
    return [this.base, this.overlay];
  }

  /** The store and slot that hold a file's current facts. */
  locate(file: string): { store: FactStore; slot: number } | undefined {
    for (const store of [this.overlay, this.base]) {
      const slot = store.slotOf(file);
      if (slot !== undefined) return { store, slot };
    }
    return undefined;
  }

  /** Every fact of `table` whose indexed `key` is `name`, with its file. */
  lookup<Table extends TableName>(table: Table, key: string, name: string): Located<FactOf<Table>>[] {
    const found: Located<FactOf<Table>>[] = [];
    for (const store of this.stores()) {
      for (const row of store.rowsNamed(table, key, name)) {
        found.push({ file: store.path(store.slotOfRow(table, row)), fact: store.decode(table, row) });
      }
    }
    return found;
  }

  has(table: TableName, key: string, name: string): boolean {
    return this.stores().some((store) => store.hasNamed(table, key, name));
  }

  /** The facts of one kind in one file, decoded. */
  factsOf<Kind extends FactKind>(file: string, kind: Kind): FactOf<Kind>[] {
    const place = this.locate(file);
    if (!place) return [];
    const [start, end] = place.store.rows(place.slot, kind);
    const list: FactOf<Kind>[] = [];
    for (let row = start; row < end; row++) list.push(place.store.decode(kind, row));
    return list;
  }

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
}
