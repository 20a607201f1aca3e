// The facts of many files as integer tables (see fact-schema.ts), a string pool and a text blob:
// a whole kernel tree in a few hundred MB, saved and loaded as raw arrays without decoding a fact.
// Files are appended whole; replacing or removing a file marks its rows dead (they are skipped, and
// dropped by compact()). Facts are decoded into the plain objects of facts.ts only when asked for, by
// the row codec (row-codec.ts).
// Long because appending, marking dead, compacting and reading rows all keep one set of arrays consistent.
import type { FileFacts } from '../facts';
import type { FileProblem, ProblemKind } from '../file-indexer';
import {
  factKinds,
  layouts,
  schemas,
  tableNames,
  type ColumnKind,
  type FactOf,
  type FactKind,
  type TableName,
} from './fact-schema';
import { IntColumn } from './int-column';
import { SortedIndex } from './sorted-index';
import { StringPool } from './string-pool';
import { RowCodec } from './row-codec';
import { nameKeyOf, TextBlob } from './text-blob';
import type { PackedPiece } from './packed-piece';

/** The lookups by name the index needs: table -> key columns. */
const indexedColumns: readonly (readonly [TableName, string])[] = [
  ['functions', 'name'],
  ['structs', 'name'],
  ['typedefs', 'name'],
  ['enums', 'name'],
  ['enumConstants', 'name'],
  ['macros', 'name'],
  ['functionMacros', 'name'],
  ['variables', 'name'],
  ['tables', 'name'],
  ['tables', 'struct'],
  ['slots', 'value'],
  ['slots', 'fieldName'],
  ['slots', 'table'],
  ['bindings', 'value'],
  ['bindings', 'field'],
  ['registrations', 'value'],
  ['copies', 'field'],
  ['copies', 'sourceField'],
  ['arguments', 'name'],
  ['calls', 'callee'],
];

/** One file as the indexer saw it. */
export interface FileEntry {
  file: string;
  mtimeMs: number;
  size: number;
  problem?: FileProblem;
  facts?: FileFacts;
  /** Read lexically: nothing but preprocessor lines. */
  macroOnly?: true;
}

const rangeStride = factKinds.length * 2;

/** What an integer copied from another store points into: its pool, its text blob or one of its tables. */
type Renumbering = 'string' | 'text' | 'paths' | 'fields';

/** Per column kind, the integer of the column that points elsewhere (its place in the column), and into what. */
const pointerOfKind: Partial<Record<ColumnKind, [number, Renumbering]>> = {
  string: [0, 'string'],
  'optional-string': [0, 'string'],
  'name-list': [0, 'string'],
  text: [0, 'text'],
  'optional-text': [0, 'text'],
  'hashed-name': [1, 'text'],
  path: [0, 'paths'],
  'optional-path': [0, 'paths'],
  children: [0, 'fields'],
};

/** Per table, the integers of a row (position in the row) that appendStore renumbers. */
const renumbered = Object.fromEntries(
  tableNames.map((table) => [
    table,
    schemas[table].flatMap((spec): [number, Renumbering][] => {
      const pointer = pointerOfKind[spec.kind];
      return pointer ? [[layouts[table].columns[spec.key].offset + pointer[0], pointer[1]]] : [];
    }),
  ]),
) as Record<TableName, [number, Renumbering][]>;
const aliveFlag = 1;
const hasFactsFlag = 2;
const macroOnlyFlag = 4;

export type FlatArray = Int32Array | Uint8Array | Uint32Array | Float64Array;

/**
 * Everything a store is made of, as flat arrays: what is saved, loaded and sent between threads. A
 * growing column is a list of chunks; a loaded one is one array.
 */
export type StoreSections = Record<string, FlatArray | FlatArray[]>;

/**
 * The sections a loaded store can take unchecked, checking each chunk on its first use: the fact
 * tables and the texts, most of a saved index. The rest is read on every load.
 */
export const checkedOnFirstUse = (section: string): boolean =>
  section === 'text' || section.startsWith('table.');

const isFactKind = (table: TableName): table is FactKind => (factKinds as readonly string[]).includes(table);

/** Checks bytes [start, end) of a section named as in StoreSections; throws when they are damaged. */
export type SectionCheck = (section: string, start: number, end: number) => void;

