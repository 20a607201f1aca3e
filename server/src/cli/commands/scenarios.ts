import { listLibrary } from '../../scenario/library';
import { parseArgs } from '../args';
import { printJsonOrText, type Command } from '../command';

export const scenariosCommand: Command = {
  name: 'scenarios',
  summary: 'list the built-in scenarios',
  usage: [
    'knr scenarios [--json]',
    '',
    'Lists the built-in scenario library (scenarios/*.c): the name knr trace accepts and a one-line',
    'description. docs/scenarios.md describes the scenario language and the helper set.',
    '',
    '  --json   print [{ "name", "description", "file" }, ...]',
  ].join('\n'),
  booleans: ['json'],
  async run(argv, output) {
    const args = parseArgs(argv, this.booleans);
    const scenarios = await listLibrary();
    const width = Math.max(...scenarios.map((s) => s.name.length));
    printJsonOrText(args, output, scenarios, () =>
      scenarios.map((s) => `${s.name.padEnd(width)}  ${s.description}`).join('\n'),
    );
    return 0;
  },
};
