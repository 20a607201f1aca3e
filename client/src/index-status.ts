// The status bar item: the state of every kernel tree's index, from the server's kernelNetReader/indexState
// notifications. Clicking it opens the output log.
import * as vscode from 'vscode';
import type { IndexStateParams } from '../../server/src/protocol';

export class IndexStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'kernelNetReader.index',
    vscode.StatusBarAlignment.Left,
  );
  private readonly trees = new Map<string, IndexStateParams>();

  constructor(showLogCommand: string) {
    this.item.name = vscode.l10n.t('Kernel Net Reader index');
    this.item.command = showLogCommand;
    this.showStarting();
    this.item.show();
  }

  showStarting(): void {
    this.trees.clear();
    this.render(
      '$(sync~spin)',
      vscode.l10n.t('Kernel: starting'),
      vscode.l10n.t('The language server is starting.'),
    );
  }

  /** No kernel tree and no scenario file: the server is not started, and this one quiet line says how. */
  showNoKernelTree(): void {
    this.render(
      '$(info)',
      vscode.l10n.t('Kernel: no tree (set {0})', 'kernelNetReader.kernelTrees'),
      vscode.l10n.t(
        'This folder is not a Linux kernel tree. Open a kernel tree as the folder, or set {0} to one.',
        'kernelNetReader.kernelTrees',
      ),
    );
  }

  /** The server answers but has not reported an index yet (it reports one per kernel tree). */
  showRunning(): void {
    if (this.trees.size > 0) return;
    this.render(
      '$(sync~spin)',
      vscode.l10n.t('Kernel: waiting for the index'),
      vscode.l10n.t('The language server is running.'),
    );
  }

  showServerStopped(willRestart: boolean): void {
    this.trees.clear();
    if (willRestart) {
      this.render(
        '$(sync~spin)',
        vscode.l10n.t('Kernel: restarting'),
        vscode.l10n.t('The language server stopped and is being restarted.'),
      );
    } else {
      this.render(
        '$(error)',
        vscode.l10n.t('Kernel: server stopped'),
        vscode.l10n.t('The language server stopped too often and was not restarted. See the log.'),
        true,
      );
    }
  }

  update(state: IndexStateParams): void {
    this.trees.set(state.root, state);
    const states = [...this.trees.values()];
    const failed = states.filter((tree) => tree.state === 'failed' || tree.state === 'not-a-kernel-tree');
    const indexing = states.filter((tree) => tree.state === 'indexing');
    const tooltip = states.map(describeTree).join('\n');
    if (failed.length > 0) {
      const first = failed[0];
      const text =
        first.state === 'not-a-kernel-tree'
          ? vscode.l10n.t('Kernel: not a kernel tree')
          : vscode.l10n.t('Kernel: error');
      this.render('$(error)', text, tooltip, true);
    } else if (indexing.length > 0) {
      const done = indexing.reduce((sum, tree) => sum + tree.done, 0);
      const total = indexing.reduce((sum, tree) => sum + tree.total, 0);
      this.render('$(sync~spin)', vscode.l10n.t('Kernel: indexing {0}/{1}', done, total), tooltip);
    } else {
      const versions = states.map((tree) => tree.version ?? '?').join(', ');
      this.render('$(check)', vscode.l10n.t('Kernel {0}: ready', versions), tooltip);
    }
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(icon: string, text: string, tooltip: string, isError = false): void {
    this.item.text = `${icon} ${text}`;
    this.item.tooltip = `${tooltip}\n${vscode.l10n.t('Click to open the log.')}`;
    this.item.backgroundColor = isError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }
}

function describeTree(tree: IndexStateParams): string {
  switch (tree.state) {
    case 'indexing':
      return vscode.l10n.t('{0}: indexing, {1} of {2} files', tree.root, tree.done, tree.total);
    case 'ready':
      return vscode.l10n.t('{0}: Linux {1}, {2} files indexed', tree.root, tree.version ?? '?', tree.total);
    case 'not-a-kernel-tree':
      return vscode.l10n.t('{0}: not a kernel tree ({1})', tree.root, tree.message ?? '');
    case 'failed':
      return vscode.l10n.t('{0}: indexing failed: {1}', tree.root, tree.message ?? '');
  }
}