export class FactStore {
  readonly pool: StringPool;
  readonly text: TextBlob;
  private readonly tables: Record<TableName, IntColumn>;
  private readonly filePaths: IntColumn;
  private readonly fileFlags: IntColumn;
  private readonly fileParseErrors: IntColumn;
  private readonly fileProblemKinds: IntColumn;
  private readonly fileProblemDetails: IntColumn;
  private readonly fileRanges: IntColumn;
  private readonly fileTimes: number[];
  private readonly fileSizes: number[];
  private readonly slotByPath = new Map<string, number>();
  /**
   * Files kept, listed and saved, but left out of lookups: another store holds their current facts
   * (an editor's text of a file whose disk version this store keeps).
   */
  private readonly hiddenSlots = new Set<number>();
  /**
   * Per fact table, the row ranges [start, end) of the files lookups leave out (removed or hidden),
   * flattened and ordered: a row found by name is told live without reading it, so its piece of a
   * loaded table can stay on disk. Rebuilt after a file is removed or hidden.
   */
  private readonly leftOutRows = new Map<FactKind, Int32Array>();
  private readonly indexes = new Map<string, SortedIndex>();
  private readonly codec: RowCodec;
  private deadRows = 0;
  /** With `check`, the sections of checkedOnFirstUse() are checked chunk by chunk on first use. */
  constructor(sections?: StoreSections, check?: SectionCheck) {
    const ints = (name: string) => sections?.[name] as Int32Array | Int32Array[] | undefined;
    const checkOf = (section: string) =>
      check && checkedOnFirstUse(section)
        ? (start: number, end: number) => check(section, start, end)
        : undefined;
    this.pool = new StringPool(
      sections
        ? {
            bytes: sections['pool.bytes'] as Uint8Array,
            offsets: sections['pool.offsets'] as Uint32Array,
            slots: sections['pool.slots'] as Int32Array,
          }
        : undefined,
    );
    this.text = new TextBlob(sections?.['text'] as Uint8Array | Uint8Array[] | undefined, checkOf('text'));
    this.tables = Object.fromEntries(
      tableNames.map((name) => [name, new IntColumn(ints(`table.${name}`), checkOf(`table.${name}`))]),
    ) as Record<TableName, IntColumn>;
    this.codec = new RowCodec(this.tables, this.pool, this.text);
    this.filePaths = new IntColumn(ints('files.path'));
    this.fileFlags = new IntColumn(ints('files.flags'));
    this.fileParseErrors = new IntColumn(ints('files.parseErrors'));
    this.fileProblemKinds = new IntColumn(ints('files.problemKind'));
    this.fileProblemDetails = new IntColumn(ints('files.problemDetail'));
    this.fileRanges = new IntColumn(ints('files.ranges'));
    this.fileTimes = [...((sections?.['files.mtime'] as Float64Array | undefined) ?? [])];
    this.fileSizes = [...((sections?.['files.size'] as Float64Array | undefined) ?? [])];
    for (let slot = 0; slot < this.filePaths.length; slot++) {
      if (this.fileFlags.get(slot) & aliveFlag)
        this.slotByPath.set(this.pool.get(this.filePaths.get(slot)), slot);
    }
    for (const [table, key] of indexedColumns) {
      const layout = layouts[table];
      const name = `${table}.${key}`;
      this.indexes.set(
        name,
        new SortedIndex(
          this.tables[table],
          layout.stride,
          layout.columns[key].offset,
          sections?.[`index.${name}`] as Int32Array | undefined,
          sections?.[`index.${name}.keys`] as Int32Array | undefined,
        ),
      );
    }
    const dead = sections?.['store.deadRows'] as Int32Array | undefined;
    this.deadRows = dead?.[0] ?? 0;
  }

  // ---- files -------------------------------------------------------------------------------

  /** The paths of the files this store holds, alive ones only. */
  files(): IterableIterator<string> {
    return this.slotByPath.keys();
  }

  /** The slots of the live files. */
  liveSlots(): IterableIterator<number> {
    return this.slotByPath.values();
  }

  slotOf(file: string): number | undefined {
    return this.slotByPath.get(file);
  }

  /** Whether lookups see the file's rows: not removed, replaced or hidden. */
  isAlive(slot: number): boolean {
    return (this.fileFlags.get(slot) & aliveFlag) !== 0 && !this.hiddenSlots.has(slot);
  }

  path(slot: number): string {
    return this.pool.get(this.filePaths.get(slot));
  }

