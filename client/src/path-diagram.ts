// The path diagram of the active trace in a webview: the server's SVG, with every node that names a
// function clickable to open its source, and every packet end to open the line that ended it.
import * as vscode from 'vscode';
import type { PathDiagramResult } from '../../server/src/protocol';
import { escapeHtml, NodeWebview, nodePage, showLine } from './node-webview';

export class PathDiagramPanel implements vscode.Disposable {
  private nodes: PathDiagramResult['nodes'] = [];
  private readonly webview = new NodeWebview('kernelNetReader.pathDiagram', (id) => this.openNode(id));

  show(diagram: PathDiagramResult, scenario: string): void {
    this.nodes = diagram.nodes;
    const hint = vscode.l10n.t('Click a function or a packet’s end to open its kernel line.');
    this.webview.show(
      vscode.l10n.t('Path: {0}', scenario),
      nodePage(
        '  [data-node]:hover { opacity: 0.75; }',
        `<p class="hint">${escapeHtml(hint)}</p>\n<div id="diagram">${diagram.svg}</div>`,
      ),
    );
  }

  dispose(): void {
    this.webview.dispose();
  }

  private async openNode(id: string): Promise<void> {
    const node = this.nodes.find((candidate) => candidate.id === id);
    if (node !== undefined) await showLine(node.uri, node.line);
  }
}
