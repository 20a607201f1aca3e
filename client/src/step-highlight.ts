// Highlights the current step's line in every editor that shows its file. The values themselves are
// the server's inlay hints; this only marks which line the reader is on.
import * as vscode from 'vscode';
import type { TraceState } from './trace-state';

export class StepHighlight implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.stackFrameHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.infoForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Full,
  });
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly state: TraceState) {
    this.subscriptions = [
      state.onDidChange(() => this.apply()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.apply()),
    ];
  }

  private apply(): void {
    const event = this.state.currentEvent;
    for (const editor of vscode.window.visibleTextEditors) {
      const here =
        event !== undefined && editor.document.uri.toString() === vscode.Uri.parse(event.uri).toString();
      const ranges = here ? [new vscode.Range(event.line, 0, event.line, 0)] : [];
      editor.setDecorations(this.decoration, ranges);
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.decoration.dispose();
  }
}
