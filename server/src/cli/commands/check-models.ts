import { fileSourceReader } from '../../trace/anchors';
import { checkModels, type AnchorReport } from '../../trace/check-models';
import { parseArgs } from '../args';
import { printJsonOrText, type Command } from '../command';
import { kernelOptionsUsage, openKernelFromArgs } from '../kernel-args';

const describe = (a: AnchorReport) =>
  `${a.file}: ${a.function} [${a.anchor}] '${a.pattern}'${a.reason ? `: ${a.reason}` : ''}`;

export const checkModelsCommand: Command = {
  name: 'check-models',
  summary: 'check that every model anchor still matches the kernel source',
  usage: [
    'knr check-models --kernel DIR [--cache DIR] [--json]',
    '',
    'Resolves every anchor of every model (a source pattern in the modelled function) against the',
    'indexed tree. Lists anchors that do not resolve (the model drifted from the source) and anchors that',
    'the models declare for other kernel versions only. Exit status 1 when any anchor does not resolve.',
    '',
    kernelOptionsUsage,
  ].join('\n'),
  booleans: ['json'],
  async run(argv, output) {
    const args = parseArgs(argv, this.booleans);
    const { index } = await openKernelFromArgs(args, output);
    const report = checkModels(index, fileSourceReader(index.root));
    printJsonOrText(args, output, report, () =>
      [
        `kernel ${report.kernel} (${report.series} behaviour): ${report.models} models, ${report.anchors} anchors, ` +
          `${report.resolved.length} resolved, ${report.unresolved.length} unresolved, ` +
          `${report.knownDifferences.length} known per-version differences`,
        ...report.unresolved.map((a) => `unresolved: ${describe(a)}`),
        ...report.knownDifferences.map((a) => `not in ${report.series}: ${describe(a)}`),
        ...report.endDeclarations.map(
          (d) =>
            `ends reported elsewhere (${d.why}) ${d.holds ? 'holds' : 'does NOT hold'}: ${d.file}: ${d.function}: ${d.detail}`,
        ),
        ...report.laterChanges.map(
          (c) =>
            `ends declared for kernels from ${c.since} on (${c.commit} "${c.subject}") ${c.holds ? 'holds' : 'does NOT hold'}: ${c.detail}`,
        ),
      ].join('\n'),
    );
    const holds = report.endDeclarations.every((d) => d.holds) && report.laterChanges.every((c) => c.holds);
    return report.unresolved.length === 0 && holds ? 0 : 1;
  },
};
