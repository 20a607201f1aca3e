import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { namespacesOwnedBy } from '../../server/src/live/namespaces';
import { haveExecutable, runCommand } from '../../server/src/live/system';
import { knrBinary } from '../support/lsp-client';
import { requires } from '../support/prerequisites';

function knr(args: string[], options: SpawnSyncOptions = {}) {
  return spawnSync(process.execPath, [knrBinary(), ...args], { encoding: 'utf8', ...options });
}

// As root the test drops to nobody; as anyone else it already is not root.
const notRoot: SpawnSyncOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

test('knr live refuses to run without root, saying why, and creates nothing', () => {
  const result = knr(['live', 'raw-create'], notRoot);
  assert.equal(result.status, 1);
  assert.match(
    String(result.stderr),
    /knr live: live runs need root to create network namespaces \(running as uid \d+\)/,
  );
  assert.equal(String(result.stdout), '');
  // Only this run's own names (knr-<its pid>-<n>): other live runs may share the machine.
  assert.ok(result.pid);
  assert.deepEqual(namespacesOwnedBy(result.pid), []);
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

// A PATH of chosen tools: `ip` that fails as it does where namespaces are forbidden, or no gcc.
const bin = mkdtempSync(join(tmpdir(), 'knr-cli-test-bin-'));
after(() => rmSync(bin, { recursive: true, force: true }));
function toolDir(name: string, tools: Record<string, string>): string {
  const dir = join(bin, name);
  mkdirSync(dir, { recursive: true });
  for (const [tool, target] of Object.entries(tools)) {
    if (target.startsWith('#!')) {
      writeFileSync(join(dir, tool), target);
      chmodSync(join(dir, tool), 0o755);
    } else symlinkSync(target, join(dir, tool));
  }
  return dir;
}
const which = (tool: string) => runCommand(['sh', '-c', `command -v ${tool}`]).trim();
const asRoot = requires(
  'live refusals as root',
  process.getuid?.() === 0 && haveExecutable('ip') && haveExecutable('gcc')
    ? undefined
    : 'needs root, ip and gcc',
);

test('knr live says so when network namespaces cannot be created', asRoot, () => {
  const failingIp =
    '#!/bin/sh\necho "mount --make-shared /run/netns failed: Operation not permitted" >&2\nexit 1\n';
  const dir = toolDir('no-netns', { sh: which('sh'), ip: failingIp, gcc: which('gcc') });
  const result = knr(['live', 'raw-create'], { env: { ...process.env, PATH: dir } });
  assert.equal(result.status, 1);
  assert.match(String(result.stderr), /network namespaces are unavailable here: .*Operation not permitted/);
});

test('knr live says so when there is no C compiler', asRoot, () => {
  const dir = toolDir('no-gcc', { sh: which('sh'), ip: which('ip') });
  const result = knr(['live', 'raw-create'], { env: { ...process.env, PATH: dir } });
  assert.equal(result.status, 1);
  assert.match(String(result.stderr), /live runs need gcc to compile the scenario/);
});
