// Checks the kernelTrees setting when the extension starts and when it changes, so that a path that
// points nowhere is named at once (the server reports it too, in the status bar and the log).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { settingsSection } from '../../server/src/settings';

function missingKernelTrees(): string[] {
  const configured = vscode.workspace.getConfiguration(settingsSection).get<unknown>('kernelTrees');
  if (!Array.isArray(configured)) return [];
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  return configured
    .filter((tree): tree is string => typeof tree === 'string' && tree.trim() !== '')
    .map((tree) => path.resolve(base, tree))
    .filter((tree) => !existsSync(tree));
}

export function warnAboutMissingKernelTrees(output: vscode.OutputChannel): void {
  for (const tree of missingKernelTrees()) {
    const message = vscode.l10n.t(
      'Kernel tree {0} (setting {1}) does not exist.',
      tree,
      `${settingsSection}.kernelTrees`,
    );
    output.appendLine(`[client] ${message}`);
    void vscode.window.showWarningMessage(message);
  }
}
