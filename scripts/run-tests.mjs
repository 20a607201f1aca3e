// Runs every test/**/*.test.ts with node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [FOLDER_OR_FILE ...]   (default: test/)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(path, found) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) collect(join(path, entry), found);
  } else if (path.endsWith('.test.ts')) {
    found.push(path);
  }
  return found;
}

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ['test']).flatMap((root) => collect(root, []));
if (files.length === 0) {
  console.error('run-tests: no test files found under ' + roots.join(' '));
  process.exit(1);
}
// Every suite that indexes a real tree shares one persisted index, so a run pays for each cold index once.
const env = {
  ...process.env,
  KNR_CACHE: process.env.KNR_CACHE ?? join(process.cwd(), '.cache', 'test-index'),
  // The suites that run bin/knr test the in-process path; test/cli/query-server.test.ts the server's.
  KNR_NO_SERVER: process.env.KNR_NO_SERVER ?? '1',
};
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
