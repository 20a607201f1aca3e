// Where a target is defined, and the lookups behind it (fields by path, definitions by name and
// kind). The editor's go-to-definition, hover and references and `knr definition` all answer from
// `definitionsOf`, so they cannot disagree.
import type { FieldFact } from './facts';
import type { LineReader, LocalDeclarations } from './local-declarations';
import type { IndexQueries, SymbolLocation } from './queries';
import { isCKeyword, type Target } from './target';

export interface ResolvedField {
  struct: string;
  field: FieldFact;
  file: string;
}

/** Walks `ops.recvmsg` from `struct` through the fields' struct types, as `fromFile` sees them. */
export function resolveFieldPath(
  index: IndexQueries,
  struct: string,
  path: string,
  fromFile?: string,
): ResolvedField | undefined {
  let current = struct;
  let resolved: ResolvedField | undefined;
  for (const segment of path.split('.')) {
    const found = index.struct(current, fromFile);
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
export function preferredDefinitions(index: IndexQueries, name: string, fromFile?: string): SymbolLocation[] {
  const all = index.definitions(name, fromFile);
  const code = all.filter((symbol) => symbol.kind !== 'field');
  return code.length > 0 ? code : all;
}

function fieldOrNamesake(
  index: IndexQueries,
  file: string,
  struct: string | undefined,
  path: string,
): SymbolLocation[] {
  const resolved = struct === undefined ? undefined : resolveFieldPath(index, struct, path, file);
  if (resolved) return [fieldSymbol(resolved)];
  return symbolsOfKind(index, path.split('.').pop() ?? path, file, ['field']);
}

/**
 * `struct NAME`, `union NAME`, `enum NAME`: the tag's definitions, and macros that rename the tag
 * (`#define rcu_head callback_head`), which the preprocessor applies before the compiler sees a tag;
 * in the index's one ranking, so a renaming in `tools/` does not hide the kernel's own struct.
 */
function tagDefinitions(
  index: IndexQueries,
  name: string,
  file: string,
  keyword: 'struct' | 'union' | 'enum',
): SymbolLocation[] {
  const tagKind = keyword === 'enum' ? 'enum' : 'struct';
  return index
    .definitions(name, file)
    .filter(
      (symbol) =>
        symbol.kind === tagKind ||
        (symbol.kind === 'macro' && /^#define \w+ [A-Za-z_]\w*$/.test(symbol.detail)),
    );
}

/** What finds parameters and locals: the parser, and the lines of the asked file as the asker sees them. */
export interface LocalScope {
  declarations: LocalDeclarations;
  readLine: LineReader;
}

/**
 * The definitions of what a target in `file` names, best first: a parameter or local of that name in
 * scope (when `locals` is given); static symbols of the file first; on a designator's value the
 * function, on the designator the field, on an indirect call the field of the receiver's struct.
 */
export function definitionsOf(
  index: IndexQueries,
  file: string,
  target: Target,
  locals?: LocalScope,
): SymbolLocation[] {
  const local = (line: number, name: string, column: number) =>
    locals?.declarations.at(index, file, locals.readLine, line, column, name);
  switch (target.kind) {
    case 'call': {
      if (target.call.indirect) return fieldOrNamesake(index, file, target.call.struct, target.call.callee);
      const declared = local(target.call.span.line, target.call.callee, target.word.start);
      return declared ? [declared] : preferredDefinitions(index, target.call.callee, file);
    }
    case 'slot-value':
      return preferredDefinitions(index, target.slot.value, file);
    case 'slot-field':
      return fieldOrNamesake(index, file, target.struct, target.field);
    case 'field':
      return [fieldSymbol({ struct: target.struct.name, field: target.field, file })];
    case 'member':
      return symbolsOfKind(index, target.word.name, file, ['field']);
    case 'name': {
      if (isCKeyword(target.word.name)) return symbolsOfKind(index, target.word.name, file, ['macro']);
      if (target.tagKeyword) return tagDefinitions(index, target.word.name, file, target.tagKeyword);
      const declared = local(target.line, target.word.name, target.word.start);
      if (declared) return [declared];
      // Tags have their own namespace in C: a bare `sock` is a variable, never `struct sock`.
      return preferredDefinitions(index, target.word.name, file).filter(
        (symbol) => symbol.kind !== 'struct' && symbol.kind !== 'enum',
      );
    }
  }
}
