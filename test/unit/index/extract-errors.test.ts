import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Parser, Tree } from 'web-tree-sitter';
import { createCParser } from '../../../server/src/parse/c-parser';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import { maskKernelSyntax } from '../../../server/src/index/kernel-syntax-mask';

/** The reference count: every ERROR or MISSING node reached through the subtrees that have errors. */
function errorNodesByWalk(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  let count = 0;
  const cursor = tree.walk();
  for (;;) {
    const node = cursor.currentNode;
    if (node.isError || node.isMissing) count++;
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return count;
      }
    }
  }
}

const texts: Record<string, string> = {
  'a clean file': 'static int f(int a) { return a + 1; }\n',
  'a missing semicolon': 'int f(void) { int a = 1 return a; }\n',
  'an unbalanced brace': 'int f(void) {\n  if (x) {\n    g();\n}\n',
  'a stray token at file scope': '#\nint x;\n)\n',
  'a loop macro with a stray token':
    'void f(struct list_head *h) { list_for_each_entry(p, h, list) { g(p) } }\n',
  'an initialiser with #ifdef':
    'static const struct proto_ops o = {\n#ifdef CONFIG_X\n\t.a = x,\n#endif\n\t.b = y,\n};\n',
  'a comment after a define, then an error': '#define A 1 /* c */ \nint f( {\n',
  'errors inside an include guard and nested conditionals':
    '#ifndef _G_H\n#define _G_H\nint ok(void);\n#ifdef CONFIG_A\nint f(void) { int a = 1 return a; }\n#else\nint g(void) { h( }\n#endif\n#if X\n)\n#elif Y\nint k(void) { return 1 }\n#endif\n#endif\n',
};

describe('parse errors are counted as a walk counts them', () => {
  let indexer: FileIndexer;
  let parser: Parser;
  before(async () => {
    indexer = await FileIndexer.create();
    parser = await createCParser();
  });

  for (const [name, text] of Object.entries(texts)) {
    test(`${name}: as many as a walk finds`, () => {
      // The indexer parses the masked text, so that is the tree to walk.
      const tree = parser.parse(maskKernelSyntax(text).text)!;
      try {
        assert.equal(indexer.indexText('f.c', text).parseErrors, errorNodesByWalk(tree));
      } finally {
        tree.delete();
      }
    });
  }

  test('the texts do exercise errors', () => {
    const counts = Object.values(texts).map((text) => indexer.indexText('f.c', text).parseErrors);
    assert.equal(counts[0], 0);
    assert.ok(counts.filter((count) => count > 0).length >= 4, `counts: ${counts.join(', ')}`);
  });
});
