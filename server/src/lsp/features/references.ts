// textDocument/references: for a function, its direct calls and every slot and binding that installs
// it; for a table, where it is assigned, registered and referenced; for a function-pointer field, the
// slots that fill it and the indirect calls through it; for a macro, its calls.
import type { Location, ReferenceParams } from 'vscode-languageserver';
import type { IndexQueries, Installation, SymbolLocation } from '../../index/queries';
import { locationsOrNull, symbolToLocation, toLocation } from '../convert';
import { checkCancelled } from '../guard';
import type { Place, Session } from '../session';
import { onTarget } from '../cursor';
import { definitionsOf } from '../../index/definition-lookup';
import { installationsFor } from './implementation';

export const references = onTarget<ReferenceParams, Location[]>((session, place, target, params, token) => {
  const declarations = definitionsOf(place.index, place.file, target, session.localScope(place));
  const locations: Location[] = [];
  if (params.context.includeDeclaration) {
    locations.push(...declarations.map((symbol) => symbolToLocation(place.root, symbol)));
  }
  const field = declarations.find((symbol) => symbol.kind === 'field');
  if (field?.container !== undefined) {
    const installations = installationsFor(place.index, place.file, target) ?? [];
    locations.push(...installations.map((i) => toLocation(place.root, i.file, i.span)));
    locations.push(...indirectCallSites(place.index, place.root, field.container, field.name, installations));
  } else {
    for (const symbol of oneUseQueryEach(declarations)) {
      checkCancelled(token);
      locations.push(...usesOf(session, place, symbol));
    }
  }
  return locationsOrNull(locations);
});

/**
 * The declarations whose uses differ. Uses of a function, a struct or a macro depend on its name only
 * (a name may have hundreds of definitions, e.g. one per architecture); a table's uses depend on its
 * file.
 */
function oneUseQueryEach(declarations: SymbolLocation[]): SymbolLocation[] {
  const seen = new Set<string>();
  return declarations.filter((symbol) => {
    const byName = symbol.kind === 'function' || symbol.kind === 'struct' || symbol.kind === 'macro';
    const key = byName ? `${symbol.kind} ${symbol.name}` : `${symbol.kind} ${symbol.name} ${symbol.file}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function usesOf(session: Session, place: Place, symbol: SymbolLocation): Location[] {
  const { index, root } = place;
  switch (symbol.kind) {
    case 'function': {
      const calls = index
        .callers(symbol.name)
        .filter((edge) => edge.evidence === 'direct')
        .map((edge) => toLocation(root, edge.file, edge.span));
      const installs = index.installationsOf(symbol.name).map((i) => toLocation(root, i.file, i.span));
      return [...calls, ...installs];
    }
    case 'macro':
      // The index keeps calls, not every identifier: a macro's uses it knows are its calls in functions.
      return index
        .callers(symbol.name)
        .filter((edge) => edge.evidence === 'direct')
        .map((edge) => toLocation(root, edge.file, edge.span));
    case 'local': {
      // The declaration itself is listed above when the client asks for it.
      const scope = session.localScope(place);
      const uses = scope ? scope.declarations.uses(index, scope.readLine, symbol) : [];
      return uses
        .filter((span) => span.line !== symbol.span.line || span.column !== symbol.span.column)
        .map((span) => toLocation(root, symbol.file, span));
    }
    case 'table':
    case 'variable': {
      const table = index.table(symbol.name, symbol.file);
      return table ? table.uses.map((use) => toLocation(root, use.file, use.span)) : [];
    }
    case 'struct':
      return index.tablesOfStruct(symbol.name).map((table) => symbolToLocation(root, table.location));
    default:
      return [];
  }
}

/**
 * Call sites that go through `struct.field`. An indirect call through the field reaches every function
 * installed in it alike, so the callers of any one of them list all such sites: one query, not one
 * per implementation (a field such as `pernet_operations.init` has hundreds).
 */
function indirectCallSites(
  index: IndexQueries,
  root: string,
  struct: string,
  field: string,
  installations: Installation[],
): Location[] {
  const installed = installations.find((i) => i.struct === struct && i.field === field);
  if (!installed) return [];
  return index
    .callers(installed.function, { indirectOnly: true })
    .filter((edge) => edge.hop?.struct === struct && edge.hop.field === field)
    .map((edge) => toLocation(root, edge.file, edge.span));
}
