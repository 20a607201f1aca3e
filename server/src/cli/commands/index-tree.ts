import { booleanFlag, parseArgs } from '../args';
import type { Command } from '../command';
import { kernelOptionsUsage, openKernelFromArgs } from '../kernel-args';

export const indexCommand: Command = {
  name: 'index',
  summary: 'build or refresh the index of a kernel tree and print what it found',
  usage: `knr index --kernel DIR [--cache DIR] [--json]\n\nIndexes every .c and .h file (reusing the persisted index for unchanged files) and prints\nfiles, functions, tables, bindings, call sites, parse errors, problems, time and peak memory.\n\n${kernelOptionsUsage}`,
  booleans: ['json'],
  async run(argv, output) {
    const args = parseArgs(argv, this.booleans);
    const { summary } = await openKernelFromArgs(args, output, { countFacts: true });
    if (booleanFlag(args, 'json')) {
      output.out(JSON.stringify(summary, null, 2));
      return 0;
    }
    const lines = [
      `kernel ${summary.version} at ${summary.root}`,
      `files           ${summary.files} (${summary.parsed} parsed, ${summary.reused} from the persisted index, ${summary.removed} removed)`,
      `macro-only      ${summary.macroOnlyFiles} files of nothing but #defines, read without parsing`,
      `functions       ${summary.functions}`,
      `ops tables      ${summary.tables} (${summary.slots} filled fields)`,
      `bindings        ${summary.bindings} run-time assignments, ${summary.registrations} registrations`,
      `call sites      ${summary.calls} (${summary.indirectCalls} through a field)`,
      `parse errors    ${summary.parseErrorNodes} error nodes in ${summary.filesWithParseErrors} files (recovered locally)`,
      `links skipped   ${summary.symlinksSkipped} symbolic links not followed, ${summary.unreadableFolders} unreadable folders`,
    ];
    for (const [kind, bucket] of Object.entries(summary.problems)) {
      lines.push(`${kind.padEnd(15)} ${bucket.count} files, e.g. ${bucket.examples.join('; ')}`);
    }
    lines.push(`cache           ${summary.cache}${summary.cacheFile ? ` (${summary.cacheFile})` : ''}`);
    lines.push(`time            ${(summary.timeMs / 1000).toFixed(1)} s, peak RSS ${summary.peakRssMb} MB`);
    output.out(lines.join('\n'));
    return 0;
  },
};
