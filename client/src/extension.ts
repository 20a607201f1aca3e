// The VS Code extension's entry: wires the language client, the status bar, the trace state and its
// views, and the commands. Each piece lives in its own file; this one only connects them.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { activeTraceNotification, indexStateNotification } from '../../server/src/protocol';
import { settingsSection } from '../../server/src/settings';
import { commandIds, registerCommands } from './commands';
import { IndexStatus } from './index-status';
import { warnAboutMissingKernelTrees } from './kernel-tree-setting';
import { PathDiagramPanel } from './path-diagram';
import { createLanguageClient } from './server-client';
import { ServerRequests } from './server-requests';
import { StepHighlight } from './step-highlight';
import { TraceState } from './trace-state';
import { TraceTreeProvider } from './trace-view';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Kernel Net Reader', { log: true });
  const status = new IndexStatus(commandIds.showLog);
  const state = new TraceState();
  const diagram = new PathDiagramPanel();

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
    if (change.newState === State.Stopped) state.set(null);
  });
  client.onNotification(indexStateNotification, (params) => status.update(params));
  client.onNotification(activeTraceNotification, (params) => state.set(params.trace));

  context.subscriptions.push(
    output,
    status,
    state,
    diagram,
    new StepHighlight(state),
    vscode.window.registerTreeDataProvider(
      'kernelNetReader.trace',
      new TraceTreeProvider(state, commandIds.revealEvent),
    ),
    ...registerCommands({ client, requests, state, diagram, output }),
    vscode.workspace.onDidChangeConfiguration(async (change) => {
      if (!change.affectsConfiguration(settingsSection)) return;
      if (change.affectsConfiguration(`${settingsSection}.kernelTrees`)) warnAboutMissingKernelTrees(output);
      // The server reads the settings once, at initialisation.
      output.appendLine('[client] settings changed; restarting the language server');
      await client?.restart();
    }),
  );

  warnAboutMissingKernelTrees(output);
  try {
    await client.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    output.appendLine(`[client] the language server did not start: ${reason}`);
    status.showServerStopped(false);
    void vscode.window.showErrorMessage(
      vscode.l10n.t('The Kernel Net Reader language server did not start: {0}', reason),
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
