import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { helperCalls, helperConstants } from '../../../server/src/scenario/helpers';
import { repoRoot, requires } from '../../support/prerequisites';

const folder = join(repoRoot, 'scenarios');
const header = readFileSync(join(folder, 'include', 'knr_scenario.h'), 'utf8');

test('the helper constants the models use are the header’s #defines, and no more', () => {
  const defines = new Map<string, number | string>();
  for (const match of header.matchAll(/^#define (KNR_[A-Z_]+) (\S+)$/gm)) {
    defines.set(match[1], match[2].startsWith('"') ? match[2].slice(1, -1) : Number(match[2]));
  }
  assert.deepEqual(Object.fromEntries(defines), helperConstants);
});

test('every helper the models run is declared in the header with the same number of parameters', () => {
  for (const [name, arity] of Object.entries(helperCalls)) {
    const declaration = new RegExp(`\\b${name}\\(([^)]*)\\);`).exec(header);
    assert.ok(declaration, `${name} is not declared in knr_scenario.h`);
    const parameters = declaration[1].trim() === 'void' ? 0 : declaration[1].split(',').length;
    assert.equal(parameters, arity, name);
  }
  const declared = [...header.matchAll(/\b(knr_[a-z0-9_]+)\(/g)].map((m) => m[1]);
  assert.deepEqual(new Set(declared), new Set(Object.keys(helperCalls)));
});

const gcc = spawnSync('gcc', ['--version']).status === 0;
describe(
  'the library is real C',
  requires('gcc -fsyntax-only on the scenarios', gcc ? undefined : 'gcc is not installed'),
  () => {
    for (const name of readdirSync(folder).filter((f) => f.endsWith('.c'))) {
      test(`${name} compiles with the helper header`, () => {
        const result = spawnSync(
          'gcc',
          [
            '-fsyntax-only',
            '-Wall',
            '-Werror',
            '-Wno-unused-variable',
            '-I',
            join(folder, 'include'),
            join(folder, name),
          ],
          {
            encoding: 'utf8',
          },
        );
        assert.equal(result.status, 0, result.stderr);
      });
    }
  },
);
