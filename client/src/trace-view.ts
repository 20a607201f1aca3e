// The Trace view in the side bar: one node per function the path enters (in order; a function
// entered twice appears twice), its events below with their values. Clicking an event reveals it.
import * as vscode from 'vscode';
import type { ActiveTrace, TraceEventView } from '../../server/src/protocol';
import type { TraceState } from './trace-state';

type TraceNode =
  { kind: 'function'; name: string; events: TraceEventView[] } | { kind: 'event'; event: TraceEventView };

export class TraceTreeProvider implements vscode.TreeDataProvider<TraceNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly state: TraceState,
    private readonly revealCommand: string,
  ) {
    this.subscription = state.onDidChange(() => this.changed.fire());
  }

  getChildren(node?: TraceNode): TraceNode[] {
    const trace = this.state.active;
    if (trace === null) return [];
    if (node === undefined) return groupByFunction(trace);
    return node.kind === 'function' ? node.events.map((event) => ({ kind: 'event', event })) : [];
  }

  getTreeItem(node: TraceNode): vscode.TreeItem {
    const current = this.state.active?.current;
    if (node.kind === 'function') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('symbol-function');
      item.description = node.events[0].hop;
      return item;
    }
    const { event } = node;
    const item = new vscode.TreeItem(event.label, vscode.TreeItemCollapsibleState.None);
    item.description = event.values.map((value) => `${value.name} = ${value.value}`).join(', ');
    item.tooltip = `${vscode.workspace.asRelativePath(vscode.Uri.parse(event.uri))}:${event.line + 1}\n${item.description}`;
    item.iconPath = new vscode.ThemeIcon(event.index === current ? 'debug-stackframe' : 'circle-small');
    item.command = { command: this.revealCommand, title: vscode.l10n.t('Reveal'), arguments: [event.index] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function groupByFunction(trace: ActiveTrace): TraceNode[] {
  const groups: { kind: 'function'; name: string; events: TraceEventView[] }[] = [];
  for (const event of trace.events) {
    const last = groups.at(-1);
    if (last !== undefined && last.name === event.function) last.events.push(event);
    else groups.push({ kind: 'function', name: event.function, events: [event] });
  }
  return groups;
}
