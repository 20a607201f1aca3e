// docs/path-changes-6.1-to-6.12.md is knr diff's output for the built-in scenarios: regenerated here
// on the trees at hand, it must be the checked-in page (npm run docs:path-changes rewrites it). The
// page holds nothing that moves between point releases of a series (render-markdown.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathChangesPage, pathChangesPageName } from '../../server/src/diff/path-changes-page';
import { treeOf } from '../../server/src/diff/path-functions';
import { openTestIndex } from '../support/kernel-index';
import { kernelTree, repoRoot, requires } from '../support/prerequisites';

const oldTree = kernelTree('6.1');
const newTree = kernelTree('6.12');

describe(
  'the generated page of path changes',
  requires('real 6.1 and 6.12 trees', oldTree.missing ?? newTree.missing),
  () => {
    test('regenerating docs/path-changes-6.1-to-6.12.md gives the checked-in page', async () => {
      const older = treeOf((await openTestIndex(oldTree.path)).index);
      const newer = treeOf((await openTestIndex(newTree.path)).index);
      const name = pathChangesPageName(older.index.version, newer.index.version);
      assert.equal(name, 'path-changes-6.1-to-6.12.md');
      const page = await pathChangesPage(older, newer);
      assert.doesNotMatch(
        page,
        new RegExp(`${older.index.version}|${newer.index.version}`),
        'no full versions',
      );
      const checkedIn = readFileSync(join(repoRoot, 'docs', name), 'utf8');
      assert.equal(page, checkedIn, `docs/${name} is stale: run npm run docs:path-changes`);
    });
  },
);
