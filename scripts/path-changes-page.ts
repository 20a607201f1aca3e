// `npm run docs:path-changes`: regenerates docs/path-changes-<old>-to-<new>.md, knr diff on every
// built-in scenario between two trees (by default .cache/kernels/6.1 and 6.12). The check that the
// checked-in page is current is test/kernel/path-changes-page.test.ts.
//
// Usage: npm run docs:path-changes -- [--old DIR] [--new DIR] [--cache DIR]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathChangesPage, pathChangesPageName } from '../server/src/diff/path-changes-page';
import { treeOf } from '../server/src/diff/path-functions';
import { openIndex } from '../server/src/index/open';

const repo = join(__dirname, '..');
const { values } = parseArgs({
  options: {
    old: { type: 'string', default: join(repo, '.cache', 'kernels', '6.1') },
    new: { type: 'string', default: join(repo, '.cache', 'kernels', '6.12') },
    cache: { type: 'string', default: process.env.KNR_CACHE ?? join(repo, '.cache', 'test-index') },
  },
});

async function main(): Promise<void> {
  const older = treeOf(await openIndex(values.old, { cache: values.cache }));
  const newer = treeOf(await openIndex(values.new, { cache: values.cache }));
  const file = join(repo, 'docs', pathChangesPageName(older.index.version, newer.index.version));
  writeFileSync(file, await pathChangesPage(older, newer));
  console.log(`wrote ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
