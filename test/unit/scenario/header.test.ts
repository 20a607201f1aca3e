import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { helperConstants, scenarioCallEntries } from '../../../server/src/scenario/helpers';
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

/** The number of parameters of `name` where `text` declares or defines it, or undefined when it does not. */
function parameterCount(text: string, name: string): number | undefined {
  const parameters = new RegExp(`\\b${name}\\(([^)]*)\\)\\s*[;{]`).exec(text)?.[1];
  if (parameters === undefined) return undefined;
  return parameters.trim() === 'void' ? 0 : parameters.split(',').length;
}

const helpers = scenarioCallEntries.filter(([, call]) => call.kind === 'helper');

test('every helper the models run is declared in the header with the same number of parameters', () => {
  for (const [name, call] of helpers) {
    assert.equal(parameterCount(header, name), call.parameters.length, `${name} in knr_scenario.h`);
  }
  const declared = [...header.matchAll(/\b(knr_[a-z0-9_]+)\(/g)].map((m) => m[1]);
  assert.deepEqual(new Set(declared), new Set(helpers.map(([name]) => name)));
});

test('the live harness implements every helper, and wraps every call a statement may make, with its parameters', () => {
  const implementations = readFileSync(join(folder, 'live', 'knr_helpers.c'), 'utf8');
  for (const [name, call] of helpers) {
    assert.equal(parameterCount(implementations, name), call.parameters.length, `${name} in knr_helpers.c`);
  }
  const wrappers = readFileSync(join(folder, 'live', 'knr_live.h'), 'utf8');
  for (const [name, call] of scenarioCallEntries.filter(([, entry]) => !entry.initialiserOnly)) {
    // The wrapper takes the statement's site first, then the call's own arguments.
    assert.equal(
      parameterCount(wrappers, `knr_live_${name}`),
      call.parameters.length + 1,
      `knr_live_${name}`,
    );
  }
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
