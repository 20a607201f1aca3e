// A copy of a kernel tree in which some files start with extra blank lines, so that every line of
// theirs moves down: suites run on it show that they find positions by text, not by line numbers.
// The copy is hard links (seconds for a whole tree, no space), except the shifted files, which are
// new files: writing through a hard link would change the original tree.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function makeShiftedCopy(
  tree: string,
  copy: string,
  files: readonly string[],
  blankLines: number,
): void {
  const partial = `${copy}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(dirname(copy), { recursive: true });
  const copied = spawnSync('cp', ['-al', tree, partial], { encoding: 'utf8' });
  if (copied.status !== 0) throw new Error(`cp -al ${tree} ${partial} failed: ${copied.stderr}`);
  for (const file of files) {
    const path = join(partial, file);
    const text = readFileSync(path, 'utf8');
    unlinkSync(path);
    writeFileSync(path, '\n'.repeat(blankLines) + text);
  }
  rmSync(copy, { recursive: true, force: true });
  renameSync(partial, copy);
}
