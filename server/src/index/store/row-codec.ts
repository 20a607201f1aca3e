// How a fact becomes a row of integers in its table and back, by the layouts of fact-schema.ts:
// strings interned in the pool, texts in the blob, names front-coded, type paths and struct fields
// as rows of their own tables.
import type { Span } from '../facts';
import { layouts, schemas, type FactOf, type TableName } from './fact-schema';
import type { IntColumn } from './int-column';
import type { StringPool } from './string-pool';
import { nameKeyOf, type TextBlob } from './text-blob';

/**
 * Front coding of 'hashed-name' columns. A row's third integer holds the byte length of the text it
 * stores and, above it, how many leading bytes of its name are those of the row before. Only rows of
 * one file share, only ASCII bytes, and at most `longestSharingRun` rows in a row, so decoding a name
 * reads at most that many texts plus one.
 */
const sharedShift = 23;
/** A stored text is at most a TextBlob chunk (4 MiB), which 23 bits hold. */
const storedLengthMask = (1 << sharedShift) - 1;
const mostSharedBytes = 255;
const longestSharingRun = 15;

export class RowCodec {
  /** The last name encoded into a 'hashed-name' column: the next row may share its first bytes. */
  private lastName: { table?: TableName; row: number; slot: number; name: string; run: number } = {
    row: -1,
    slot: -1,
    name: '',
    run: 0,
  };

  constructor(
    private readonly tables: Record<TableName, IntColumn>,
    private readonly pool: StringPool,
    private readonly text: TextBlob,
  ) {}

  private rowCount(table: TableName): number {
    return this.tables[table].length / layouts[table].stride;
  }

  /** Appends `fact` as a row of `table` for the file in `slot`; returns the row. */
  encode(table: TableName, slot: number, fact: Record<string, unknown>): number {
    const row = this.rowCount(table);
    const out = this.tables[table];
    // Children and paths go to their own tables first, so this row's integers stay contiguous.
    const pending: number[] = [slot];
    for (const spec of schemas[table]) {
      const value = spec.derivedFrom ? spec.derivedFrom(fact) : fact[spec.key];
      switch (spec.kind) {
        case 'int':
          pending.push(value as number);
          break;
        case 'bool':
          pending.push(value ? 1 : 0);
          break;
        case 'optional-int':
          pending.push(value === undefined ? -1 : (value as number));
          break;
        case 'string':
          pending.push(this.pool.intern(value as string));
          break;
        case 'optional-string':
          pending.push(value === undefined ? -1 : this.pool.intern(value as string));
          break;
        case 'name-list':
          pending.push(this.pool.intern((value as string[]).join(' ')));
          break;
        case 'hashed-name': {
          const name = value as string;
          const shared = this.sharedWithLastName(table, row, slot, name);
          const [offset, length] = this.text.append(name.slice(shared));
          pending.push(nameKeyOf(name), offset, length | (shared << sharedShift));
          break;
        }
        case 'text':
        case 'optional-text':
          if (value === undefined) pending.push(-1, 0);
          else pending.push(...this.text.append(value as string));
          break;
        case 'span': {
          const span = value as Span;
          pending.push(span.line, span.column, span.endLine, span.endColumn);
          break;
        }
        case 'name-position': {
          const span = value as Span;
          pending.push(span.line, span.column);
          break;
        }
        case 'path':
        case 'optional-path':
          pending.push(
            value === undefined ? -1 : this.encode('paths', slot, value as Record<string, unknown>),
          );
          break;
        case 'children': {
          const children = value as Record<string, unknown>[];
          pending.push(this.rowCount('fields'), children.length);
          for (const child of children) this.encode('fields', slot, child);
          break;
        }
      }
    }
    for (const number of pending) out.push(number);
    return row;
  }

  /** How many leading bytes `name`, about to be row `row`, takes from the name of the row before. */
  private sharedWithLastName(table: TableName, row: number, slot: number, name: string): number {
    const last = this.lastName;
    let shared = 0;
    if (last.table === table && last.row === row - 1 && last.slot === slot && last.run < longestSharingRun) {
      const limit = Math.min(name.length, last.name.length, mostSharedBytes);
      while (
        shared < limit &&
        name.charCodeAt(shared) === last.name.charCodeAt(shared) &&
        name.charCodeAt(shared) < 0x80
      )
        shared++;
    }
    this.lastName = { table, row, slot, name, run: shared > 0 ? last.run + 1 : 0 };
    return shared;
  }

