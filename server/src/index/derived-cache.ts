// Answers derived from an index elsewhere (scenario constants, resolved anchors, file text, library
// traces) are kept per index, and an index changes in place as files are indexed or edited. Every
// change bumps the index's generation; a cache made here drops what it holds for an older one, so no
// derived answer outlives the facts it came from.

/** Anything with a generation that changes whenever what it answers may change. */
export interface Generational {
  readonly generation: number;
}

export class PerGeneration<Key extends Generational, Value> {
  private readonly entries = new WeakMap<Key, { generation: number; value: Value }>();

  constructor(private readonly make: (key: Key) => Value) {}

  /** The value made for the key's current generation (made now if the key changed since). */
  get(key: Key): Value {
    const entry = this.entries.get(key);
    if (entry && entry.generation === key.generation) return entry.value;
    const value = this.make(key);
    this.entries.set(key, { generation: key.generation, value });
    return value;
  }
}
