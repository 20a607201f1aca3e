// The active trace on the client side: the events the server sent and the current step. The trace
// view, the step highlight and the path diagram listen to its changes.
import * as vscode from 'vscode';
import type { ActiveTrace, TraceEventView } from '../../server/src/protocol';

const activeContextKey = 'kernelNetReader.traceActive';

export class TraceState implements vscode.Disposable {
  private trace: ActiveTrace | null = null;
  private readonly changed = new vscode.EventEmitter<ActiveTrace | null>();
  readonly onDidChange = this.changed.event;

  get active(): ActiveTrace | null {
    return this.trace;
  }

  get currentEvent(): TraceEventView | undefined {
    return this.trace?.events[this.trace.current];
  }

  set(trace: ActiveTrace | null): void {
    this.trace = trace && trace.events.length > 0 ? trace : null;
    void vscode.commands.executeCommand('setContext', activeContextKey, this.trace !== null);
    this.changed.fire(this.trace);
  }

  /** The index `offset` steps from the current one, kept inside the trace; undefined without a trace. */
  indexFrom(offset: number): number | undefined {
    if (this.trace === null) return undefined;
    return Math.min(Math.max(this.trace.current + offset, 0), this.trace.events.length - 1);
  }

  moveTo(index: number): TraceEventView | undefined {
    if (this.trace === null || index < 0 || index >= this.trace.events.length) return undefined;
    this.trace = { ...this.trace, current: index };
    this.changed.fire(this.trace);
    return this.trace.events[index];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
