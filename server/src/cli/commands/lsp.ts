import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from '../../lsp/server';
import { FrameResync } from '../../lsp/stdio-framing';
import type { Command } from '../command';
import { parseArgs, UsageError } from '../args';

export const lspCommand: Command = {
  name: 'lsp',
  summary: 'start the language server (--stdio)',
  usage: 'knr lsp --stdio\n\nStarts the language server on standard input and output, for any LSP editor.',
  booleans: ['stdio'],
  async run(argv) {
    const args = parseArgs(argv, this.booleans);
    if (args.flags.get('stdio') !== true) throw new UsageError('knr lsp needs --stdio');
    const input = process.stdin.pipe(new FrameResync((problem) => process.stderr.write(`${problem}\n`)));
    startLanguageServer(createConnection(ProposedFeatures.all, input, process.stdout));
    // The connection keeps the process alive; the server exits on `exit` or when stdin closes.
    return new Promise<number>(() => undefined);
  },
};
