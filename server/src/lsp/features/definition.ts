// textDocument/definition: what index/definition-lookup.ts finds for the target under the cursor.
import type { CancellationToken, DefinitionParams, Location } from 'vscode-languageserver';
import { definitionsOf } from '../../index/definition-lookup';
import { symbolToLocation } from '../convert';
import { targetAt } from '../cursor';
import type { Session } from '../session';

export function definition(
  session: Session,
  params: DefinitionParams,
  _token: CancellationToken,
): Location[] | null {
  const place = session.place(params.textDocument.uri);
  if (!place) return null;
  const target = targetAt(session, place, params.position);
  if (!target) return null;
  const symbols = definitionsOf(place.index, place.file, target, session.localScope(place));
  return symbols.length > 0 ? symbols.map((symbol) => symbolToLocation(place.root, symbol)) : null;
}
