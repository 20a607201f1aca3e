import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import manifest from '../../package.json';
import { knrBinary } from '../support/lsp-client';

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
