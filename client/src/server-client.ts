// Starts the bundled language server (dist/server.js) over IPC. When the server process dies the
// client restarts it and tells the reader, up to a bound, instead of failing silently.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { clientCommands } from '../../server/src/protocol';
import { defaultSettings, readSettings, settingsSection } from '../../server/src/settings';

/** Restarts allowed within `restartWindowMs` before the client gives up. */
const maxRestarts = 5;
const restartWindowMs = 3 * 60 * 1000;

export interface ServerEvents {
  /** The server process ended unexpectedly; `willRestart` says whether the client starts it again. */
  onServerStopped(willRestart: boolean, restartCount: number): void;
}

export function createLanguageClient(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  events: ServerEvents,
): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    // Kernel sources and scenario files are both C; the server tells them apart.
    documentSelector: [{ scheme: 'file', language: 'c' }],
    synchronize: { configurationSection: settingsSection },
    initializationOptions: () => initializationOptions(),
    outputChannel: output,
    errorHandler: restartingErrorHandler(events),
    // A modelled function's hover links its scenarios to this command (and to no other).
    markdown: { isTrusted: { enabledCommands: [clientCommands.runScenarioOnModel] } },
  };
  return new LanguageClient('kernelNetReader', 'Kernel Net Reader', serverOptions, clientOptions);
}

/** The settings as the server's initialization options: `kernel` (trees, resolved against the first
 * workspace folder; absent means the workspace folders), `cache`, `locale`, `modelKernelVersion`. */
function initializationOptions(): Record<string, unknown> {
  const configuration = vscode.workspace.getConfiguration(settingsSection);
  const raw = Object.fromEntries(Object.keys(defaultSettings).map((name) => [name, configuration.get(name)]));
  const { settings } = readSettings(raw);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  return {
    kernel:
      settings.kernelTrees.length > 0
        ? settings.kernelTrees.map((tree) => path.resolve(base, tree))
        : undefined,
    cache: settings.cacheFolder === '' ? undefined : path.resolve(base, settings.cacheFolder),
    locale: settings.language === 'auto' ? vscode.env.language : settings.language,
    modelKernelVersion: settings.modelKernelVersion === '' ? undefined : settings.modelKernelVersion,
  };
}

function restartingErrorHandler(events: ServerEvents): ErrorHandler {
  let restarts: number[] = [];
  return {
    error(): ErrorHandlerResult {
      return { action: ErrorAction.Continue, handled: true };
    },
    closed(): CloseHandlerResult {
      const now = Date.now();
      restarts = restarts.filter((time) => now - time < restartWindowMs);
      const willRestart = restarts.length < maxRestarts;
      if (willRestart) restarts.push(now);
      events.onServerStopped(willRestart, restarts.length);
      return { action: willRestart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
    },
  };
}
