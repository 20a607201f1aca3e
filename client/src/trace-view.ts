// The Trace view in the side bar: first "Packet ends", how each packet ended (with the live kernel's
// verdict once a comparison set one), on top because a path has hundreds of steps; then one node per
// function the path enters (in order; a function entered twice appears twice), its events below with
// their values. Clicking an event reveals it; clicking an end opens the kernel line that ended it.
import * as vscode from 'vscode';
import type { ActiveTrace, PacketEndView, TraceEventView } from '../../server/src/protocol';
import type { TraceState } from './trace-state';

type TraceNode =
  | { kind: 'function'; name: string; events: TraceEventView[] }
  | { kind: 'event'; event: TraceEventView }
  | { kind: 'ends'; ends: PacketEndView[] }
  | { kind: 'end'; end: PacketEndView };

const endIcons: Record<PacketEndView['how'], vscode.ThemeIcon> = {
  freed: new vscode.ThemeIcon('close', new vscode.ThemeColor('errorForeground')),
  consumed: new vscode.ThemeIcon('check'),
  queued: new vscode.ThemeIcon('inbox'),
};

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
    if (node === undefined) {
      const ends: TraceNode[] = trace.ends.length > 0 ? [{ kind: 'ends', ends: trace.ends }] : [];
      return [...ends, ...groupByFunction(trace)];
    }
    if (node.kind === 'function') return node.events.map((event) => ({ kind: 'event', event }));
    if (node.kind === 'ends') return node.ends.map((end) => ({ kind: 'end', end }));
    return [];
  }

  getTreeItem(node: TraceNode): vscode.TreeItem {
    switch (node.kind) {
      case 'function': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('symbol-function');
        item.description = node.events[0].hop;
        return item;
      }
      case 'event':
        return this.eventItem(node.event);
      case 'ends': {
        const item = new vscode.TreeItem(
          vscode.l10n.t('Packet ends'),
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.iconPath = new vscode.ThemeIcon('debug-breakpoint-log');
        item.description = String(node.ends.length);
        return item;
      }
      case 'end':
        return endItem(node.end);
    }
  }

  private eventItem(event: TraceEventView): vscode.TreeItem {
    const item = new vscode.TreeItem(event.label, vscode.TreeItemCollapsibleState.None);
    item.description = event.values.map((value) => `${value.name} = ${value.value}`).join(', ');
    item.tooltip = `${vscode.workspace.asRelativePath(vscode.Uri.parse(event.uri))}:${event.line + 1}\n${item.description}`;
    const current = this.state.active?.current;
    item.iconPath = new vscode.ThemeIcon(event.index === current ? 'debug-stackframe' : 'circle-small');
    item.command = { command: this.revealCommand, title: vscode.l10n.t('Reveal'), arguments: [event.index] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function endItem(end: PacketEndView): vscode.TreeItem {
  const item = new vscode.TreeItem(
    vscode.l10n.t('packet {0}: {1}', String(end.packet), end.label),
    vscode.TreeItemCollapsibleState.None,
  );
  item.description = end.verdict?.label ?? `[${end.statement}]`;
  const where = `${vscode.workspace.asRelativePath(vscode.Uri.parse(end.uri))}:${end.line + 1}`;
  item.tooltip = [where, end.mark, end.verdict?.label].filter((line) => line !== undefined).join('\n');
  item.iconPath =
    end.verdict === undefined
      ? endIcons[end.how]
      : new vscode.ThemeIcon(
          end.verdict.agreed ? 'pass' : 'error',
          new vscode.ThemeColor(end.verdict.agreed ? 'testing.iconPassed' : 'testing.iconFailed'),
        );
  const position = new vscode.Position(end.line, 0);
  item.command = {
    command: 'vscode.open',
    title: vscode.l10n.t('Open'),
    arguments: [
      vscode.Uri.parse(end.uri),
      { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position) },
    ],
  };
  return item;
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
