// The VS Code extension's entry: wires the language client, the status bar, the trace state and its
// views, and the commands. Each piece lives in its own file; this one only connects them.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { activeTraceNotification, indexStateNotification } from '../../server/src/protocol';
import { settingsSection } from '../../server/src/settings';
import { commandIds, registerCommands } from './commands';
import { ComparePathPanel } from './compare-path';
import { FunctionVersions } from './function-versions';
import { IndexStatus } from './index-status';
import { KernelTreesContext } from './kernel-trees-context';
import { warnAboutMissingKernelTrees } from './kernel-tree-setting';
import { isScenarioDocument, serverWanted } from './kernel-workspace';
import { PathDiagramPanel } from './path-diagram';
import { createLanguageClient } from './server-client';
import { ServerRequests } from './server-requests';
import { StepHighlight } from './step-highlight';
import { TraceState } from './trace-state';
import { createTraceView } from './trace-view';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Kernel Net Reader', { log: true });
  const status = new IndexStatus(commandIds.showLog);
  const state = new TraceState();
  const diagram = new PathDiagramPanel();
  const treesContext = new KernelTreesContext();
  const functionVersions = new FunctionVersions();
  const comparison = new ComparePathPanel(functionVersions);

  client = createLanguageClient(context, output, {
    onServerStopped(willRestart, restartCount) {
      state.set(null);
      status.showServerStopped(willRestart);
      const message = willRestart
        ? vscode.l10n.t(
            'The Kernel Net Reader language server stopped unexpectedly; restarting it (restart {0}).',
            restartCount,
          )
        : vscode.l10n.t(
            'The Kernel Net Reader language server stopped too often and was not restarted. See the log.',
          );
      output.appendLine(`[client] ${message}`);
      void vscode.window.showWarningMessage(message);
    },
  });
  const requests = new ServerRequests(client, output);

  client.onDidChangeState((change) => {
    if (change.newState === State.Running) status.showRunning();
    // A new server process has no active trace.
    if (change.newState === State.Stopped) {
      state.set(null);
      treesContext.clear();
    }
  });
  client.onNotification(indexStateNotification, (params) => {
    status.update(params);
    treesContext.update(params);
  });
  client.onNotification(activeTraceNotification, (params) => state.set(params.trace));

  let started = false;
  const start = async (): Promise<void> => {
    if (started) return;
    started = true;
    status.showStarting();
    try {
      await client?.start();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      output.appendLine(`[client] the language server did not start: ${reason}`);
      status.showServerStopped(false);
      void vscode.window.showErrorMessage(
        vscode.l10n.t('The Kernel Net Reader language server did not start: {0}', reason),
      );
    }
  };

  context.subscriptions.push(
    output,
    status,
    state,
    diagram,
    functionVersions,
    comparison,
    new StepHighlight(state),
    createTraceView('kernelNetReader.trace', state, commandIds.revealEvent),
    ...registerCommands({ client, requests, state, diagram, comparison, output }),
    vscode.workspace.onDidChangeConfiguration(async (change) => {
      if (!change.affectsConfiguration(settingsSection)) return;
      if (change.affectsConfiguration(`${settingsSection}.kernelTrees`)) warnAboutMissingKernelTrees(output);
      if (!started) {
        if (serverWanted()) await start();
        return;
      }
      // The server reads the settings once, at initialisation.
      output.appendLine('[client] settings changed; restarting the language server');
      await client?.restart();
    }),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (!started && isScenarioDocument(document)) void start();
    }),
  );

  warnAboutMissingKernelTrees(output);
  if (serverWanted()) {
    await start();
  } else {
    status.showNoKernelTree();
    output.appendLine(
      `[client] ${vscode.l10n.t('Not a kernel tree: the language server starts when a scenario file opens or {0} is set.', `${settingsSection}.kernelTrees`)}`,
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
