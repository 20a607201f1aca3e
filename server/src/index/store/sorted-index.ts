// Rows of one table ordered by one column (a name's pool id), for lookups by name. Rows appended
// after the last lookup are sorted into a new run when the next lookup comes, so a store that is
// still filling answers with what it has. A run is merged with the one before it while that one is
// not much bigger (so there are few runs, and each row is re-sorted a logarithmic number of times),
// and all into one before the index is saved, with each row's key beside it: a loaded index finds
// rows without reading the table, whose pieces stay on disk until a row is read (piece-reader.ts).
import type { IntColumn } from './int-column';

const rowBits = 2 ** 26;
/**
 * Counting costs an array as long as the key range: worth it while the range is within this many
 * keys per row. A store being filled sorts its few new rows over the whole pool's ids by comparison.
 */
const denseKeysPerRow = 4;

export class SortedIndex {
  private runs: Int32Array[];
  /** The key of each row of a run, for a loaded run; a run sorted here reads its keys from the table. */
  private runKeys: (Int32Array | undefined)[];
  /** The first row each run covers: run i holds rows [runStarts[i], runStarts[i + 1]). */
  private runStarts: number[];
  private indexedRows: number;

  /**
   * `table` holds rows of `stride` integers; the key is at `offset` in each row. `persisted` is a
   * saved single run covering the first `persisted.length` rows, and `persistedKeys` its rows' keys
   * (mergedKeys()).
   */
  constructor(
    private readonly table: IntColumn,
    private readonly stride: number,
    private readonly offset: number,
    persisted?: Int32Array,
    persistedKeys?: Int32Array,
  ) {
    if (persistedKeys && persistedKeys.length !== persisted?.length)
      throw new Error(`a sorted index has ${persistedKeys.length} keys for ${persisted?.length ?? 0} rows`);
    this.runs = persisted && persisted.length > 0 ? [persisted] : [];
    this.runKeys = this.runs.map(() => persistedKeys);
    this.runStarts = this.runs.length > 0 ? [0] : [];
    this.indexedRows = persisted?.length ?? 0;
  }

  /** Every row whose key is `key`, in row order within each run. */
  rowsWith(key: number): number[] {
    this.catchUp();
    const found: number[] = [];
    this.runs.forEach((run, r) => {
      for (let i = this.lowerBound(r, key); i < run.length && this.keyAt(r, i) === key; i++)
        found.push(run[i]);
    });
    return found;
  }

  hasKey(key: number): boolean {
    this.catchUp();
    return this.runs.some((run, r) => {
      const i = this.lowerBound(r, key);
      return i < run.length && this.keyAt(r, i) === key;
    });
  }

  /** Every distinct key, in no particular order. */
  forEachKey(visit: (key: number) => void): void {
    this.catchUp();
    this.runs.forEach((run, r) => {
      let previous = -1;
      for (let i = 0; i < run.length; i++) {
        const key = this.keyAt(r, i);
        if (key !== previous) visit(key);
        previous = key;
      }
    });
  }

  /** One run over every row, for saving. */
  merged(): Int32Array {
    this.catchUp();
    if (this.runs.length > 1) {
      this.runs = [this.sortRows(0, this.rowCount())];
      this.runKeys = [undefined];
      this.runStarts = [0];
    }
    return this.runs[0] ?? new Int32Array(0);
  }

  /** The key of each row of merged(), in its order, for saving beside it. */
  mergedKeys(): Int32Array {
    const rows = this.merged();
    return this.runKeys[0] ?? rows.map((row) => this.keyOf(row));
  }

  /** Rows of the table, all of which merged() orders. */
  rowCount(): number {
    return this.table.length / this.stride;
  }

  private keyOf(row: number): number {
    return this.table.get(row * this.stride + this.offset);
  }

  /** The key of entry `i` of run `r`. */
  private keyAt(r: number, i: number): number {
    return this.runKeys[r]?.[i] ?? this.keyOf(this.runs[r][i]);
  }

  private catchUp(): void {
    const rows = this.rowCount();
    if (rows === this.indexedRows) return;
    let start = this.indexedRows;
    while (this.runs.length > 0 && this.runs[this.runs.length - 1].length <= 2 * (rows - start)) {
      this.runs.pop();
      this.runKeys.pop();
      start = this.runStarts.pop()!;
    }
    this.runs.push(this.sortRows(start, rows));
    this.runKeys.push(undefined);
    this.runStarts.push(start);
    this.indexedRows = rows;
  }

  /**
   * Rows [from, to) sorted by (key, row). Where the keys are dense (a whole tree's rows over its pool
   * ids), by counting them, which is linear; else by one numeric sort of key * 2^26 + row offset.
   */
  private sortRows(from: number, to: number): Int32Array {
    const keys = new Int32Array(to - from);
    let lowest = 0;
    let highest = 0;
    for (let row = from; row < to; row++) {
      const key = this.keyOf(row);
      keys[row - from] = key;
      lowest = row === from ? key : Math.min(lowest, key);
      highest = row === from ? key : Math.max(highest, key);
    }
    const keyRange = highest - lowest + 1;
    return keyRange <= denseKeysPerRow * keys.length
      ? countingSort(keys, lowest, keyRange, from)
      : numericSort(keys, from);
  }

  /** The first entry of run `r` whose key is not below `key`. */
  private lowerBound(r: number, key: number): number {
    let low = 0;
    let high = this.runs[r].length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.keyAt(r, middle) < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Row numbers `base + i` ordered by keys[i], stably: a count per key, then each row in its place. */
function countingSort(keys: Int32Array, lowest: number, keyRange: number, base: number): Int32Array {
  const starts = new Int32Array(keyRange + 1);
  for (const key of keys) starts[key - lowest + 1]++;
  for (let i = 1; i <= keyRange; i++) starts[i] += starts[i - 1];
  const rows = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) rows[starts[keys[i] - lowest]++] = base + i;
  return rows;
}

function numericSort(keys: Int32Array, base: number): Int32Array {
  const order = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) order[i] = keys[i] * rowBits + i;
  order.sort();
  const rows = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) rows[i] = base + (order[i] % rowBits);
  return rows;
}
