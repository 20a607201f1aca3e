// The architecture's invariants (ARCHITECTURE.md), checked on every source file of the server and the
// extension, and the checker itself shown to catch each kind of break on small in-memory examples.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { checkArchitecture, type SourceFile } from '../support/architecture-rules';
import { repoRoot } from '../support/prerequisites';

function sourcesUnder(folder: string): SourceFile[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => {
      const path = relative(repoRoot, join(entry.parentPath, entry.name)).split('\\').join('/');
      return { path, text: readFileSync(join(repoRoot, path), 'utf8') };
    });
}

const rulesBroken = (files: SourceFile[]): string[] => checkArchitecture(files).map((v) => v.rule);

test('every file of server/src and client/src keeps the invariants', () => {
  const files = [...sourcesUnder('server/src'), ...sourcesUnder('client/src')];
  assert.ok(files.length > 100, `only ${files.length} source files found`);
  assert.deepEqual(checkArchitecture(files), []);
});

test('the checker catches an index file that imports the language server or a trace', () => {
  const file = (text: string): SourceFile => ({ path: 'server/src/index/open.ts', text });
  assert.deepEqual(rulesBroken([file("import { fileToUri } from '../lsp/convert';\n")]), ['layers']);
  assert.deepEqual(rulesBroken([file("import type { Trace } from '../trace/trace';\n")]), ['layers']);
  assert.deepEqual(rulesBroken([file("export { Hover } from 'vscode-languageserver';\n")]), [
    'editor protocol only in front ends',
  ]);
  assert.deepEqual(rulesBroken([file("import { readFileSync } from 'node:fs';\nimport './facts';\n")]), []);
});

test('the checker catches a model that does IO', () => {
  const model = (text: string): SourceFile => ({ path: 'server/src/models/raw.ts', text });
  assert.deepEqual(rulesBroken([model("import { readFileSync } from 'node:fs';\n")]), ['models do no IO']);
  assert.deepEqual(rulesBroken([model("import { connect } from 'node:net';\n")]), ['models do no IO']);
  assert.deepEqual(rulesBroken([model("import type { IndexQueries } from '../index/queries';\n")]), []);
});

test('the checker catches an LSP position made from an index position outside convert.ts', () => {
  const text = 'const range = { start: { line, character: span.column }, end };\n';
  assert.deepEqual(rulesBroken([{ path: 'server/src/lsp/features/hover.ts', text }]), [
    'LSP positions only in convert.ts',
  ]);
  assert.deepEqual(rulesBroken([{ path: 'server/src/lsp/convert.ts', text }]), []);
  const lineStart = 'document.getText({ start: { line, character: 0 }, end });\n';
  assert.deepEqual(rulesBroken([{ path: 'server/src/lsp/session.ts', text: lineStart }]), []);
});

test('the checker catches tree-sitter query text outside grammars/', () => {
  const text = "const query = new Query(language, '(call_expression) @call');\n";
  assert.deepEqual(rulesBroken([{ path: 'server/src/index/extract/extract-facts.ts', text }]), [
    'tree-sitter queries only in grammars/',
  ]);
});
