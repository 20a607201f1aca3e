// How each kind of fact is laid out as a row of 32-bit integers. One schema per table drives
// encoding, decoding and copying rows between stores (a worker's batch into the index), so adding a
// field to a fact is one line here. Every row starts with the number of the file it belongs to.
import type { FieldFact, FileFacts, TypePath } from '../facts';

export type ColumnKind =
  | 'int'
  | 'bool'
  /** -1 for absent. */
  | 'optional-int'
  /** A StringPool id. */
  | 'string'
  | 'optional-string'
  /**
   * A name kept out of the pool (millions of unique #define names would dominate it): a 21-bit hash
   * to look it up by, then the offset in the TextBlob of the name's rest, and in one integer the rest's
   * byte length and how many leading bytes the name shares with the row before it (front coding: the
   * register headers' names come in long families, `mmSDMA0_RLC0_...`). See fact-store.ts.
   */
  | 'hashed-name'
  /** Identifiers joined by spaces, one pool id. */
  | 'name-list'
  /** Offset and byte length in the TextBlob. */
  | 'text'
  | 'optional-text'
  /** line, column, endLine, endColumn. */
  | 'span'
  /** line, column of an identifier named by the row's `name`: its span is derived. */
  | 'name-position'
  /** A row of the `paths` table. */
  | 'path'
  | 'optional-path'
  /** First row and count in the `fields` table. */
  | 'children';

export interface ColumnSpec {
  key: string;
  kind: ColumnKind;
  /** Stored for lookups but not part of the decoded fact (e.g. the last segment of a slot's field path). */
  derivedFrom?: (fact: Record<string, unknown>) => string;
}

const columnWidth: Record<ColumnKind, number> = {
  int: 1,
  bool: 1,
  'optional-int': 1,
  string: 1,
  'optional-string': 1,
  'name-list': 1,
  'hashed-name': 3,
  text: 2,
  'optional-text': 2,
  span: 4,
  'name-position': 2,
  path: 1,
  'optional-path': 1,
  children: 2,
};

/** The fact kinds of FileFacts that are stored as tables (calls and macros included). */
export type FactKind = Exclude<keyof FileFacts, 'file' | 'parseErrors'>;
export type TableName = FactKind | 'fields' | 'paths';

/** What a row of each table decodes to: a fact of FileFacts, a struct's field, or a type path. */
export type FactOf<Table extends TableName> = Table extends FactKind
  ? FileFacts[Table][number]
  : Table extends 'fields'
    ? FieldFact
    : TypePath;

export const factKinds: readonly FactKind[] = [
  'functions',
  'structs',
  'typedefs',
  'enums',
  'enumConstants',
  'macros',
  'functionMacros',
  'variables',
  'tables',
  'slots',
  'bindings',
  'registrations',
  'copies',
  'calls',
  'arguments',
];

export const tableNames: readonly TableName[] = [...factKinds, 'fields', 'paths'];

const column = (key: string, kind: ColumnKind): ColumnSpec => ({ key, kind });

const lastSegment = (fact: Record<string, unknown>) => {
  const field = fact.field as string;
  return field.slice(field.lastIndexOf('.') + 1);
};

export const schemas: Record<TableName, readonly ColumnSpec[]> = {
  functions: [
    column('name', 'string'),
    column('span', 'span'),
    column('nameSpan', 'span'),
    column('isStatic', 'bool'),
    column('isDefinition', 'bool'),
    column('signature', 'text'),
    column('doc', 'optional-text'),
  ],
  structs: [
    column('name', 'string'),
    column('kind', 'string'),
    column('span', 'span'),
    column('nameSpan', 'span'),
    column('fields', 'children'),
    column('doc', 'optional-text'),
  ],
  fields: [
    column('name', 'string'),
    column('nameSpan', 'span'),
    column('type', 'string'),
    column('typeTag', 'optional-string'),
    column('isFunctionPointer', 'bool'),
  ],
  typedefs: [
    column('name', 'string'),
    column('nameSpan', 'span'),
    column('type', 'string'),
    column('typeTag', 'optional-string'),
  ],
  enums: [column('name', 'string'), column('nameSpan', 'span'), column('span', 'span')],
  enumConstants: [
    column('name', 'string'),
    column('nameSpan', 'span'),
    column('valueText', 'optional-string'),
    column('enumName', 'optional-string'),
    column('index', 'int'),
  ],
  macros: [column('name', 'hashed-name'), column('nameSpan', 'name-position'), column('value', 'string')],
  // Parameter lists repeat (`x`, `a, b`): pooled. Bodies hardly repeat: in the text blob.
  functionMacros: [
    column('name', 'string'),
    column('nameSpan', 'name-position'),
    column('parameters', 'string'),
    column('body', 'text'),
  ],
  variables: [
    column('name', 'string'),
    column('nameSpan', 'span'),
    column('isStatic', 'bool'),
    column('isDeclarationOnly', 'bool'),
    column('type', 'string'),
    column('typeTag', 'optional-string'),
    column('isArray', 'bool'),
  ],
  tables: [
    column('name', 'string'),
    column('struct', 'string'),
    column('nameSpan', 'span'),
    column('span', 'span'),
    column('isStatic', 'bool'),
    column('isArray', 'bool'),
    column('elements', 'int'),
  ],
  slots: [
    column('table', 'string'),
    column('struct', 'string'),
    column('element', 'optional-int'),
    column('field', 'string'),
    column('value', 'string'),
    column('addressOf', 'bool'),
    column('span', 'span'),
    column('recovered', 'bool'),
    { key: 'fieldName', kind: 'string', derivedFrom: lastSegment },
  ],
  bindings: [
    column('function', 'string'),
    column('target', 'path'),
    column('field', 'string'),
    column('value', 'string'),
    column('addressOf', 'bool'),
    column('span', 'span'),
  ],
  registrations: [
    column('function', 'string'),
    column('registrar', 'string'),
    column('value', 'string'),
    column('span', 'span'),
  ],
  copies: [
    column('function', 'string'),
    column('target', 'path'),
    column('field', 'string'),
    column('source', 'path'),
    column('sourceField', 'string'),
    column('span', 'span'),
  ],
  arguments: [
    column('function', 'string'),
    column('name', 'string'),
    column('passedTo', 'string'),
    column('line', 'int'),
    column('column', 'int'),
  ],
  calls: [
    column('caller', 'string'),
    column('line', 'int'),
    column('column', 'int'),
    column('callee', 'string'),
    column('receiver', 'optional-path'),
    column('via', 'optional-string'),
  ],
  paths: [
    column('root', 'optional-string'),
    column('global', 'optional-string'),
    column('returnedBy', 'optional-string'),
    column('fields', 'name-list'),
  ],
};

/** A column's position in its row (after the file number) and kind. */
export interface ColumnLayout {
  offset: number;
  kind: ColumnKind;
}

export interface TableLayout {
  /** Integers per row, the file number included. */
  stride: number;
  columns: Record<string, ColumnLayout>;
}

export const layouts = Object.fromEntries(
  tableNames.map((name) => {
    let offset = 1;
    const columns: Record<string, ColumnLayout> = {};
    for (const spec of schemas[name]) {
      columns[spec.key] = { offset, kind: spec.kind };
      offset += columnWidth[spec.kind];
    }
    return [name, { stride: offset, columns }];
  }),
) as Record<TableName, TableLayout>;
