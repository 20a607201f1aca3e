import type { ScenarioComparison } from '../../live/compare-runs';
import { compareScenarioFile } from '../../live/compare-scenario';
import type { KernelIndex } from '../../index/kernel-index';
import { formatComparison } from '../../live/format';
import { ensureLiveSupported } from '../../live/run-live';
import { parseArgs } from '../args';
import { printJsonOrText, type Command } from '../command';
import { kernelOptionsUsage, openKernelFromArgs } from '../kernel-args';
import { scenarioArgument } from '../scenario-args';

/** `knr compare --json`'s report (`knr mcp` answers with the same). */
export function comparisonReport(outcome: ScenarioComparison, index: KernelIndex) {
  const { model, live, comparison } = outcome;
  return {
    scenario: live.scenario,
    indexedKernel: index.version,
    liveKernel: live.kernel,
    agree: outcome.agree,
    fields: comparison.fields,
    differences: comparison.differences,
    ends: outcome.ends,
    model,
    live,
  };
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'run a scenario on the models and on the running kernel, and compare the results',
  usage: [
    'knr compare SCENARIO --kernel DIR [--cache DIR] [--json]',
    '',
    'Runs SCENARIO (a file, or the name of a built-in scenario) on the models of the indexed tree, told',
    "the running kernel's version, and on the running kernel in private network namespaces (as knr",
    'live). Prints agreement, or every field that differs, and compares how each packet ended (the',
    "kernel's skb tracepoints against the models' ends, declared differences shown as declared); the exit",
    'status is 1 when any field or packet end differs or either run stopped before the end of main.',
    'Needs root, iproute2 and gcc.',
    '',
    kernelOptionsUsage,
  ].join('\n'),
  booleans: ['json'],
  async run(argv, output) {
    const args = parseArgs(argv, this.booleans);
    const file = scenarioArgument(args, 'compare');
    // Before indexing, which can take minutes: a machine that cannot run it live cannot compare.
    ensureLiveSupported();
    const { index } = await openKernelFromArgs(args, output);
    const outcome = await compareScenarioFile(file, index);
    printJsonOrText(args, output, comparisonReport(outcome, index), () =>
      formatComparison(outcome.live.scenario, outcome, outcome.live.kernel),
    );
    return outcome.agree ? 0 : 1;
  },
};
