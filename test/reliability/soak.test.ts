// A short soak (scripts/soak.ts): 1,000 edits of an open document with a disk rewrite and an index
// check every 100, on the built server. The server's memory must come back near where it started.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSoak } from '../../scripts/soak';

test(
  '1,000 edits and 10 re-indexed disk files leave RSS and heap near their starting level',
  { timeout: 120000 },
  async (t) => {
    const result = await runSoak({ edits: 1000, every: 100 });
    t.diagnostic(JSON.stringify(result));
    assert.equal(result.diskRewrites, 10);
    assert.ok(
      result.settledMb - result.startMb < 24,
      `RSS ${result.startMb.toFixed(1)} MB before, ${result.settledMb.toFixed(1)} MB after`,
    );
    assert.ok(
      result.heapAfterMb - result.heapBeforeMb < 4,
      `heap after GC ${result.heapBeforeMb.toFixed(1)} MB before, ${result.heapAfterMb.toFixed(1)} MB after`,
    );
  },
);
