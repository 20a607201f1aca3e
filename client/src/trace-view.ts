// The Trace view in the side bar: first "Packet ends", how each packet ended (with the live kernel's
// verdict once a comparison set one), on top because a path has hundreds of steps; then one node per
// function the path enters (in order; a function entered twice appears twice), its events below with
// their values. Clicking an event reveals it; clicking an end opens the kernel line that ended it.
// Stepping scrolls the view to the current step, as a debugger's call stack follows the current frame.
import * as vscode from 'vscode';
import type { ActiveTrace, PacketEndView, TraceEventView } from '../../server/src/protocol';
import type { TraceState } from './trace-state';

type FunctionNode = { kind: 'function'; name: string; events: TraceEventView[] };
type TraceNode =
  | FunctionNode
  | { kind: 'event'; event: TraceEventView }
  | { kind: 'ends'; ends: PacketEndView[] }
  | { kind: 'end'; end: PacketEndView };

const endIcons: Record<PacketEndView['how'], vscode.ThemeIcon> = {
  freed: new vscode.ThemeIcon('close', new vscode.ThemeColor('errorForeground')),
  consumed: new vscode.ThemeIcon('check'),
  queued: new vscode.ThemeIcon('inbox'),
};

class TraceTreeProvider implements vscode.TreeDataProvider<TraceNode>, vscode.Disposable {
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

  /** The parent of a node, which the view needs to reveal an event inside its function. */
  getParent(node: TraceNode): TraceNode | undefined {
    const trace = this.state.active;
    if (trace === null) return undefined;
    if (node.kind === 'end') return { kind: 'ends', ends: trace.ends };
    if (node.kind !== 'event') return undefined;
    return groupByFunction(trace).find((group) => group.events.includes(node.event));
  }

  /** The current step's node, or undefined when there is no trace. */
  currentNode(): TraceNode | undefined {
    const trace = this.state.active;
    const event = trace?.events[trace.current];
    return event ? { kind: 'event', event } : undefined;
  }

  getTreeItem(node: TraceNode): vscode.TreeItem {
    const item = this.itemOf(node);
    item.id = nodeId(node);
    return item;
  }

  private itemOf(node: TraceNode): vscode.TreeItem {
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

/** A node's identity across refreshes (nodes are rebuilt on each), so that reveal finds it. */
function nodeId(node: TraceNode): string {
  switch (node.kind) {
    case 'function':
      return `function:${node.events[0].index}`;
    case 'event':
      return `event:${node.event.index}`;
    case 'ends':
      return 'ends';
    case 'end':
      return `end:${node.end.packet}`;
  }
}

/** The Trace view, scrolled to the current step whenever it moves while the view is visible. */
export function createTraceView(viewId: string, state: TraceState, revealCommand: string): vscode.Disposable {
  const provider = new TraceTreeProvider(state, revealCommand);
  const view = vscode.window.createTreeView(viewId, { treeDataProvider: provider });
  const following = state.onDidChange(() => {
    const current = provider.currentNode();
    if (current && view.visible) void view.reveal(current, { select: false, focus: false });
  });
  return vscode.Disposable.from(following, view, provider);
}

function groupByFunction(trace: ActiveTrace): FunctionNode[] {
  const groups: FunctionNode[] = [];
  for (const event of trace.events) {
    const last = groups.at(-1);
    if (last !== undefined && last.name === event.function) last.events.push(event);
    else groups.push({ kind: 'function', name: event.function, events: [event] });
  }
  return groups;
}
