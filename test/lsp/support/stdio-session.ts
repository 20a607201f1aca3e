// Drives the built server (`knr lsp --stdio`) over stdio with the shared JSON-RPC client, as an
// editor would: initialize with a kernel tree, wait for its index, open documents, ask.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { indexStateNotification, type IndexStateParams } from '../../../server/src/protocol';
import { startLspServer, type LspSession } from '../../support/lsp-client';

export interface KernelServer {
  session: LspSession;
  /** A request by method name, or one of server/src/protocol.ts's custom requests. */
  request<R>(method: string | { method: string }, params: unknown): Promise<R>;
  /** Opens a file of the tree as the editor does (didOpen with its text); returns its URI. */
  open(file: string, text?: string): Promise<string>;
  uri(file: string): string;
  /** Resolves when the tree's index is complete. */
  ready: Promise<void>;
  /** Every $/progress value the server sent, in order. */
  progress: { kind: string; message?: string; percentage?: number }[];
  /** Every window/showMessage text. */
  shown: string[];
  close(): Promise<void>;
}

export interface KernelServerOptions {
  kernel: string;
  locale?: string;
  /** The index cache folder; a fresh temporary one by default. */
  cache?: string;
  /** Pass the kernel through `rootUri` instead of initialization options. */
  asWorkspace?: boolean;
}

export async function startKernelServer(options: KernelServerOptions): Promise<KernelServer> {
  const ownCache = options.cache === undefined ? mkdtempSync(join(tmpdir(), 'knr-lsp-cache-')) : undefined;
  const cache = options.cache ?? (ownCache as string);
  const session = startLspServer([], { KNR_CACHE: cache });
  const { connection } = session;
  let markReady: () => void = () => undefined;
  let markFailed: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  connection.onNotification(indexStateNotification, (params: IndexStateParams) => {
    if (params.state === 'ready') markReady();
    if (params.state === 'failed' || params.state === 'not-a-kernel-tree') {
      markFailed(new Error(`indexing ${params.root}: ${params.state}: ${params.message ?? ''}`));
    }
  });
  const progress: KernelServer['progress'] = [];
  const shown: string[] = [];
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification('$/progress', (params: { value: KernelServer['progress'][number] }) => {
    progress.push(params.value);
  });
  connection.onNotification('window/showMessage', (params: { message: string }) => {
    shown.push(params.message);
  });
  const versions = new Map<string, number>();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: options.asWorkspace ? pathToFileURL(options.kernel).href : null,
    locale: options.locale,
    capabilities: { window: { workDoneProgress: true } },
    initializationOptions: options.asWorkspace ? { cache } : { kernel: [options.kernel], cache },
  });
  await connection.sendNotification('initialized', {});
  const uri = (file: string) => pathToFileURL(join(options.kernel, file)).href;
  return {
    session,
    ready,
    progress,
    shown,
    uri,
    request: (method, params) =>
      connection.sendRequest(typeof method === 'string' ? method : method.method, params),
    async open(file, text) {
      const documentUri = uri(file);
      const version = (versions.get(documentUri) ?? 0) + 1;
      versions.set(documentUri, version);
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: {
          uri: documentUri,
          languageId: 'c',
          version,
          text: text ?? readFileSync(join(options.kernel, file), 'utf8'),
        },
      });
      return documentUri;
    },
    async close() {
      await session.close();
      if (ownCache) rmSync(ownCache, { recursive: true, force: true });
    },
  };
}
