// Opening the kernel index the way every knr subcommand does: --kernel/KNR_KERNEL, --cache/KNR_CACHE,
// progress on a terminal (never with --json).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultArch } from '../index/definition-rank';
import { NotAKernelTreeError } from '../index/kernel-tree';
import { openIndexWithSummary, type IndexSummary, type OpenOptions } from '../index/open';
import type { KernelIndex } from '../index/kernel-index';
import type { Span } from '../index/facts';
import { booleanFlag, stringFlag, UsageError, type ParsedArgs } from './args';
import type { CommandOutput } from './command';

export const kernelOptionsUsage = [
  '  --kernel DIR   the kernel tree (or KNR_KERNEL)',
  '  --cache DIR    where the persisted index lives (or KNR_CACHE; default ~/.cache/kernel-net-reader)',
  `  --arch ARCH    of a name's definitions under arch/, ARCH's rank first (default ${defaultArch})`,
  '  --json         print JSON',
].join('\n');

export async function openKernelFromArgs(
  args: ParsedArgs,
  output: CommandOutput,
  options: Pick<OpenOptions, 'countFacts'> = {},
): Promise<{ index: KernelIndex; summary: IndexSummary }> {
  const kernel = stringFlag(args, 'kernel', 'KNR_KERNEL');
  if (!kernel) throw new UsageError('no kernel tree: pass --kernel DIR or set KNR_KERNEL');
  const showProgress = output.isTTY && !booleanFlag(args, 'json');
  let lastDraw = 0;
  const started = Date.now();
  try {
    const result = await openIndexWithSummary(kernel, {
      ...options,
      cache: stringFlag(args, 'cache', 'KNR_CACHE'),
      onProgress: showProgress
        ? (done, total) => {
            const now = Date.now();
            if (now - lastDraw < 200 && done < total) return;
            lastDraw = now;
            const seconds = (now - started) / 1000;
            const rate = done / Math.max(seconds, 0.001);
            const left = rate > 0 ? Math.round((total - done) / rate) : 0;
            process.stderr.write(
              `\rindexing ${done}/${total} files, ${Math.round(rate)} files/s, ${left}s left   `,
            );
          }
        : undefined,
    });
    if (showProgress) process.stderr.write('\r\x1b[K');
    const arch = stringFlag(args, 'arch');
    if (arch !== undefined) applyArch(result.index, arch);
    return result;
  } catch (error) {
    if (error instanceof NotAKernelTreeError) throw new UsageError(error.message);
    throw error;
  }
}

/** Ranks `arch`'s definitions first (`--arch`), after checking that the tree has it. */
export function applyArch(index: KernelIndex, arch: string): void {
  checkArch(index.root, arch);
  index.setPreferredArch(arch);
}

/** `--arch` names a folder under the tree's arch/; the error lists those there are. */
function checkArch(root: string, arch: string): void {
  let arches: string[] = [];
  try {
    arches = readdirSync(join(root, 'arch'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    // no arch/ folder: every --arch is unknown
  }
  if (!arches.includes(arch))
    throw new UsageError(
      `--arch ${arch}: the tree has no arch/${arch}/ folder` +
        (arches.length > 0 ? ` (it has ${arches.join(', ')})` : ''),
    );
}

/** 1-based `file:line:column` as compilers print them. */
export function position(file: string, span: Span): string {
  return `${file}:${span.line + 1}:${span.column + 1}`;
}
