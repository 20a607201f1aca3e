// Packages the extension into one .vsix from the current dist/ (run `npm run build` first, or use
// `npm run package`, which builds for production). .vscodeignore decides what goes in; vsce runs in a
// staging copy of the repository without .git, node_modules and .cache, because vsce walks every file
// under its folder before applying .vscodeignore, and the kernel trees in .cache take it minutes.
// Usage: node scripts/package-vsix.mjs [--out FILE]   (default: kernel-net-reader.vsix)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex >= 0 ? process.argv[outIndex + 1] : join(repo, 'kernel-net-reader.vsix'));
const notShipped = new Set(['.git', 'node_modules', '.cache', 'test-artifacts']);

for (const bundle of ['extension.js', 'server.js']) {
  if (!existsSync(join(repo, 'dist', bundle))) {
    console.error(`package-vsix: dist/${bundle} is missing; run npm run build first`);
    process.exit(1);
  }
}

const staging = mkdtempSync(join(tmpdir(), 'knr-vsix-'));
try {
  for (const entry of readdirSync(repo)) {
    if (notShipped.has(entry) || entry.endsWith('.vsix')) continue;
    cpSync(join(repo, entry), join(staging, entry), { recursive: true });
  }
  const vsce = join(repo, 'node_modules', '.bin', 'vsce');
  const result = spawnSync(
    vsce,
    [
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--out',
      out,
    ],
    { cwd: staging, stdio: 'inherit' },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
