// A growable column of 32-bit integers: the storage of every fact table.

export class IntColumn {
  private data: Int32Array;
  length: number;

  constructor(initial?: Int32Array) {
    this.data = initial ?? new Int32Array(1024);
    this.length = initial?.length ?? 0;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /** Appends `values`, each plus `offset`. */
  pushAll(values: Int32Array, offset = 0): void {
    if (this.length + values.length > this.data.length) this.grow(this.length + values.length);
    if (offset === 0) this.data.set(values, this.length);
    else for (let i = 0; i < values.length; i++) this.data[this.length + i] = values[i] + offset;
    this.length += values.length;
  }

  get(index: number): number {
    return this.data[index];
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  /** The filled part, without copying; valid until the next push. */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }

  private grow(needed: number): void {
    // 1.5x rather than 2x: the columns of a whole tree are hundreds of MB.
    let capacity = Math.max(1024, this.data.length);
    while (capacity < needed) capacity = Math.ceil(capacity * 1.5);
    const next = new Int32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
