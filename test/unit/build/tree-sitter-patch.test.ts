// esbuild-tree-sitter-patch.mjs rewrites web-tree-sitter's node handles and input copy as it is
// bundled: a bundle built with it must read the same trees as the library run unpatched, text
// spanning several input chunks and characters outside ASCII included.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { repoRoot } from '../../support/prerequisites';

const runtimeWasm = join(repoRoot, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm');
const grammarWasm = join(repoRoot, 'node_modules', 'tree-sitter-c', 'tree-sitter-c.wasm');

// Over 5,119 characters, the most one call of the input callback copies, several times over.
const source = Array.from(
  { length: 300 },
  (_, i) =>
    `/* état ${i} — ✓ */\nstatic int f${i}(struct sock *sk, int n)\n{\n\tif (sk->ops->recvmsg(sk, n))\n\t\treturn g${i}(sk);\n\treturn 0;\n}\n`,
).join('\n');

/** What a reader of the tree sees: every call's span and position, its callee's type and text. */
function readTree(rootNode: Node, text: string): string {
  const calls = rootNode.descendantsOfType(['call_expression', 'function_definition', 'ERROR']);
  return JSON.stringify({
    tree: rootNode.toString(),
    nodes: calls.map((node) => {
      const callee = node!.childForFieldName('function') ?? node!.childForFieldName('declarator');
      return [
        node!.type,
        node!.startIndex,
        node!.endIndex,
        node!.startPosition,
        node!.endPosition,
        callee?.type,
        callee && text.slice(callee.startIndex, callee.endIndex),
      ];
    }),
  });
}

const entry = `
import { Language, Parser } from 'web-tree-sitter';
import { readFileSync } from 'node:fs';
${readTree.toString()}
(async () => {
  await Parser.init({ locateFile: () => ${JSON.stringify(runtimeWasm)} });
  const parser = new Parser();
  parser.setLanguage(await Language.load(${JSON.stringify(grammarWasm)}));
  const text = readFileSync(process.argv[2], 'utf8');
  process.stdout.write(readTree(parser.parse(text).rootNode, text));
})();
`;

async function patchModule(): Promise<{
  treeSitterNodePatch: esbuild.Plugin;
  patchWebTreeSitter: (contents: string, path: string) => string;
}> {
  return import(pathToFileURL(join(repoRoot, 'esbuild-tree-sitter-patch.mjs')).href);
}

test('a bundle with the patched web-tree-sitter reads the same tree as the library', async () => {
  const { treeSitterNodePatch } = await patchModule();
  assert.ok(source.length > 3 * 5119, `${source.length} characters`);
  const dir = mkdtempSync(join(tmpdir(), 'knr-tree-sitter-patch-'));
  try {
    writeFileSync(join(dir, 'entry.ts'), entry);
    writeFileSync(join(dir, 'source.c'), source);
    await esbuild.build({
      entryPoints: [join(dir, 'entry.ts')],
      outfile: join(dir, 'bundle.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'silent',
      alias: { 'web-tree-sitter': join(repoRoot, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.cjs') },
      plugins: [treeSitterNodePatch],
    });
    assert.match(readFileSync(join(dir, 'bundle.js'), 'utf8'), /HEAPU16\[first \+/);
    const bundled = spawnSync(process.execPath, [join(dir, 'bundle.js'), join(dir, 'source.c')], {
      encoding: 'utf8',
    });
    assert.equal(bundled.status, 0, bundled.stderr);

    await Parser.init({ locateFile: () => runtimeWasm });
    const parser = new Parser();
    parser.setLanguage(await Language.load(grammarWasm));
    const tree = parser.parse(source)!;
    const unpatched = readTree(tree.rootNode, source);
    tree.delete();
    assert.ok(unpatched.includes('recvmsg'));
    assert.equal(bundled.stdout, unpatched);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the patch refuses a web-tree-sitter whose text it no longer finds', async () => {
  const { patchWebTreeSitter } = await patchModule();
  const library = readFileSync(
    join(repoRoot, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.cjs'),
    'utf8',
  );
  assert.notEqual(patchWebTreeSitter(library, 'web-tree-sitter.cjs'), library);
  assert.throws(
    () =>
      patchWebTreeSitter(
        library.replace('function marshalNode(node, index = 0) {', 'function marshalNode(node, i) {'),
        'x.cjs',
      ),
    /x\.cjs no longer has exactly one marshalNode through setValue/,
  );
});
