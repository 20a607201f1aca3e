// The path diagram of the active trace in a webview: the server's SVG, with every node that names a
// function clickable to open its source. The webview runs only its own script (nonce-based policy),
// so nothing inside the SVG executes.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PathDiagramResult } from '../../server/src/protocol';

export class PathDiagramPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private nodes: PathDiagramResult['nodes'] = [];

  show(diagram: PathDiagramResult, scenario: string): void {
    this.nodes = diagram.nodes;
    if (this.panel === undefined) {
      this.panel = vscode.window.createWebviewPanel(
        'kernelNetReader.pathDiagram',
        '',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((message: unknown) => void this.openNode(message));
    }
    this.panel.title = vscode.l10n.t('Path: {0}', scenario);
    this.panel.webview.html = page(diagram.svg, vscode.l10n.t('Click a function to open its source.'));
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private async openNode(message: unknown): Promise<void> {
    const id = (message as { node?: unknown } | null)?.node;
    const node = this.nodes.find((candidate) => candidate.id === id);
    if (node === undefined) return;
    const position = new vscode.Position(node.line, 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(node.uri), {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(position, position),
    });
  }
}

function page(svg: string, hint: string): string {
  const nonce = randomBytes(16).toString('base64');
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';">
<style>
  body { color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); }
  [data-node] { cursor: pointer; }
  [data-node]:hover { opacity: 0.75; }
  .hint { font-size: 0.9em; opacity: 0.8; }
</style>
</head>
<body>
<p class="hint">${escapeHtml(hint)}</p>
<div id="diagram">${svg}</div>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  document.getElementById('diagram').addEventListener('click', (event) => {
    const node = event.target.closest('[data-node]');
    if (node) vscode.postMessage({ node: node.getAttribute('data-node') });
  });
</script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
