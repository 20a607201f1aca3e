// What knr's entry loads for every query: its import closure stays inside the small client, so no
// index code (and no 3 MB bundle) is loaded by a warm query's process.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../../support/prerequisites';

const allowed = [
  /^server\/src\/cli\/query-server\/[\w-]+\.ts$/,
  /^server\/src\/cli\/args\.ts$/,
  /^server\/src\/index\/cache-folder\.ts$/,
];

/** The repository's TypeScript files that `file` imports, directly or not (`node:` modules left out). */
function importClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const { importedFiles } = ts.preProcessFile(readFileSync(join(repoRoot, file), 'utf8'), true, true);
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const target = relative(repoRoot, resolve(repoRoot, dirname(file), fileName) + '.ts');
    assert.ok(existsSync(join(repoRoot, target)), `${file} imports ${fileName}, not found as ${target}`);
    importClosure(target, seen);
  }
  return seen;
}

test("knr's entry imports only the client's files", () => {
  const closure = [...importClosure('server/src/cli/query-server/knr-entry.ts')];
  assert.ok(closure.includes('server/src/cli/query-server/client.ts'));
  assert.deepEqual(
    closure.filter((file) => !allowed.some((pattern) => pattern.test(file))),
    [],
  );
});
