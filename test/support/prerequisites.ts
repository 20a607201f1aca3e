// Suites that need something from the system call `requires` first. When the thing is missing the
// suite is skipped with "SKIPPED: <reason>", except under CI=true, where a missing prerequisite fails.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

export const repoRoot = resolve(__dirname, '..', '..');

/** Returns test options: `{}` when `missing` is undefined, otherwise a skip (or, under CI, a failing test). */
export function requires(suite: string, missing: string | undefined): { skip?: string } {
  if (missing === undefined) return {};
  const reason = `SKIPPED: ${suite}: ${missing}`;
  if (process.env.CI === 'true') {
    test(`${suite}: prerequisite`, () => {
      throw new Error(`${reason} (a missing prerequisite is a failure under CI=true)`);
    });
  }
  console.log(reason);
  return { skip: reason };
}

/** The extracted kernel tree for a version, as scripts/fetch-kernel leaves it, or KNR_TEST_KERNEL_<v>. */
export function kernelTree(version: '6.1' | '6.12'): { path: string; missing?: string } {
  const override = process.env[`KNR_TEST_KERNEL_${version.replace('.', '_')}`];
  const path = override ?? join(repoRoot, '.cache', 'kernels', version);
  if (!existsSync(join(path, 'Makefile'))) {
    return { path, missing: `no ${version} kernel tree at ${path} (run scripts/fetch-kernel ${version})` };
  }
  return { path };
}
