// The real kernel trees' indexes, shared by the suites that need them: the persisted index lives in
// one cache folder (KNR_CACHE, which scripts/run-tests.mjs sets to .cache/test-index), so only the
// first suite of a run pays for a cold index.
import { join } from 'node:path';
import type { KernelIndex } from '../../server/src/index/kernel-index';
import { openIndexWithSummary, type IndexSummary } from '../../server/src/index/open';
import { repoRoot } from './prerequisites';

export const testIndexCache = process.env.KNR_CACHE ?? join(repoRoot, '.cache', 'test-index');

export function openTestIndex(kernelRoot: string): Promise<{ index: KernelIndex; summary: IndexSummary }> {
  return openIndexWithSummary(kernelRoot, { cache: testIndexCache, countFacts: true });
}
