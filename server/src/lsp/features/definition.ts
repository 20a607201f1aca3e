// textDocument/definition: what index/definition-lookup.ts finds for the target under the cursor.
import type { CancellationToken, DefinitionParams, Location } from 'vscode-languageserver';
import { definitionsOf } from '../../index/definition-lookup';
import { symbolToLocation } from '../convert';
import { placeAndTarget } from '../cursor';
import type { Session } from '../session';

export function definition(
  session: Session,
  params: DefinitionParams,
  _token: CancellationToken,
): Location[] | null {
  const found = placeAndTarget(session, params);
  if (!found) return null;
  const { place, target } = found;
  const symbols = definitionsOf(place.index, place.file, target, session.localScope(place));
  return symbols.length > 0 ? symbols.map((symbol) => symbolToLocation(place.root, symbol)) : null;
}
