// The wiring file: creates the session state and registers one feature module per capability.
import {
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toolVersion } from '../version';

export function startLanguageServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);

  connection.onInitialize((): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
    },
    serverInfo: { name: 'kernel-net-reader', version: toolVersion },
  }));

  documents.listen(connection);
  connection.listen();
}
