// workspace/symbol: the index's fuzzy search over every symbol name in every served tree.
import type { CancellationToken, SymbolInformation, WorkspaceSymbolParams } from 'vscode-languageserver';
import { symbolToLocation, toLspSymbolKind } from '../convert';
import { checkCancelled } from '../guard';
import type { Session } from '../session';

const limit = 200;

export function workspaceSymbols(
  session: Session,
  params: WorkspaceSymbolParams,
  token: CancellationToken,
): SymbolInformation[] {
  const results: SymbolInformation[] = [];
  for (const { root, index } of session.answeringIndexes()) {
    checkCancelled(token);
    for (const symbol of index.searchSymbols(params.query, limit)) {
      results.push({
        name: symbol.name,
        kind: toLspSymbolKind(symbol.kind),
        location: symbolToLocation(root, symbol),
        containerName: symbol.container,
      });
    }
  }
  return results.slice(0, limit);
}
