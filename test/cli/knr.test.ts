import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import manifest from '../../package.json';
import { positionOf } from '../support/fixture-position';
import { knrBinary } from '../support/lsp-client';
import { repoRoot } from '../support/prerequisites';

function knr(...args: string[]) {
  return spawnSync(process.execPath, [knrBinary(), ...args], { encoding: 'utf8' });
}

test('knr --version prints the package version', () => {
  const result = knr('--version');
  assert.equal(result.status, 0);
  assert.equal(result.stdout.trim(), manifest.version);
});

test('knr --help lists the commands', () => {
  const result = knr('--help');
  assert.equal(result.status, 0);
  assert.match(result.stdout, /^ {2}lsp {2}/m);
});

test('an unknown command is a usage error naming it', () => {
  const result = knr('frobnicate');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command 'frobnicate'/);
});

test('knr lsp without --stdio says what it needs', () => {
  const result = knr('lsp');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /needs --stdio/);
});

test('knr resolve on a direct call names the callee without a table column', () => {
  const kernel = join(repoRoot, 'test', 'fixtures', 'mini-kernel');
  const cache = mkdtempSync(join(tmpdir(), 'knr-cli-resolve-'));
  try {
    const at = positionOf(kernel, 'net/socket.c', 'sock_recvmsg_nosec/*@direct_call*/');
    const position = `net/socket.c:${at.line + 1}:${at.column + 1}`;
    const text = knr('resolve', position, '--kernel', kernel, '--cache', cache);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /direct call of sock_recvmsg_nosec/);
    assert.doesNotMatch(text.stdout, /undefined/);
    assert.match(text.stdout, /^sock_recvmsg_nosec +\(no table\) +direct +net\/socket\.c:\d+$/m);
    const json = knr('resolve', position, '--kernel', kernel, '--cache', cache, '--json');
    assert.equal(json.status, 0, json.stderr);
    const [result] = (JSON.parse(json.stdout) as { results: Record<string, unknown>[] }).results;
    assert.equal(result.function, 'sock_recvmsg_nosec');
    assert.equal(result.evidence, 'direct');
    assert.equal('table' in result, false);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('knr resolve on a call of a function-like macro names the macro and its #define', () => {
  const kernel = join(repoRoot, 'test', 'fixtures', 'index-tree');
  const cache = mkdtempSync(join(tmpdir(), 'knr-cli-resolve-'));
  try {
    const call = positionOf(kernel, 'net/socket.c', 'max(a, b)');
    const define = positionOf(kernel, 'include/linux/minmax.h', 'define max(');
    const at = `net/socket.c:${call.line + 1}:${call.column + 1}`;
    const text = knr('resolve', at, '--kernel', kernel, '--cache', cache);
    assert.equal(text.status, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(
        `^sock_window: call of the macro max, #define at include/linux/minmax\\.h:${define.line + 1}$`,
        'm',
      ),
    );
    assert.doesNotMatch(text.stdout, /undefined/);
    const json = knr('resolve', at, '--kernel', kernel, '--cache', cache, '--json');
    const { results } = JSON.parse(json.stdout) as { results: { evidence: string; file: string }[] };
    assert.deepEqual(
      results.map((result) => `${result.evidence} ${result.file}`),
      ['macro include/linux/minmax.h', 'direct tools/testing/selftests/net/copy_test.c'],
    );
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