  entry(slot: number, withFacts = true): FileEntry {
    const file = this.path(slot);
    const entry: FileEntry = { file, ...this.savedStat(slot) };
    const kind = this.fileProblemKinds.get(slot);
    if (kind >= 0) {
      entry.problem = {
        file,
        kind: this.pool.get(kind) as ProblemKind,
        detail: this.pool.get(this.fileProblemDetails.get(slot)),
      };
    }
    if (this.fileFlags.get(slot) & macroOnlyFlag) entry.macroOnly = true;
    if (withFacts && this.fileFlags.get(slot) & hasFactsFlag) entry.facts = this.facts(slot);
    return entry;
  }

  /** The file's modification time and size when it was indexed. */
  savedStat(slot: number): { mtimeMs: number; size: number } {
    return { mtimeMs: this.fileTimes[slot], size: this.fileSizes[slot] };
  }

  hasFacts(slot: number): boolean {
    return (this.fileFlags.get(slot) & hasFactsFlag) !== 0;
  }

  parseErrors(slot: number): number {
    return this.fileParseErrors.get(slot);
  }

  /** Rows [start, end) of `kind` that belong to the file in `slot`. */
  rows(slot: number, kind: FactKind): [start: number, end: number] {
    const at = slot * rangeStride + factKinds.indexOf(kind) * 2;
    const start = this.fileRanges.get(at);
    return [start, start + this.fileRanges.get(at + 1)];
  }

  /** Leaves the file out of lookups; unlike remove(), it stays listed and is saved. */
  hide(file: string): void {
    const slot = this.slotByPath.get(file);
    if (slot === undefined || this.hiddenSlots.has(slot)) return;
    this.hiddenSlots.add(slot);
    this.leftOutRows.clear();
  }

  /** Marks the file's rows dead; it is no longer listed. */
  remove(file: string): void {
    const slot = this.slotByPath.get(file);
    if (slot === undefined) return;
    this.fileFlags.set(slot, this.fileFlags.get(slot) & ~aliveFlag);
    this.slotByPath.delete(file);
    this.hiddenSlots.delete(slot);
    this.leftOutRows.clear();
    for (const kind of factKinds) {
      const [start, end] = this.rows(slot, kind);
      this.deadRows += end - start;
    }
  }

  /** The share of rows that belong to removed or replaced files. */
  deadShare(): number {
    const total = factKinds.reduce((sum, kind) => sum + this.rowCount(kind), 0);
    return total === 0 ? 0 : this.deadRows / total;
  }

  rowCount(table: TableName): number {
    return this.tables[table].length / layouts[table].stride;
  }

  // ---- appending ---------------------------------------------------------------------------

  /** Adds a file, replacing any earlier version of it. */
  append(entry: FileEntry): void {
    this.remove(entry.file);
    const slot = this.newSlot(entry);
    for (const kind of factKinds) {
      const at = slot * rangeStride + factKinds.indexOf(kind) * 2;
      this.fileRanges.set(at, this.rowCount(kind));
      const list = (entry.facts?.[kind] ?? []) as unknown as Record<string, unknown>[];
      for (const fact of list) this.codec.encode(kind, slot, fact);
      this.fileRanges.set(at + 1, list.length);
    }
  }

  private newSlot(entry: FileEntry): number {
    const slot = this.filePaths.length;
    this.filePaths.push(this.pool.intern(entry.file));
    this.fileFlags.push(aliveFlag | (entry.facts ? hasFactsFlag : 0) | (entry.macroOnly ? macroOnlyFlag : 0));
    this.fileParseErrors.push(entry.facts?.parseErrors ?? 0);
    this.fileProblemKinds.push(entry.problem ? this.pool.intern(entry.problem.kind) : -1);
    this.fileProblemDetails.push(entry.problem ? this.pool.intern(entry.problem.detail) : -1);
    this.fileTimes.push(entry.mtimeMs);
    this.fileSizes.push(entry.size);
    for (let i = 0; i < rangeStride; i++) this.fileRanges.push(0);
    this.slotByPath.set(entry.file, slot);
    return slot;
  }

