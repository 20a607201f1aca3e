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
    'shape as knr trace. The namespaces are always deleted. Needs root, iproute2 and gcc. The exit',
    'status is 1 when the run stopped before the end of main (the step bound, or the time limit).',
  ].join('\n'),
  booleans: ['json'],
  async run(argv, output) {
    const args = parseArgs(argv, this.booleans);
    if (args.positional.length !== 1) throw new UsageError('knr live needs exactly one SCENARIO');
    const file = resolveScenarioPath(args.positional[0]);
    const run = await runLiveScenario(file);
    output.out(booleanFlag(args, 'json') ? JSON.stringify(run, null, 2) : formatRun(run));
    // As knr trace: a run that stopped before the end of main is a failure, whatever it printed.
    if (run.stopped) {
      output.err(`${file}:${run.stopped.line}:${run.stopped.column}: error: ${run.stopped.message}`);
      return 1;
    }
    return 0;
  },
};
