// `npm run docs:helpers`: rewrites the helper set's section of docs/scenarios.md from the table in
// server/src/scenario/helpers.ts. test/unit/scenario/helper-set-docs.test.ts checks that it is current.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { helperSetSection, withHelperSetSection } from '../server/src/scenario/helper-set-markdown';

const page = join(__dirname, '..', 'docs', 'scenarios.md');
writeFileSync(page, withHelperSetSection(readFileSync(page, 'utf8'), helperSetSection()));
console.log(`wrote ${page}`);
