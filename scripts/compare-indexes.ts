// Whether two persisted indexes of the same tree hold the same facts, file by file: the check that a
// change meant only to be faster extracts nothing different. Build one index with each build (same
// index format), then compare them with either build.
//
// Usage: node --import tsx scripts/compare-indexes.ts --kernel DIR INDEX_A INDEX_B
// (an INDEX is the index.bin that `knr index --cache DIR` prints as cacheFile).
import { resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { loadPersistedIndex } from '../server/src/index/persist';
import type { FactStore } from '../server/src/index/store/fact-store';
import { toolVersion } from '../server/src/version';

async function load(path: string, root: string): Promise<FactStore> {
  const result = await loadPersistedIndex(path, root, toolVersion);
  if (result.status !== 'loaded') throw new Error(`${path}: not loaded (${JSON.stringify(result)})`);
  return result.store;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { kernel: { type: 'string' } },
    allowPositionals: true,
  });
  if (!values.kernel || positionals.length !== 2) {
    console.error('usage: compare-indexes.ts --kernel DIR INDEX_A INDEX_B');
    process.exit(2);
  }
  const root = resolve(values.kernel);
  const [left, right] = [await load(positionals[0], root), await load(positionals[1], root)];
  const onlyRight = new Set(right.files());
  const differing: string[] = [];
  let alike = 0;
  for (const file of left.files()) {
    onlyRight.delete(file);
    const slot = right.slotOf(file);
    if (slot !== undefined && isDeepStrictEqual(left.entry(left.slotOf(file)!), right.entry(slot))) alike++;
    else differing.push(file);
  }
  differing.push(...onlyRight);
  for (const file of differing.slice(0, 20)) console.log(`differs: ${file}`);
  console.log(`files alike: ${alike}; differing files: ${differing.length}`);
  process.exitCode = differing.length === 0 ? 0 : 1;
}

void main();
