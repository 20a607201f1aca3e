// Whether this window has something for the language server: a kernel tree (configured, in
// KNR_KERNEL, or a workspace folder that looks like one) or an open scenario file. The extension
// activates on any C file; it starts the server only then, so a lone C file elsewhere costs nothing.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isScenarioText } from '../../server/src/scenario/scenario-text';
import { settingsSection } from '../../server/src/settings';

/** The activation events' mark of a kernel tree; the server checks the tree fully (Makefile, include/linux). */
const kernelTreeMarks = ['Makefile', path.join('net', 'socket.c')];

function looksLikeKernelTree(folder: string): boolean {
  return kernelTreeMarks.every((mark) => existsSync(path.join(folder, mark)));
}

export function isScenarioDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'c' && isScenarioText(document.getText());
}

export function serverWanted(): boolean {
  const configured = vscode.workspace.getConfiguration(settingsSection).get<unknown>('kernelTrees');
  if (Array.isArray(configured) && configured.length > 0) return true;
  if (process.env.KNR_KERNEL) return true;
  if ((vscode.workspace.workspaceFolders ?? []).some((f) => looksLikeKernelTree(f.uri.fsPath))) return true;
  return vscode.workspace.textDocuments.some(isScenarioDocument);
}
