// Lookups in index terms that several features share: fields by path, functions by name.
import type { FieldFact } from '../index/facts';
import type { IndexQueries, SymbolLocation } from '../index/queries';

export interface ResolvedField {
  struct: string;
  field: FieldFact;
  file: string;
}

/** Walks `ops.recvmsg` from `struct` through the fields' struct types. */
export function resolveFieldPath(
  index: IndexQueries,
  struct: string,
  path: string,
): ResolvedField | undefined {
  let current = struct;
  let resolved: ResolvedField | undefined;
  for (const segment of path.split('.')) {
    const found = index.struct(current);
    const field = found?.fact.fields.find((f) => f.name === segment);
    if (!found || !field) return undefined;
    resolved = { struct: current, field, file: found.file };
    current = field.typeTag ?? '';
  }
  return resolved;
}

/** `int (*recvmsg)(struct socket *, ...)` for a function pointer, `const struct proto_ops *ops` otherwise. */
export function fieldDeclaration(field: FieldFact): string {
  const pointer = /\(\s*\*[^()]*\)/;
  if (field.isFunctionPointer && pointer.test(field.type))
    return field.type.replace(pointer, `(*${field.name})`);
  return `${field.type} ${field.name}`;
}

export function fieldSymbol(resolved: ResolvedField): SymbolLocation {
  return {
    kind: 'field',
    name: resolved.field.name,
    file: resolved.file,
    span: resolved.field.nameSpan,
    container: resolved.struct,
    detail: fieldDeclaration(resolved.field),
  };
}

export function symbolsOfKind(
  index: IndexQueries,
  name: string,
  fromFile: string,
  kinds: readonly SymbolLocation['kind'][],
): SymbolLocation[] {
  return index.definitions(name, fromFile).filter((symbol) => kinds.includes(symbol.kind));
}

/** Definitions of a name; when some are functions or tables, those (the things one navigates to) only. */
export function preferredDefinitions(index: IndexQueries, name: string, fromFile: string): SymbolLocation[] {
  const all = index.definitions(name, fromFile);
  const code = all.filter((symbol) => symbol.kind !== 'field');
  return code.length > 0 ? code : all;
}
