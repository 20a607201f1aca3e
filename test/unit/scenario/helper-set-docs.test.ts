import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  generatedEnd,
  generatedStart,
  helperSetSection,
  withHelperSetSection,
} from '../../../server/src/scenario/helper-set-markdown';
import { scenarioCallEntries } from '../../../server/src/scenario/helpers';
import { repoRoot } from '../../support/prerequisites';

const page = readFileSync(join(repoRoot, 'docs', 'scenarios.md'), 'utf8');

test('docs/scenarios.md shows the helper set as the table says (npm run docs:helpers rewrites it)', () => {
  const start = page.indexOf(generatedStart);
  const end = page.indexOf(generatedEnd);
  assert.ok(start >= 0 && end > start, 'docs/scenarios.md lacks the marks of the generated helper set');
  assert.equal(
    page.slice(start, end + generatedEnd.length),
    helperSetSection(),
    'docs/scenarios.md is stale: run npm run docs:helpers',
  );
});

test('the generated section has one row per call of the table, with its parameters and line', () => {
  const section = helperSetSection();
  for (const [name, call] of scenarioCallEntries) {
    assert.ok(section.includes(`| \`${name}(${call.parameters.join(', ')})\``), name);
    assert.ok(section.includes(call.description), name);
  }
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  assert.equal(rows.length, scenarioCallEntries.length);
});

test('a page without the marks is an error that names them', () => {
  assert.throws(
    () => withHelperSetSection('# Scenarios\n', helperSetSection()),
    /marks of the generated helper set/,
  );
});