  /**
   * Appends every live file of `batch` (a worker's store): its rows, texts and strings are copied in
   * bulk, then the integers that point elsewhere (file slots, strings, texts, rows of paths and
   * fields) are renumbered in place.
   */
  appendStore(batch: FactStore): void {
    const strings = new Int32Array(batch.pool.size).fill(-1);
    const string = (id: number) => {
      if (id < 0) return id;
      if (strings[id] < 0) strings[id] = this.pool.internFrom(batch.pool, id);
      return strings[id];
    };
    const rowBase = Object.fromEntries(tableNames.map((name) => [name, this.rowCount(name)])) as Record<
      TableName,
      number
    >;
    const slots = new Int32Array(batch.filePaths.length).fill(-1);
    for (let slot = 0; slot < batch.filePaths.length; slot++) {
      if (!batch.isAlive(slot)) continue;
      const entry = batch.entry(slot, false);
      this.remove(entry.file);
      const facts = batch.hasFacts(slot)
        ? ({ parseErrors: batch.parseErrors(slot) } as FileFacts)
        : undefined;
      slots[slot] = this.newSlot({ ...entry, facts });
      for (let k = 0; k < factKinds.length; k++) {
        const at = slot * rangeStride + k * 2;
        const to = slots[slot] * rangeStride + k * 2;
        this.fileRanges.set(to, batch.fileRanges.get(at) + rowBase[factKinds[k]]);
        this.fileRanges.set(to + 1, batch.fileRanges.get(at + 1));
      }
    }
    const textStarts = this.text.appendBlob(batch.text);
    // A store taking batches is a whole tree being indexed: its texts wait packed until it is saved.
    this.text.packFullChunks();
    const text = (offset: number) => (offset < 0 ? offset : TextBlob.movedOffset(textStarts, offset));
    for (const table of tableNames) {
      const { stride } = layouts[table];
      const out = this.tables[table];
      const first = out.length;
      out.appendColumn(batch.tables[table]);
      for (let at = first; at < out.length; at += stride) {
        out.set(at, slots[out.get(at)]);
        for (const [offset, target] of renumbered[table]) {
          const value = out.get(at + offset);
          let moved: number;
          switch (target) {
            case 'string':
              moved = string(value);
              break;
            case 'text':
              moved = text(value);
              break;
            default:
              moved = value < 0 ? value : value + rowBase[target];
          }
          out.set(at + offset, moved);
        }
      }
    }
  }

  /** A store with the live files only, its strings and texts rebuilt. */
  compact(): FactStore {
    const fresh = new FactStore();
    for (const slot of this.slotByPath.values()) fresh.append(this.entry(slot));
    return fresh;
  }

  // ---- reading -----------------------------------------------------------------------------

  /** An integer column of a row, by key (the first integer of a multi-integer column). */
  int(table: TableName, row: number, key: string): number {
    const layout = layouts[table];
    return this.tables[table].get(row * layout.stride + layout.columns[key].offset);
  }

  /** Counts the rows in [start, end) whose integer column `key` passes `test`, without decoding them. */
  countRows(
    table: TableName,
    key: string,
    start: number,
    end: number,
    test: (value: number) => boolean,
  ): number {
    const { stride, columns } = layouts[table];
    const data = this.tables[table];
    let count = 0;
    for (let at = start * stride + columns[key].offset; at < end * stride; at += stride)
      count += Number(test(data.get(at)));
    return count;
  }

  /** The file slot a row belongs to. */
  slotOfRow(table: TableName, row: number): number {
    return this.tables[table].get(row * layouts[table].stride);
  }

  string(table: TableName, row: number, key: string): string | undefined {
    const id = this.int(table, row, key);
    return id < 0 ? undefined : this.pool.get(id);
  }

  /** Rows of `table` whose indexed `key` column is the string `name`, live files only. */
  rowsNamed(table: TableName, key: string, name: string): number[] {
    const column = layouts[table].columns[key];
    if (column.kind === 'hashed-name') {
      return this.sortedIndex(table, key)
        .rowsWith(nameKeyOf(name))
        .filter(
          (row) => this.isLiveRow(table, row) && this.codec.hashedName(table, row, column.offset) === name,
        );
    }
    const id = this.pool.find(name);
    if (id < 0) return [];
    const rows = this.sortedIndex(table, key).rowsWith(id);
    return this.deadRows === 0 && this.hiddenSlots.size === 0
      ? rows
      : rows.filter((row) => this.isLiveRow(table, row));
  }

