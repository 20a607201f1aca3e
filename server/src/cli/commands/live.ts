import { formatRun } from '../../live/format';
import { runLiveScenario } from '../../live/run-live';
import { parseArgs } from '../args';
import { printJsonOrText, type Command } from '../command';
import { scenarioArgument, stoppedStatus } from '../scenario-args';

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
    const file = scenarioArgument(args, 'live');
    const run = await runLiveScenario(file);
    printJsonOrText(args, output, run, () => formatRun(run));
    return stoppedStatus(file, run.stopped, output);
  },
};
