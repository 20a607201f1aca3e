import { formatRun } from '../../live/format';
import { runLiveScenario } from '../../live/run-live';
import { resolveScenarioPath } from '../../scenario/library';
import { booleanFlag, parseArgs, UsageError } from '../args';
import type { Command } from '../command';

export const liveCommand: Command = {
  name: 'live',
  summary: 'run a scenario on the running kernel, in private network namespaces',
  usage: [
    'knr live SCENARIO [--json]',
    '',
    'Compiles SCENARIO (a file, or the name of a built-in scenario) with gcc, builds the network it asks',
    'for in fresh network namespaces, runs it there and prints one result per statement, in the same',
    'shape as knr trace. The namespaces are always deleted. Needs root, iproute2 and gcc.',
  ].join('\n'),
  booleans: ['json'],
  async run(argv, output) {
    const args = parseArgs(argv, this.booleans);
    if (args.positional.length !== 1) throw new UsageError('knr live needs exactly one SCENARIO');
    const run = await runLiveScenario(resolveScenarioPath(args.positional[0]));
    output.out(booleanFlag(args, 'json') ? JSON.stringify(run, null, 2) : formatRun(run));
    return 0;
  },
};
