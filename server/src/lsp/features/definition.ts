// textDocument/definition: static symbols of the file first; on a designator's value the function,
// on the designator the field, on an indirect call the field of the receiver's struct.
import type { CancellationToken, DefinitionParams, Location } from 'vscode-languageserver';
import type { IndexQueries, SymbolLocation } from '../../index/queries';
import { symbolToLocation } from '../convert';
import type { Session } from '../session';
import { isCKeyword, targetAt, type Target } from '../target';
import { fieldSymbol, preferredDefinitions, resolveFieldPath, symbolsOfKind } from '../symbols';

export function definition(
  session: Session,
  params: DefinitionParams,
  _token: CancellationToken,
): Location[] | null {
  const place = session.place(params.textDocument.uri);
  if (!place) return null;
  const target = targetAt(session, place, params.position);
  if (!target) return null;
  const symbols = definitionsOf(place.index, place.file, target);
  return symbols.length > 0 ? symbols.map((symbol) => symbolToLocation(place.root, symbol)) : null;
}

function fieldOrNamesake(
  index: IndexQueries,
  file: string,
  struct: string | undefined,
  path: string,
): SymbolLocation[] {
  const resolved = struct === undefined ? undefined : resolveFieldPath(index, struct, path);
  if (resolved) return [fieldSymbol(resolved)];
  return symbolsOfKind(index, path.split('.').pop() ?? path, file, ['field']);
}

export function definitionsOf(index: IndexQueries, file: string, target: Target): SymbolLocation[] {
  switch (target.kind) {
    case 'call':
      return target.call.indirect
        ? fieldOrNamesake(index, file, target.call.struct, target.call.callee)
        : preferredDefinitions(index, target.call.callee, file);
    case 'slot-value':
      return preferredDefinitions(index, target.slot.value, file);
    case 'slot-field':
      return fieldOrNamesake(index, file, target.struct, target.field);
    case 'field':
      return [fieldSymbol({ struct: target.struct.name, field: target.field, file })];
    case 'member':
      return symbolsOfKind(index, target.word.name, file, ['field']);
    case 'name':
      if (isCKeyword(target.word.name)) return symbolsOfKind(index, target.word.name, file, ['macro']);
      // Struct tags have their own namespace in C: a bare `sock` is a variable, never `struct sock`.
      return target.afterStructKeyword
        ? symbolsOfKind(index, target.word.name, file, ['struct'])
        : preferredDefinitions(index, target.word.name, file).filter((symbol) => symbol.kind !== 'struct');
  }
}
