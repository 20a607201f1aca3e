// The .vsix: one package for every platform. It holds the bundles and the tree-sitter .wasm files,
// the manifest and its translations, and nothing native and no node_modules.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot, requires } from '../support/prerequisites';
import { packageVsix } from './support/vsix';
import { zipEntries } from './support/zip-entries';

const missing = existsSync(join(repoRoot, 'dist', 'server.js'))
  ? undefined
  : 'no dist/server.js (run npm run build)';

describe('the .vsix package', requires('e2e: .vsix package', missing), () => {
  let scratch: string;
  let vsix: string;
  let entries: string[];

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'knr-vsix-test-'));
    vsix = packageVsix(scratch);
    entries = zipEntries(vsix).map((entry) => entry.replace(/^extension\//, ''));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('holds the bundles, the tree-sitter runtime and grammar, the scenario library and the translations', () => {
    for (const file of [
      'package.json',
      'package.nls.json',
      'package.nls.zh-cn.json',
      'client/l10n/bundle.l10n.zh-cn.json',
      'dist/extension.js',
      'dist/server.js',
      'dist/web-tree-sitter.wasm',
      'dist/tree-sitter-c.wasm',
      'images/icon.png',
      'scenarios/packet-auxdata-vlan.c',
      'scenarios/include/knr_scenario.h',
      'readme.md',
      'changelog.md',
    ]) {
      assert.ok(entries.includes(file), `${file} is not in the .vsix: ${entries.join(', ')}`);
    }
  });

  test("holds every file the manifest names: the icon and the view containers' icons", () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      icon: string;
      contributes: { viewsContainers: Record<string, { icon: string }[]> };
    };
    const named = [
      manifest.icon,
      ...Object.values(manifest.contributes.viewsContainers)
        .flat()
        .map((c) => c.icon),
    ];
    for (const file of named) assert.ok(entries.includes(file), `${file} is not in the .vsix`);
  });

  test('holds no native module, no node_modules, no source maps and no sources', () => {
    const unwanted = entries.filter((entry) =>
      /\.node$|(^|\/)node_modules\/|\.map$|\.ts$|^\.cache\//.test(entry),
    );
    assert.deepEqual(unwanted, []);
  });

  test('stays small: under 5 MB', () => {
    assert.ok(statSync(vsix).size < 5 * 1024 * 1024, `${statSync(vsix).size} bytes`);
  });
});
