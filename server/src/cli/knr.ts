// knr: the command-line front end of the server's code. main.ts runs it as a process.
import { commands } from './commands';
import type { CommandOutput, KernelOpener } from './command';
import { UsageError } from './args';
import { toolVersion } from '../version';
import { servedCommands } from './query-server/served-commands';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'knr - Kernel Net Reader: follow the Linux kernel networking code through its ops tables',
    '',
    'usage: knr <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'Most commands take --kernel DIR (or KNR_KERNEL), --cache DIR (or KNR_CACHE), --arch ARCH and --json.',
    `${servedCommands.join(', ')}: answered by a shared query server of the tree, which the`,
    'first of them starts and which stops when idle (--no-server or KNR_NO_SERVER=1: in this process).',
    'knr <command> --help shows a command in detail.',
  ].join('\n');
}

export async function runKnr(argv: string[], output: CommandOutput, open?: KernelOpener): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    output.out(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    output.out(toolVersion);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    output.err(`knr: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    output.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, output, open);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`knr ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    output.err(`knr ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
