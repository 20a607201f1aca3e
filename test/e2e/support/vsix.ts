// Packages the extension from the current dist/ into a .vsix, as `npm run package` does (without the
// production rebuild, so that the bundles under test are the ones the build step made).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../support/prerequisites';

export function packageVsix(outDir: string): string {
  const out = join(outDir, 'kernel-net-reader.vsix');
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package-vsix.mjs'), '--out', out], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`packaging the .vsix failed:\n${result.stdout}\n${result.stderr}`);
  return out;
}
