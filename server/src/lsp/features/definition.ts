// textDocument/definition: what index/definition-lookup.ts finds for the target under the cursor.
import type { DefinitionParams, Location } from 'vscode-languageserver';
import { definitionsOf } from '../../index/definition-lookup';
import { symbolToLocation } from '../convert';
import { onTarget } from '../cursor';

export const definition = onTarget<DefinitionParams, Location[]>((session, place, target) => {
  const symbols = definitionsOf(place.index, place.file, target, session.localScope(place));
  return symbols.length > 0 ? symbols.map((symbol) => symbolToLocation(place.root, symbol)) : null;
});
