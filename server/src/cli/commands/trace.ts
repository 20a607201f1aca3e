import { writeFileSync } from 'node:fs';
import { traceScenarioFile } from '../../trace/api';
import { renderTraceSvg } from '../../trace/render-svg';
import { renderTraceText } from '../../trace/render-text';
import { parseArgs, stringFlag } from '../args';
import { printJsonOrText, type Command } from '../command';
import { kernelOptionsUsage, openKernelFromArgs } from '../kernel-args';
import { scenarioArgument, stoppedStatus } from '../scenario-args';

export const traceCommand: Command = {
  name: 'trace',
  summary: 'run a scenario on the models and show the path through the kernel source',
  usage: [
    'knr trace SCENARIO --kernel DIR [--cache DIR] [--json] [--svg FILE]',
    '',
    'Runs SCENARIO (a file, or the name of a built-in scenario; knr scenarios lists them) on the models',
    "of the indexed tree. Prints each statement's result and the path it took as annotated kernel source:",
    "function headers, line numbers, the kernel's own line, the values, the branch and the ops hop.",
    '',
    '  --json        print { "events": [...], "results": [...] } instead',
    '  --svg FILE    also write the path diagram (functions as boxes, ops hops as labelled edges)',
    kernelOptionsUsage,
  ].join('\n'),
  booleans: ['json'],
  async run(argv, output) {
    const args = parseArgs(argv, this.booleans);
    const file = scenarioArgument(args, 'trace');
    const svg = stringFlag(args, 'svg');
    const { index } = await openKernelFromArgs(args, output);
    const outcome = await traceScenarioFile(file, index);
    for (const d of outcome.diagnostics) {
      output.err(`${file}:${d.span.line + 1}:${d.span.column + 1}: ${d.severity}: ${d.message}`);
    }
    const trace = outcome.trace;
    if (!trace) return 1;
    if (svg) writeFileSync(svg, renderTraceSvg(trace));
    printJsonOrText(args, output, trace, () => renderTraceText(trace));
    return stoppedStatus(file, trace.stopped, output);
  },
};
