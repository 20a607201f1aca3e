import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../../mcp/server';
import { parseArgs, UsageError } from '../args';
import type { Command } from '../command';
import { kernelOptionsUsage, openKernelFromArgs } from '../kernel-args';

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'serve the index to coding agents over the Model Context Protocol (stdio)',
  usage: [
    'knr mcp --kernel DIR [--cache DIR] [--arch ARCH]',
    '',
    'Starts a Model Context Protocol server on standard input and output. Its tools answer as the',
    'commands of the same names do with --json: definition, implementations (knr impls), resolve,',
    'callers, callees, scenarios, trace, check_models and compare_live (knr compare; as root only).',
    'The tree is indexed (or its saved index loaded) at start; tools called before then wait.',
    '',
    kernelOptionsUsage.replace(/\n.*--json.*$/m, ''),
  ].join('\n'),
  booleans: [],
  async run(argv, output) {
    const args = parseArgs(argv, this.booleans);
    if (args.positional.length > 0) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
    // stdout carries the protocol: opening the index never draws progress there.
    const opening = openKernelFromArgs(args, { ...output, isTTY: false }).then(({ index }) => index);
    const server = createMcpServer(opening);
    await server.connect(new StdioServerTransport());
    return new Promise<number>((resolve, reject) => {
      process.stdin.on('end', () => resolve(0));
      // A tree that cannot be opened ends the server with the reason, not each tool call later.
      opening.catch((error: unknown) => server.close().then(() => reject(error), reject));
    });
  },
};
