// Where the tree-sitter runtime and the C grammar's .wasm files are: next to the bundle (dist/, as
// esbuild.mjs copies them), or in node_modules when running from source (tests, tsx).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

function locate(fileName: string, packageName: string): string {
  const besideBundle = join(__dirname, fileName);
  if (existsSync(besideBundle)) return besideBundle;
  return require.resolve(`${packageName}/${fileName}`);
}

export const runtimeWasmPath = (): string => locate('web-tree-sitter.wasm', 'web-tree-sitter');
export const grammarWasmPath = (): string => locate('tree-sitter-c.wasm', 'tree-sitter-c');
