// Trees that change while they are indexed: files deleted, renamed and rewritten from a timer while
// `startIndex` runs, and a whole folder swapped for another version (what `git checkout` does). The
// next `openIndex` on the same cache must converge to the tree's final state: the same facts as a
// fresh index of the final tree that never saw the persisted one.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KernelIndex } from '../../server/src/index/kernel-index';
import { openIndex, openIndexWithSummary, startIndex } from '../../server/src/index/open';
import { installerName } from '../../server/src/index/queries';
import { repoRoot } from '../support/prerequisites';

const fixture = join(repoRoot, 'test', 'fixtures', 'index-tree');
const generatedFiles = 400;

/** A generated source file: one function installed in its own proto_ops table. */
function generatedSource(prefix: string, n: number): string {
  return [
    '#include <linux/net.h>',
    '',
    `static int ${prefix}_recvmsg_${n}(struct socket *sock, struct msghdr *m, int len, int flags)`,
    '{',
    `\treturn len + ${n};`,
    '}',
    '',
    `static const struct proto_ops ${prefix}_ops_${n} = {`,
    `\t.recvmsg = ${prefix}_recvmsg_${n},`,
    '};',
    '',
  ].join('\n');
}

function writeGenerated(root: string, folder: string, prefix: string): void {
  mkdirSync(join(root, folder), { recursive: true });
  for (let n = 0; n < generatedFiles; n++) {
    writeFileSync(join(root, folder, `gen_${n}.c`), generatedSource(prefix, n));
  }
}

/** Everything a reader sees of the index, in a form that compares with deepEqual. */
function observable(index: KernelIndex) {
  const files = [...index.files()].sort();
  return {
    files,
    facts: files.map((file) => index.facts(file)),
    recvmsg: index
      .implementations('proto_ops', 'recvmsg')
      .map((i) => `${installerName(i.source)}:${i.function}@${i.file}`)
      .sort(),
    tables: index
      .tablesOfStruct('proto_ops')
      .map((t) => `${t.name}@${t.location.file}`)
      .sort(),
  };
}

describe('a tree that changes while it is indexed converges on the next open', () => {
  let root: string;
  let cache: string;
  let spare: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'knr-moving-tree-'));
    cache = mkdtempSync(join(tmpdir(), 'knr-moving-cache-'));
    spare = mkdtempSync(join(tmpdir(), 'knr-moving-spare-'));
    cpSync(fixture, root, { recursive: true });
    writeGenerated(root, 'net/gen', 'first');
    // "Another version" of a folder, prepared outside the tree and swapped in by rename.
    writeGenerated(spare, 'other', 'second');
  });
  after(() => {
    for (const folder of [root, cache, spare]) rmSync(folder, { recursive: true, force: true });
  });

  test('deletions, renames, same-size rewrites and a folder swap mid-index leave no stale fact', async (t) => {
    let step = 0;
    const mutations: string[] = [];
    const mutate = () => {
      // Each tick touches a different slice of the generated files, so every kind of change lands
      // on files both before and after the workers reach them.
      const n = step++;
      const file = (k: number) => join(root, 'net', 'gen', `gen_${k}.c`);
      try {
        if (n === 6) {
          renameSync(join(root, 'net', 'gen'), join(spare, 'old-gen'));
          renameSync(join(spare, 'other'), join(root, 'net', 'gen'));
          mutations.push('swap');
          return;
        }
        for (let k = n * 7; k < n * 7 + 7 && k < generatedFiles; k++) {
          if (k % 3 === 0) unlinkSync(file(k));
          else if (k % 3 === 1) renameSync(file(k), join(root, 'net', 'gen', `moved_${k}.c`));
          // Same length as the first version, so only the timestamp tells the two apart.
          else writeFileSync(file(k), generatedSource('fyrst', k));
          mutations.push(`gen_${k}`);
        }
      } catch (error) {
        // The swap moves files away under the timer: a missing file is part of the exercise.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    };
    const session = startIndex(root, { cache, workers: 2 });
    const timer = setInterval(mutate, 5);
    let firstSummary;
    try {
      firstSummary = await session.ready;
    } finally {
      clearInterval(timer);
    }
    assert.ok(
      mutations.includes('swap'),
      `the swap ran before indexing ended (${mutations.length} mutations)`,
    );
    assert.ok(firstSummary.files > 0);
    t.diagnostic(`${mutations.length} changes while indexing (${firstSummary.parsed} files parsed)`);

    // Rewrites after the first index ended too, as a checkout that finishes late would.
    writeFileSync(join(root, 'net', 'gen', 'gen_1.c'), generatedSource('last', 1));
    unlinkSync(join(root, 'net', 'gen', 'gen_2.c'));

    const { index: reopened, summary } = await openIndexWithSummary(root, { cache, workers: 2 });
    const fresh = await openIndex(root, { noCache: true, workers: 2 });
    assert.ok(summary.reused > 0, `the second open reused the cache (${summary.cache})`);
    const seen = observable(reopened);
    const expected = observable(fresh);
    assert.deepEqual(seen.files, expected.files);
    assert.deepEqual(seen.recvmsg, expected.recvmsg);
    assert.deepEqual(seen.tables, expected.tables);
    assert.deepEqual(seen.facts, expected.facts);
    assert.ok(!seen.recvmsg.some((r) => r.includes('first_')), 'no function of the swapped-out folder');
    assert.ok(
      seen.recvmsg.some((r) => r.startsWith('last_ops_1:')),
      'the late rewrite is indexed',
    );
    assert.ok(reopened.definitions('packet_recvmsg').length > 0, 'the unchanged fixture is still there');
  });

  test('a third open with nothing changed reuses every file and gives the same answers', async () => {
    const before = observable(await openIndex(root, { cache, workers: 2 }));
    const { index, summary } = await openIndexWithSummary(root, { cache, workers: 2 });
    assert.equal(summary.parsed, 0, summary.cache);
    assert.deepEqual(observable(index), before);
  });
});
