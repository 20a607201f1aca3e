// Where the tree-sitter query files are: beside the bundle (dist/grammars/, copied by esbuild.mjs),
// or in the repository's grammars/ folder when running from source.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readQuerySource(name: string): string {
  const candidates = [join(__dirname, 'grammars', name), join(__dirname, '..', '..', '..', 'grammars', name)];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`query file ${name} not found (looked in ${candidates.join(', ')})`);
  return readFileSync(found, 'utf8');
}
