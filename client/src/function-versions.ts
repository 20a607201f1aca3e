// The text of one function in one kernel tree as a read-only virtual document
// (`knr-function:/<version>/<file>/<function>.c`), so VS Code's own diff editor can show a function's
// two versions side by side, whatever else the files around them changed.
import * as vscode from 'vscode';

const functionVersionScheme = 'knr-function';

export class FunctionVersions implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(
    functionVersionScheme,
    this,
  );

  /** A URI for `text`, the function `name` of `file` in the tree of `version`. */
  add(version: string, file: string, name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: functionVersionScheme, path: `/${version}/${file}/${name}.c` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
  }
}
