import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { test } from 'node:test';
import { listKnrNamespaces } from '../../server/src/live/namespaces';
import { knrBinary } from '../support/lsp-client';

function knr(args: string[], options: SpawnSyncOptions = {}) {
  return spawnSync(process.execPath, [knrBinary(), ...args], { encoding: 'utf8', ...options });
}

// As root the test drops to nobody; as anyone else it already is not root.
const notRoot: SpawnSyncOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

test('knr live refuses to run without root, saying why, and creates nothing', () => {
  const before = listKnrNamespaces();
  const result = knr(['live', 'raw-create'], notRoot);
  assert.equal(result.status, 1);
  assert.match(
    String(result.stderr),
    /knr live: live runs need root to create network namespaces \(running as uid \d+\)/,
  );
  assert.equal(String(result.stdout), '');
  assert.deepEqual(listKnrNamespaces(), before);
});

test('knr compare refuses to run without root before it opens any index', () => {
  const result = knr(['compare', 'raw-create', '--kernel', '/nonexistent'], notRoot);
  assert.equal(result.status, 1);
  assert.match(String(result.stderr), /knr compare: live runs need root/);
});

test('knr live without a scenario is a usage error', () => {
  const result = knr(['live']);
  assert.equal(result.status, 2);
  assert.match(String(result.stderr), /needs exactly one SCENARIO/);
});

test('knr live names a scenario that does not exist', () => {
  const result = knr(['live', 'no-such-scenario']);
  assert.equal(result.status, 1);
  assert.match(String(result.stderr), /no scenario file 'no-such-scenario'/);
});

test('knr compare without a kernel tree says how to give one', () => {
  const result = knr(['compare', 'raw-create'], { env: { ...process.env, KNR_KERNEL: '' } });
  assert.equal(result.status, 2);
  assert.match(String(result.stderr), /--kernel DIR/);
});