  /** Whether a row belongs to a file lookups see; a fact table's row is not read to tell. */
  private isLiveRow(table: TableName, row: number): boolean {
    if (!isFactKind(table)) return this.isAlive(this.slotOfRow(table, row));
    const ranges = this.leftOutRowsOf(table);
    // The last left-out range starting at or before the row.
    let low = 0;
    let high = ranges.length / 2;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (ranges[2 * middle] <= row) low = middle + 1;
      else high = middle;
    }
    return low === 0 || row >= ranges[2 * low - 1];
  }

  private leftOutRowsOf(kind: FactKind): Int32Array {
    let ranges = this.leftOutRows.get(kind);
    if (!ranges) {
      const found: [number, number][] = [];
      for (let slot = 0; slot < this.filePaths.length; slot++) {
        if (this.isAlive(slot)) continue;
        const [start, end] = this.rows(slot, kind);
        if (end > start) found.push([start, end]);
      }
      found.sort((a, b) => a[0] - b[0]);
      ranges = Int32Array.from(found.flat());
      this.leftOutRows.set(kind, ranges);
    }
    return ranges;
  }

  hasNamed(table: TableName, key: string, name: string): boolean {
    if (
      this.deadRows > 0 ||
      this.hiddenSlots.size > 0 ||
      layouts[table].columns[key].kind === 'hashed-name'
    ) {
      return this.rowsNamed(table, key, name).length > 0;
    }
    const id = this.pool.find(name);
    return id >= 0 && this.sortedIndex(table, key).hasKey(id);
  }

  /** Every distinct name in an indexed column, dead rows included (a caller dedupes across stores). */
  forEachName(table: TableName, key: string, visit: (name: string) => void): void {
    const column = layouts[table].columns[key];
    if (column.kind !== 'hashed-name') {
      this.sortedIndex(table, key).forEachKey((id) => visit(this.pool.get(id)));
      return;
    }
    this.codec.forEachHashedName(table, column.offset, visit);
  }

  private sortedIndex(table: TableName, key: string): SortedIndex {
    const index = this.indexes.get(`${table}.${key}`);
    if (!index) throw new Error(`${table}.${key} is not an indexed column`);
    return index;
  }

  decode<Table extends TableName>(table: Table, row: number): FactOf<Table> {
    return this.codec.decode(table, row);
  }

  /** Every fact of one file, decoded. */
  facts(slot: number): FileFacts {
    const facts = { file: this.path(slot) } as FileFacts;
    for (const kind of factKinds) {
      const [start, end] = this.rows(slot, kind);
      const list: unknown[] = [];
      for (let row = start; row < end; row++) list.push(this.decode(kind, row));
      (facts as unknown as Record<string, unknown>)[kind] = list;
    }
    facts.parseErrors = this.parseErrors(slot);
    return facts;
  }

  // ---- saving ------------------------------------------------------------------------------

  /**
   * The store as flat arrays (freezes the string pool), without its sorted indexes: a worker's batch
   * sends these, and the store it is appended to sorts the rows itself.
   */
  sections(): StoreSections {
    return this.sectionsWithText(this.text.filledChunks());
  }

  /** sections() for saving: the texts as pieces, packed ones as they are (see TextBlob.packFullChunks). */
  savedSections(): Record<string, FlatArray | FlatArray[] | (Uint8Array | PackedPiece)[]> {
    return this.sectionsWithText(this.text.savedPieces());
  }

  private sectionsWithText<Text>(text: Text): Record<string, FlatArray | FlatArray[] | Text> {
    const pool = this.pool.freeze();
    const sections: Record<string, FlatArray | FlatArray[] | Text> = {
      'pool.bytes': pool.bytes,
      'pool.offsets': pool.offsets,
      'pool.slots': pool.slots,
      text,
      'files.path': this.filePaths.filledChunks(),
      'files.flags': this.fileFlags.filledChunks(),
      'files.parseErrors': this.fileParseErrors.filledChunks(),
      'files.problemKind': this.fileProblemKinds.filledChunks(),
      'files.problemDetail': this.fileProblemDetails.filledChunks(),
      'files.ranges': this.fileRanges.filledChunks(),
      'files.mtime': Float64Array.from(this.fileTimes),
      'files.size': Float64Array.from(this.fileSizes),
      'store.deadRows': Int32Array.of(this.deadRows),
    };
    for (const name of tableNames) sections[`table.${name}`] = this.tables[name].filledChunks();
    return sections;
  }

  /**
   * The sorted indexes under their section names; a saved file holds each as one run (merged()) and
   * its keys (mergedKeys()) under the name with `.keys`.
   */
  indexSections(): [name: string, index: SortedIndex][] {
    return [...this.indexes].map(([name, index]) => [`index.${name}`, index]);
  }
}
