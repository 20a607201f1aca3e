// The `kernelNetReader.twoKernelTrees` context key: true while the server serves at least two kernel
// trees (from kernelNetReader.kernelTrees or the workspace folders), which is when Compare Path Across
// Kernel Versions is offered.
import * as vscode from 'vscode';
import type { IndexStateParams } from '../../server/src/protocol';

const twoKernelTreesContextKey = 'kernelNetReader.twoKernelTrees';

export class KernelTreesContext {
  private readonly trees = new Map<string, IndexStateParams['state']>();

  update(state: IndexStateParams): void {
    this.trees.set(state.root, state.state);
    this.publish();
  }

  /** A new server process reports its trees afresh. */
  clear(): void {
    this.trees.clear();
    this.publish();
  }

  private publish(): void {
    const served = [...this.trees.values()].filter((s) => s === 'indexing' || s === 'ready').length;
    void vscode.commands.executeCommand('setContext', twoKernelTreesContextKey, served >= 2);
  }
}
