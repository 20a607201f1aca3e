// knr resolve --json on the synthetic tree: the call itself (its struct) is printed beside the
// implementations, so a script learns the receiver's type even when no table fills the field.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { positionOf } from '../support/fixture-position';
import { knrBinary } from '../support/lsp-client';
import { repoRoot } from '../support/prerequisites';

const root = join(repoRoot, 'test', 'fixtures', 'index-tree');
let cache: string;

before(() => {
  cache = mkdtempSync(join(tmpdir(), 'knr-resolve-test-'));
});
after(() => rmSync(cache, { recursive: true, force: true }));

test('knr resolve --json prints the call: caller, field, struct', () => {
  const { line, column } = positionOf(root, 'net/socket.c', 'release(sock)');
  const result = spawnSync(
    process.execPath,
    [
      knrBinary(),
      'resolve',
      `net/socket.c:${line + 1}:${column + 1}`,
      '--json',
      '--kernel',
      root,
      '--cache',
      cache,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  const json = JSON.parse(result.stdout) as { call: Record<string, unknown>; results: unknown[] };
  assert.deepEqual(
    { callee: json.call.callee, indirect: json.call.indirect, struct: json.call.struct },
    { callee: 'release', indirect: true, struct: 'proto_ops' },
  );
  assert.ok(Array.isArray(json.results));
});
