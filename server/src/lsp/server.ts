// The wiring file: creates the session and registers one feature module per capability. Every
// request handler goes through `guarded` (errors answer that request only; cancellation honoured).
import {
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { localeFrom, messagesFor } from '../l10n';
import { toolVersion } from '../version';
import {
  callHierarchyIncoming,
  callHierarchyOutgoing,
  prepareCallHierarchy,
} from './features/call-hierarchy';
import { codeLenses, resolveCodeLens } from './features/code-lens';
import { configurationChanged } from './features/configuration';
import { definition } from './features/definition';
import { DocumentFollower } from './features/document-sync';
import { documentSymbols } from './features/document-symbols';
import { hover } from './features/hover';
import { implementation } from './features/implementation';
import { references } from './features/references';
import { status } from './features/status';
import { comparePath } from './features/compare-path';
import { TraceFeature, traceLenses } from './features/trace';
import { pollTrees, registerFileWatchers, watchedFilesChanged } from './features/watched-files';
import { workspaceSymbols } from './features/workspace-symbols';
import { guarded } from './guard';
import { indexTrees, warnNoKernel } from './indexing';
import { prepareReindexing } from './reindex';
import { chooseKernelRoots, readInitializationOptions, type RootChoice } from './kernel-root';
import { startKernelIndex } from './open-index';
import { statusRequest } from './protocol';
import {
  clearTraceRequest,
  comparePathRequest,
  compareLiveRequest,
  listScenariosRequest,
  pathDiagramRequest,
  runScenarioRequest,
  stepRequest,
} from '../protocol';
import { LocalDeclarations } from '../index/local-declarations';
import { Session, type IndexStarter } from './session';

export interface ServerOptions {
  /** How to start a tree's index; tests pass a fake. */
  startIndex?: IndexStarter;
  env?: NodeJS.ProcessEnv;
}

export function startLanguageServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const session = new Session(connection, documents);
  const follower = new DocumentFollower(session);
  const traces = new TraceFeature(session, connection, documents);
  const env = options.env ?? process.env;
  let rejected: RootChoice['rejected'] = [];
  let watchFiles = false;
  let polling: { dispose(): void } | undefined;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const initOptions = readInitializationOptions(params);
    for (const problem of initOptions.problems) session.log(problem);
    session.clientLocale = params.locale;
    session.messages = messagesFor(localeFrom(initOptions.locale ?? params.locale));
    session.cache = initOptions.cache ?? env.KNR_CACHE;
    session.arch = initOptions.arch;
    const roots = chooseKernelRoots(params, initOptions, env);
    rejected = roots.rejected;
    session.trees = roots.kernels.map((root) => ({
      root,
      state: 'indexing',
      progress: { done: 0, total: 0 },
    }));
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        definitionProvider: true,
        implementationProvider: true,
        referencesProvider: true,
        hoverProvider: true,
        callHierarchyProvider: true,
        codeLensProvider: { resolveProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        inlayHintProvider: true,
      },
      serverInfo: { name: 'kernel-net-reader', version: toolVersion },
    };
  });

  connection.onInitialized(() => {
    if (session.trees.length === 0) warnNoKernel(session, rejected);
    if (watchFiles) registerFileWatchers(connection);
    else polling = pollTrees(session, follower);
    if (session.trees.length > 0) {
      prepareReindexing();
      LocalDeclarations.create().then(
        (declarations) => (session.localDeclarations = declarations),
        (error: unknown) => session.log(`parameters and locals will not be found: ${String(error)}`),
      );
    }
    void indexTrees(session, options.startIndex ?? startKernelIndex, (tree) => {
      follower.reapplyEdited(tree.root);
      void traces.scenarioDocumentsChanged();
    });
  });

  connection.onDefinition(guarded(session, 'textDocument/definition', definition));
  connection.onImplementation(guarded(session, 'textDocument/implementation', implementation));
  connection.onReferences(guarded(session, 'textDocument/references', references));
  connection.onHover(guarded(session, 'textDocument/hover', (s, p, t) => hover(s, p, t, traces)));
  connection.languages.callHierarchy.onPrepare(
    guarded(session, 'textDocument/prepareCallHierarchy', prepareCallHierarchy),
  );
  connection.languages.callHierarchy.onIncomingCalls(
    guarded(session, 'callHierarchy/incomingCalls', callHierarchyIncoming),
  );
  connection.languages.callHierarchy.onOutgoingCalls(
    guarded(session, 'callHierarchy/outgoingCalls', callHierarchyOutgoing),
  );
  connection.onCodeLens(
    guarded(session, 'textDocument/codeLens', (s, params, token) => [
      ...(codeLenses(s, params, token) ?? []),
      ...traceLenses(s, params),
    ]),
  );
  connection.onCodeLensResolve(guarded(session, 'codeLens/resolve', resolveCodeLens));
  connection.onDocumentSymbol(guarded(session, 'textDocument/documentSymbol', documentSymbols));
  connection.onWorkspaceSymbol(guarded(session, 'workspace/symbol', workspaceSymbols));
  connection.onRequest(statusRequest, guarded(session, statusRequest.method, status));
  connection.onRequest(
    listScenariosRequest,
    guarded(session, listScenariosRequest.method, (_, p) => traces.listScenarios(p)),
  );
  connection.onRequest(
    runScenarioRequest,
    guarded(session, runScenarioRequest.method, (_, p) => traces.runScenario(p)),
  );
  connection.onRequest(
    stepRequest,
    guarded(session, stepRequest.method, (_, p) => traces.step(p)),
  );
  connection.onRequest(
    clearTraceRequest,
    guarded(session, clearTraceRequest.method, () => traces.clear()),
  );
  connection.onRequest(
    pathDiagramRequest,
    guarded(session, pathDiagramRequest.method, () => traces.pathDiagram()),
  );
  connection.onRequest(
    compareLiveRequest,
    guarded(session, compareLiveRequest.method, (_, p) => traces.compareLive(p)),
  );
  connection.onRequest(
    comparePathRequest,
    guarded(session, comparePathRequest.method, (s, p) => comparePath(s, p)),
  );
  connection.languages.inlayHint.on(
    guarded(session, 'textDocument/inlayHint', (_, p) => traces.inlayHints(p)),
  );

  documents.onDidOpen((event) => follower.opened(event));
  documents.onDidOpen((event) => void traces.publishScenarioDiagnostics(event.document));
  documents.onDidChangeContent((event) => void traces.publishScenarioDiagnostics(event.document));
  documents.onDidChangeContent((event) => follower.changed(event));
  documents.onDidClose((event) => follower.closed(event));
  connection.onDidChangeWatchedFiles((params) => watchedFilesChanged(follower, params));
  connection.onDidChangeConfiguration((params) => configurationChanged(session, params));
  connection.onShutdown(() => {
    session.shutDown = true;
    follower.dispose();
    polling?.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
