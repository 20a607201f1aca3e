// The path diagram of the active trace in a webview: the server's SVG, with every node that names a
// function clickable to open its source, and every packet end to open the line that ended it.
import * as vscode from 'vscode';
import type { ActiveTrace, PathDiagramResult } from '../../server/src/protocol';
import { escapeHtml, NodeWebview, nodePage, showLine } from './node-webview';

export class PathDiagramPanel implements vscode.Disposable {
  private nodes: PathDiagramResult['nodes'] = [];
  /** What the open panel shows (drawnKey), so that a step, which changes nothing drawn, keeps it. */
  private drawn: string | undefined;
  private readonly webview = new NodeWebview('kernelNetReader.pathDiagram', (id) => this.openNode(id));

  show(diagram: PathDiagramResult, trace: ActiveTrace): void {
    this.drawn = drawnKey(trace);
    this.nodes = diagram.nodes;
    this.webview.show(vscode.l10n.t('Path: {0}', trace.scenario), diagramPage(diagram));
  }

  /** Whether the open panel draws another trace, or the same one before it changed (a verdict set). */
  isStale(trace: ActiveTrace): boolean {
    return this.webview.isOpen && this.drawn !== drawnKey(trace);
  }

  /** Redraws an open panel where it stands, for the trace that changed. */
  redraw(diagram: PathDiagramResult, trace: ActiveTrace): void {
    this.drawn = drawnKey(trace);
    this.nodes = diagram.nodes;
    this.webview.replace(vscode.l10n.t('Path: {0}', trace.scenario), diagramPage(diagram));
  }

  dispose(): void {
    this.webview.dispose();
  }

  private async openNode(id: string): Promise<void> {
    const node = this.nodes.find((candidate) => candidate.id === id);
    if (node !== undefined) await showLine(node.uri, node.line);
  }
}

/** The diagram draws the events and the ends with their verdicts; the current step is not drawn. */
function drawnKey(trace: ActiveTrace): string {
  return JSON.stringify([trace.scenario, trace.kernel, trace.events.length, trace.ends]);
}

function diagramPage(diagram: PathDiagramResult): string {
  const hint = vscode.l10n.t('Click a function or a packet’s end to open its kernel line.');
  return nodePage(
    '  [data-node]:hover { opacity: 0.75; }',
    `<p class="hint">${escapeHtml(hint)}</p>\n<div id="diagram">${diagram.svg}</div>`,
  );
}