  decode<Table extends TableName>(table: Table, row: number): FactOf<Table> {
    const layout = layouts[table];
    const data = this.tables[table];
    const base = row * layout.stride;
    const fact: Record<string, unknown> = {};
    let nameLength = 0;
    for (const spec of schemas[table]) {
      if (spec.derivedFrom) continue;
      const at = base + layout.columns[spec.key].offset;
      const value = data.get(at);
      switch (spec.kind) {
        case 'int':
          fact[spec.key] = value;
          break;
        case 'bool':
          fact[spec.key] = value === 1;
          break;
        case 'optional-int':
          if (value >= 0) fact[spec.key] = value;
          break;
        case 'string': {
          const text = this.pool.get(value);
          if (spec.key === 'name') nameLength = text.length;
          fact[spec.key] = text;
          break;
        }
        case 'optional-string':
          if (value >= 0) fact[spec.key] = this.pool.get(value);
          break;
        case 'hashed-name': {
          const text = this.hashedName(table, row, layout.columns[spec.key].offset);
          if (spec.key === 'name') nameLength = text.length;
          fact[spec.key] = text;
          break;
        }
        case 'name-list': {
          const joined = this.pool.get(value);
          fact[spec.key] = joined === '' ? [] : joined.split(' ');
          break;
        }
        case 'text':
        case 'optional-text':
          if (value >= 0) this.textWhenRead(fact, spec.key, value, data.get(at + 1));
          break;
        case 'span':
          fact[spec.key] = {
            line: value,
            column: data.get(at + 1),
            endLine: data.get(at + 2),
            endColumn: data.get(at + 3),
          } satisfies Span;
          break;
        case 'name-position': {
          const column = data.get(at + 1);
          fact[spec.key] = {
            line: value,
            column,
            endLine: value,
            endColumn: column + nameLength,
          } satisfies Span;
          break;
        }
        case 'path':
        case 'optional-path':
          if (value >= 0) fact[spec.key] = this.decode('paths', value);
          break;
        case 'children': {
          const count = data.get(at + 1);
          const children: unknown[] = [];
          for (let i = 0; i < count; i++) children.push(this.decode('fields', value + i));
          fact[spec.key] = children;
          break;
        }
      }
    }
    // The table's schema made each key of this object, as encode() read them from such a fact.
    return fact as unknown as FactOf<Table>;
  }

  /**
   * Makes `fact[key]` the text at `offset`, read from the blob when the property is first read: a
   * lookup decodes many rows whose signature, comment or body nobody reads, and the blob's pieces
   * stay on disk until one is read (piece-reader.ts). The property is then a plain one.
   */
  private textWhenRead(fact: Record<string, unknown>, key: string, offset: number, length: number): void {
    const text = this.text;
    const settle = (value: unknown) =>
      Object.defineProperty(fact, key, { value, enumerable: true, configurable: true, writable: true });
    Object.defineProperty(fact, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = text.get(offset, length);
        settle(value);
        return value;
      },
      set: settle,
    });
  }

  /** The name in a 'hashed-name' column at `offset` of `row`, from the last row before it that shares nothing. */
  hashedName(table: TableName, row: number, offset: number): string {
    const stride = layouts[table].stride;
    const data = this.tables[table];
    let first = row;
    while (data.get(first * stride + offset + 2) >>> sharedShift > 0) first--;
    let name = '';
    for (let at = first * stride + offset; at <= row * stride + offset; at += stride)
      name = this.frontCoded(name, data.get(at + 1), data.get(at + 2));
    return name;
  }

  /** Every row's name in a 'hashed-name' column at `offset`, in row order. */
  forEachHashedName(table: TableName, offset: number, visit: (name: string) => void): void {
    const stride = layouts[table].stride;
    const data = this.tables[table];
    // A name sharing bytes with the row before is built from the name just visited.
    let name = '';
    for (let at = offset; at < data.length; at += stride) {
      name = this.frontCoded(name, data.get(at + 1), data.get(at + 2));
      visit(name);
    }
  }

  /** A front-coded name: the first bytes of the name before it, then its own text. */
  private frontCoded(nameBefore: string, textOffset: number, packedLength: number): string {
    return (
      nameBefore.slice(0, packedLength >>> sharedShift) +
      this.text.get(textOffset, packedLength & storedLengthMask)
    );
  }
}
