// Whether the extension host can run scenarios on its live kernel: a trusted workspace, Linux, root.
// The server checks again (and more, such as iproute2 and gcc); this catches the common cases early
// with a clear message.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';

export function liveKernelUnavailableReason(): string | undefined {
  // The live commands compile the workspace's C files and run them as root: only a trusted workspace may.
  if (!vscode.workspace.isTrusted) {
    return vscode.l10n.t(
      'Live runs are disabled in an untrusted workspace: they compile C files of the workspace and run them as root. Trust the workspace (Workspaces: Manage Workspace Trust) to use them.',
    );
  }
  if (process.platform !== 'linux') {
    return vscode.l10n.t(
      'Live runs need the extension host to run on Linux (it runs on {0}).',
      process.platform,
    );
  }
  const uid = process.getuid?.();
  if (uid !== 0) {
    return vscode.l10n.t(
      'Live runs need root to create network namespaces (the extension host runs as uid {0}).',
      String(uid),
    );
  }
  if (!existsSync('/proc/self/ns/net')) {
    return vscode.l10n.t('Live runs need network namespaces, which this kernel does not offer.');
  }
  return undefined;
}
