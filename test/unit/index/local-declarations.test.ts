import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { definitionsOf } from '../../../server/src/index/definition-lookup';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import { KernelIndex } from '../../../server/src/index/kernel-index';
import { LocalDeclarations } from '../../../server/src/index/local-declarations';
import { targetAt } from '../../../server/src/index/target';

const lines = (...text: string[]) => text.join('\n') + '\n';

const header = lines('#define c 3', 'struct htb_class { int level; };', 'int level;', 'int (*handler)(int);');

const source = lines(
  'static int htb_add(struct htb_class *cl, int level)',
  '{',
  '\tint total = level;',
  '\twhile (total) {',
  '\t\tstruct htb_class *c;',
  '\t\tc = cl;',
  '\t\ttotal -= c->level;',
  '\t}',
  '\tfor (int i = 0; i < level; i++)',
  '\t\ttotal += i;',
  '\t{',
  '\t\tint (*handler)(int) = 0;',
  '\t\ttotal += handler(total);',
  '\t}',
  '\treturn total + c;',
  '}',
);
const file = 'net/sched/sch_htb.c';

describe('parameters and locals are definitions, in their scope', () => {
  let index: KernelIndex;
  let declarations: LocalDeclarations;
  before(async () => {
    const indexer = await FileIndexer.create();
    index = new KernelIndex('/kernel', '6.1.0');
    index.setFile(indexer.indexText('include/net/sch_htb.h', header));
    index.setFile(indexer.indexText(file, source));
    declarations = await LocalDeclarations.create();
  });

  const sourceLines = source.split('\n');
  const locals = () => ({ declarations, readLine: (line: number) => sourceLines[line] });

  /** Where definition goes from the `nth` (0-based) whole-word `word` on the line that contains `lineText`. */
  function definitionAt(lineText: string, word: string, nth = 0): string[] {
    const line = sourceLines.findIndex((text) => text.includes(lineText));
    assert.notEqual(line, -1, `no line with '${lineText}'`);
    const columns = [...sourceLines[line].matchAll(new RegExp(`\\b${word}\\b`, 'g'))].map((m) => m.index);
    const target = targetAt(index, file, sourceLines[line], line, columns[nth]);
    assert.ok(target, `no target at '${word}'`);
    return definitionsOf(index, file, target, locals()).map(
      (symbol) =>
        `${symbol.kind} ${symbol.file}:${symbol.span.line + 1}:${symbol.span.column + 1} ${symbol.detail}`,
    );
  }

  test('a local declared in an enclosing block, its own declaration included, shadows a macro of its name', () => {
    const local = `local ${file}:5:21 struct htb_class *c (local)`;
    assert.deepEqual(definitionAt('struct htb_class *c;', 'c'), [local]);
    assert.deepEqual(definitionAt('c = cl;', 'c'), [local]);
    assert.deepEqual(definitionAt('total -= c->level;', 'c'), [local]);
  });

  test('a parameter shadows a global of its name; a for-loop variable is in scope in its loop', () => {
    assert.deepEqual(definitionAt('int total = level;', 'level'), [
      `local ${file}:1:46 int level (parameter)`,
    ]);
    assert.deepEqual(definitionAt('total += i;', 'i'), [`local ${file}:9:11 int i (local)`]);
  });

  test('a local function pointer called by name is the local, not a global namesake', () => {
    assert.deepEqual(definitionAt('total += handler(total);', 'handler'), [
      `local ${file}:12:9 int (*handler)(int) (local)`,
    ]);
  });

  test('outside the block that declares it, a name is the global again', () => {
    assert.deepEqual(
      definitionAt('return total + c;', 'c').map((answer) => answer.split(' ')[0]),
      ['macro'],
    );
  });

  test('references of a local are its uses in its scope', () => {
    const [declaration] = definitionsOf(
      index,
      file,
      targetAt(index, file, sourceLines[5], 5, sourceLines[5].indexOf('c ='))!,
      locals(),
    );
    assert.deepEqual(
      declarations
        .uses(index, locals().readLine, declaration)
        .map((span) => `${span.line + 1}:${span.column + 1}`),
      ['5:21', '6:3', '7:12'],
    );
  });

  test('without a local scope (no parser), names resolve as before', () => {
    const line = sourceLines.findIndex((text) => text.includes('c = cl;'));
    const target = targetAt(index, file, sourceLines[line], line, sourceLines[line].indexOf('c'));
    assert.ok(target);
    assert.deepEqual(
      definitionsOf(index, file, target).map((symbol) => symbol.kind),
      ['macro'],
    );
  });
});
