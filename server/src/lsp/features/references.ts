// textDocument/references: for a function, its direct calls and every slot, binding and registration
// that installs it; for a table, where it is assigned, registered and referenced; for a
// function-pointer field, the slots that fill it and the indirect calls through it.
import type { CancellationToken, Location, ReferenceParams } from 'vscode-languageserver';
import type { IndexQueries, SymbolLocation } from '../../index/queries';
import { symbolToLocation, toLocation, uniqueLocations } from '../convert';
import { checkCancelled } from '../guard';
import type { Place, Session } from '../session';
import { targetAt } from '../target';
import { definitionsOf } from './definition';
import { installationsFor } from './implementation';

export function references(
  session: Session,
  params: ReferenceParams,
  token: CancellationToken,
): Location[] | null {
  const place = session.place(params.textDocument.uri);
  if (!place) return null;
  const target = targetAt(session, place, params.position);
  if (!target) return null;
  const declarations = definitionsOf(place.index, place.file, target);
  const locations: Location[] = [];
  if (params.context.includeDeclaration) {
    locations.push(...declarations.map((symbol) => symbolToLocation(place.root, symbol)));
  }
  const field = declarations.find((symbol) => symbol.kind === 'field');
  if (field?.container !== undefined) {
    const installations = installationsFor(place.index, place.file, target) ?? [];
    locations.push(...installations.map((i) => toLocation(place.root, i.file, i.span)));
    locations.push(
      ...indirectCallSites(place.index, place.root, field.container, field.name, installations, token),
    );
  } else {
    for (const symbol of declarations) {
      checkCancelled(token);
      locations.push(...usesOf(place, symbol));
    }
  }
  const unique = uniqueLocations(locations);
  return unique.length > 0 ? unique : null;
}

function usesOf(place: Place, symbol: SymbolLocation): Location[] {
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

/** Call sites that go through `struct.field`, found from the callers of its implementations. */
function indirectCallSites(
  index: IndexQueries,
  root: string,
  struct: string,
  field: string,
  installations: { function: string }[],
  token: CancellationToken,
): Location[] {
  const sites: Location[] = [];
  for (const fn of new Set(installations.map((i) => i.function))) {
    checkCancelled(token);
    for (const edge of index.callers(fn)) {
      if (edge.hop?.struct === struct && edge.hop.field === field)
        sites.push(toLocation(root, edge.file, edge.span));
    }
  }
  return sites;
}
