// A webview of clickable nodes (elements with `data-node`): one panel, reopened when closed, whose
// page runs only its own script (nonce-based policy), so nothing inside a server's SVG executes; a
// click sends the node's `data-node` back.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export class NodeWebview implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly viewType: string,
    private readonly onNode: (node: string) => Promise<void>,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the panel (or brings it forward) with `html`, leaving the focus where it is. */
  show(title: string, html: string): void {
    if (this.panel === undefined) {
      this.panel = vscode.window.createWebviewPanel(
        this.viewType,
        '',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((message: unknown) => {
        const node = (message as { node?: unknown } | null)?.node;
        if (typeof node === 'string') void this.onNode(node);
      });
    }
    this.panel.title = title;
    this.panel.webview.html = html;
    this.panel.reveal(undefined, true);
  }

  /** Replaces the page of an open panel where it stands, without bringing it forward. */
  replace(title: string, html: string): void {
    if (this.panel === undefined) return;
    this.panel.title = title;
    this.panel.webview.html = html;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** The page: the theme's colours, `style` for the rest, `body`, and the script that posts a click. */
export function nodePage(style: string, body: string): string {
  const nonce = randomBytes(16).toString('base64');
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';">
<style>
  body { color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); }
  [data-node] { cursor: pointer; }
  .hint { font-size: 0.9em; opacity: 0.8; }
${style}
</style>
</head>
<body>
${body}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  document.body.addEventListener('click', (event) => {
    const node = event.target.closest('[data-node]');
    if (node) vscode.postMessage({ node: node.getAttribute('data-node') });
  });
</script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Opens `uri` in the first editor column at the start of `line` (0-based). */
export async function showLine(uri: string, line: number): Promise<void> {
  const position = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), {
    viewColumn: vscode.ViewColumn.One,
    selection: new vscode.Range(position, position),
  });
}
