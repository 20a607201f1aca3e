import { writeFileSync } from 'node:fs';
import { diffFunction } from '../../diff/diff-function';
import { diffScenario } from '../../diff/diff-scenario';
import { treeOf } from '../../diff/path-functions';
import { renderDiffSvg } from '../../diff/render-svg';
import { renderDiffText } from '../../diff/render-text';
import { resolveScenarioPath } from '../../scenario/library';
import { booleanFlag, parseArgs, stringFlag, UsageError, type ParsedArgs } from '../args';
import type { Command } from '../command';
import { kernelOptionsUsage, openKernelFromArgs } from '../kernel-args';

/** Every `--kernel DIR` / `--kernel=DIR` in order, and the arguments without them. */
function splitKernels(argv: string[]): { kernels: string[]; rest: string[] } {
  const kernels: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--kernel') {
      if (i + 1 >= argv.length) throw new UsageError('option --kernel needs a value');
      kernels.push(argv[++i]);
    } else if (argv[i].startsWith('--kernel=')) kernels.push(argv[i].slice('--kernel='.length));
    else rest.push(argv[i]);
  }
  return { kernels, rest };
}

/** A scenario file or built-in scenario name, else undefined (then the argument names a function). */
function scenarioFile(argument: string): string | undefined {
  if (!argument.endsWith('.c') && !/[-/]/.test(argument)) return undefined;
  return resolveScenarioPath(argument);
}

export const diffCommand: Command = {
  name: 'diff',
  summary: "how a scenario's path, or a function and its callees, changed between two kernel trees",
  usage: [
    'knr diff SCENARIO --kernel OLD --kernel NEW [--cache DIR] [--json] [--svg FILE]',
    'knr diff FUNCTION --kernel OLD --kernel NEW [--cache DIR] [--json]',
    '',
    'SCENARIO (a file, or the name of a built-in scenario) runs on the models of both trees; the two',
    'traces are aligned function by function in call order. FUNCTION (a C identifier) is compared with',
    'what it calls one level deep, directly and through ops tables. Each function of the aligned path is',
    'unchanged, changed (its definition differs with whitespace folded; the diff follows), or only in',
    "one tree; functions are found through each tree's index by name, so a move is not a change.",
    'Then the ops hops that changed, the values and branches that differ at aligned events, and the',
    'results that differ (return, errno, bytes, control messages).',
    '',
    '  --json        print the diff as JSON',
    '  --svg FILE    also write both paths as one diagram, changed functions marked (SCENARIO only)',
    kernelOptionsUsage.replace(
      'the kernel tree (or KNR_KERNEL)',
      'a kernel tree: give it twice, OLD then NEW',
    ),
  ].join('\n'),
  booleans: ['json'],
  async run(argv, output) {
    const { kernels, rest } = splitKernels(argv);
    const args = parseArgs(rest, this.booleans);
    if (args.positional.length !== 1) throw new UsageError('knr diff needs exactly one SCENARIO or FUNCTION');
    if (kernels.length !== 2)
      throw new UsageError(`knr diff needs two trees, --kernel OLD --kernel NEW (got ${kernels.length})`);
    const subject = args.positional[0];
    const file = scenarioFile(subject);
    const svg = stringFlag(args, 'svg');
    if (svg && !file) throw new UsageError("--svg draws a scenario's paths; FUNCTION has none");
    const open = async (kernel: string) => {
      const withKernel: ParsedArgs = {
        positional: args.positional,
        flags: new Map([...args.flags, ['kernel', kernel]]),
      };
      return treeOf((await openKernelFromArgs(withKernel, output)).index);
    };
    const older = await open(kernels[0]);
    const newer = await open(kernels[1]);
    const json = booleanFlag(args, 'json');
    if (!file) {
      const diff = diffFunction(subject, older, newer);
      if (!diff) {
        output.err(`knr diff: neither tree defines a function '${subject}' (nor is it a scenario)`);
        return 1;
      }
      output.out(json ? JSON.stringify(diff, null, 2) : renderDiffText(diff));
      return 0;
    }
    const outcome = await diffScenario(file, older, newer);
    for (const { kernel, diagnostic: d } of outcome.diagnostics)
      output.err(
        `${file}:${d.span.line + 1}:${d.span.column + 1}: ${d.severity}: ${d.message} (on ${kernel})`,
      );
    if (!outcome.diff) return 1;
    if (svg) writeFileSync(svg, renderDiffSvg(outcome.diff, outcome.merged!));
    output.out(json ? JSON.stringify(outcome.diff, null, 2) : renderDiffText(outcome.diff));
    for (const stop of outcome.stopped)
      output.err(`${file}: the run on ${stop.kernel} stopped: ${stop.message}`);
    return outcome.stopped.length > 0 ? 1 : 0;
  },
};
