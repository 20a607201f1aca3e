// The process entry of the bundled language server (dist/server.js), as the VS Code client starts it.
// The transport (--node-ipc, --stdio) comes from the command line the client passes.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from './server';

startLanguageServer(createConnection(ProposedFeatures.all));
