// Compare Path Across Kernel Versions, shown: a webview with the aligned path (each function marked
// unchanged, changed or on one path only) and both paths as one diagram with the changes marked. A
// click on a changed function opens VS Code's diff editor on its two definitions; on any other, its
// source.
import * as vscode from 'vscode';
import type { ComparedFunctionView, ComparePathResult } from '../../server/src/protocol';
import type { FunctionVersions } from './function-versions';
import { escapeHtml, NodeWebview, nodePage, showLine } from './node-webview';

const marks: Record<ComparedFunctionView['status'], string> = {
  unchanged: '=',
  changed: '~',
  'only-old': '-',
  'only-new': '+',
  'not-found': '?',
};

export class ComparePathPanel implements vscode.Disposable {
  private comparison: ComparePathResult | undefined;
  private readonly webview = new NodeWebview('kernelNetReader.comparePath', (name) =>
    this.openFunction(name),
  );

  constructor(private readonly versions: FunctionVersions) {}

  show(comparison: ComparePathResult): void {
    this.comparison = comparison;
    this.webview.show(
      vscode.l10n.t('Path {0}: {1} → {2}', comparison.scenario, comparison.old.kernel, comparison.new.kernel),
      page(comparison),
    );
  }

  /** Opens a function of the comparison: the diff editor when it changed, else its source. */
  async openFunction(name: string): Promise<void> {
    const comparison = this.comparison;
    const compared = comparison?.functions.find((f) => f.name === name);
    if (comparison === undefined || compared === undefined) return;
    if (compared.status === 'changed' && compared.old && compared.new) {
      const file = (view: { uri: string }, root: string) =>
        vscode.Uri.parse(view.uri).fsPath.slice(root.length).replace(/^\/+/, '');
      const left = this.versions.add(
        comparison.old.kernel,
        file(compared.old, comparison.old.root),
        name,
        compared.old.text,
      );
      const right = this.versions.add(
        comparison.new.kernel,
        file(compared.new, comparison.new.root),
        name,
        compared.new.text,
      );
      await vscode.commands.executeCommand(
        'vscode.diff',
        left,
        right,
        vscode.l10n.t('{0}: {1} ↔ {2}', name, comparison.old.kernel, comparison.new.kernel),
        { viewColumn: vscode.ViewColumn.One },
      );
      return;
    }
    const where = compared.new ?? compared.old;
    if (where !== undefined) await showLine(where.uri, where.line);
  }

  dispose(): void {
    this.webview.dispose();
  }
}

function statusText(f: ComparedFunctionView, comparison: ComparePathResult): string {
  switch (f.status) {
    case 'unchanged':
      return vscode.l10n.t('unchanged');
    case 'changed':
      return vscode.l10n.t('changed');
    case 'only-old':
      return vscode.l10n.t('only in {0}', comparison.old.kernel);
    case 'only-new':
      return vscode.l10n.t('only in {0}', comparison.new.kernel);
    case 'not-found':
      return vscode.l10n.t('not defined in an index');
  }
}

function page(comparison: ComparePathResult): string {
  const byName = new Map(comparison.functions.map((f) => [f.name, f]));
  const rows: string[] = [];
  let statement = -1;
  for (const step of comparison.path) {
    if (step.statement !== statement) {
      statement = step.statement;
      rows.push(`<li class="statement">[${statement}]</li>`);
    }
    const compared = byName.get(step.function);
    const status =
      step.side === 'old' ? 'only-old' : step.side === 'new' ? 'only-new' : (compared?.status ?? 'unchanged');
    const shown = compared ? { ...compared, status } : undefined;
    rows.push(
      `<li class="${status}" data-node="${escapeHtml(step.function)}" style="padding-left:${step.depth * 1.2}em">` +
        `<span class="mark">${marks[status]}</span> ${escapeHtml(step.function)}` +
        (shown ? ` <span class="status">${escapeHtml(statusText(shown, comparison))}</span>` : '') +
        '</li>',
    );
  }
  const hint = vscode.l10n.t('Click a changed function (~) to open the diff of its two versions.');
  return nodePage(
    `  body { font-family: var(--vscode-editor-font-family); }
  ul { list-style: none; padding: 0; }
  li { padding: 1px 0; }
  li.statement { opacity: 0.6; margin-top: 0.4em; }
  [data-node]:hover { text-decoration: underline; }
  .mark { display: inline-block; width: 1.2em; font-weight: bold; }
  .status { opacity: 0.7; }
  li.changed .mark { color: #d67e1c; }
  li.only-old .mark { color: #d9534f; }
  li.only-new .mark { color: #3aa655; }
  #diagram { background: #fff; display: inline-block; }`,
    `<p class="hint">${escapeHtml(hint)}</p>
<ul id="path">${rows.join('')}</ul>
<div id="diagram">${comparison.svg}</div>`,
  );
}
