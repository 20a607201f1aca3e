// The one bundler script: client -> dist/extension.js, server -> dist/server.js, CLI -> dist/cli.js
// (and its small entry dist/knr.js, with the query server dist/query-server.js).
// Type checking is separate (`npm run typecheck`): esbuild strips types without checking them.
import * as esbuild from 'esbuild';
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { treeSitterNodePatch } from './esbuild-tree-sitter-patch.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  // The ESM build of web-tree-sitter reads import.meta.url, which a CommonJS bundle lacks.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
  plugins: [treeSitterNodePatch],
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
  // What bin/knr runs: a query goes to the shared query server; anything else loads dist/cli.js.
  { entryPoints: ['server/src/cli/query-server/knr-entry.ts'], outfile: 'dist/knr.js' },
  { entryPoints: ['server/src/cli/query-server/server-main.ts'], outfile: 'dist/query-server.js' },
  { entryPoints: ['server/src/index/extract-worker.ts'], outfile: 'dist/extract-worker.js' },
  { entryPoints: ['server/src/index/read-worker.ts'], outfile: 'dist/read-worker.js' },
];

// The bundles find the tree-sitter runtime, the C grammar and the queries next to them
// (server/src/parse/wasm-paths.ts, grammar-paths.ts).
function copyRuntimeFiles() {
  mkdirSync('dist', { recursive: true });
  copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm');
  copyFileSync('node_modules/tree-sitter-c/tree-sitter-c.wasm', 'dist/tree-sitter-c.wasm');
  cpSync('grammars', 'dist/grammars', { recursive: true });
}

copyRuntimeFiles();
if (watch) {
  for (const entry of entries) {
    const context = await esbuild.context({ ...common, ...entry });
    await context.watch();
  }
} else {
  await Promise.all(entries.map((entry) => esbuild.build({ ...common, ...entry })));
}
