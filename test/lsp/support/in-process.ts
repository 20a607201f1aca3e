// The real server wired to a fake index, in this process, over a pair of streams: a JSON-RPC client
// on one end, `startLanguageServer` on the other. For the LSP layer's own tests.
import { PassThrough } from 'node:stream';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import type { IndexQueries } from '../../../server/src/index/queries';
import { startLanguageServer } from '../../../server/src/lsp/server';
import type { IndexBuild, IndexStarter } from '../../../server/src/lsp/session';

export interface InProcessServer {
  client: MessageConnection;
  /** Messages the server logged (window/logMessage). */
  logs: string[];
  /** Messages the server showed (window/showMessage). */
  shown: string[];
  indexed: Promise<void>;
  /** Ends the session as a client does (shutdown, then the connections closed). */
  close(): Promise<void>;
}

/** An index, a failure to start one, or a starter (for an index that is still being built). */
export type FakeIndexSource = IndexQueries | Error | ((options: Parameters<IndexStarter>[1]) => IndexBuild);

export async function startInProcess(
  root: string,
  index: FakeIndexSource,
  options: { locale?: string } = {},
): Promise<InProcessServer> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(toServer),
    new StreamMessageWriter(toClient),
  );
  let markIndexed: () => void = () => undefined;
  const indexed = new Promise<void>((resolve) => (markIndexed = resolve));
  startLanguageServer(serverConnection, {
    env: {},
    startIndex: (_root, startOptions) => {
      setImmediate(markIndexed);
      if (index instanceof Error) throw index;
      if (typeof index === 'function') return index(startOptions);
      return { index, ready: Promise.resolve() };
    },
  });
  const client = createMessageConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  const logs: string[] = [];
  const shown: string[] = [];
  client.onNotification('window/logMessage', (params: { message: string }) => void logs.push(params.message));
  client.onNotification(
    'window/showMessage',
    (params: { message: string }) => void shown.push(params.message),
  );
  client.listen();
  await client.sendRequest('initialize', {
    processId: null,
    rootUri: pathToFileURL(root).href,
    capabilities: {},
    locale: options.locale,
  });
  await client.sendNotification('initialized', {});
  return {
    client,
    logs,
    shown,
    indexed,
    async close() {
      await client.sendRequest('shutdown');
      client.dispose();
      serverConnection.dispose();
    },
  };
}
