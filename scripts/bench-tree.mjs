// The tree a benchmark runs on: the kernel tree itself, or (--quick / --subset) a copy of some of its
// top-level folders plus its top-level files, which is still a kernel tree to knr (Makefile with the
// version, include/linux, net). The copy is kept under .cache/bench/ and reused while complete.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from './bench-lib.mjs';

export const quickSubset = ['net', 'include'];

/** Returns the absolute path of the tree to benchmark: `kernel`, or its subset copy when `folders` is given. */
export function benchmarkTree(kernel, folders) {
  if (!existsSync(join(kernel, 'Makefile'))) {
    throw new Error(
      `${kernel} is not a kernel tree (no Makefile); pass --kernel DIR or run scripts/fetch-kernel 6.1`,
    );
  }
  if (!folders) return kernel;
  for (const folder of folders) {
    if (!existsSync(join(kernel, folder))) throw new Error(`--subset: no folder ${folder} in ${kernel}`);
  }
  const copy = join(
    repoRoot,
    '.cache',
    'bench',
    `${basename(kernel)}-${folders.join('+').replaceAll('/', '_')}`,
  );
  // The marker is written last, so an interrupted copy is redone rather than measured.
  const marker = join(copy, '.knr-bench-complete');
  if (existsSync(marker)) return copy;
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  for (const entry of readdirSync(kernel, { withFileTypes: true })) {
    if (entry.isFile()) cpSync(join(kernel, entry.name), join(copy, entry.name));
  }
  for (const folder of folders) {
    cpSync(join(kernel, folder), join(copy, folder), { recursive: true, verbatimSymlinks: true });
  }
  writeFileSync(marker, `copy of ${folders.join(', ')} from ${kernel}\n`);
  return copy;
}
