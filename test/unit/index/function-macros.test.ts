import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import { elidedBody, functionMacrosIn, macroBodyLimits } from '../../../server/src/index/function-macros';
import type { KernelIndex } from '../../../server/src/index/kernel-index';
import { openIndexWithSummary } from '../../../server/src/index/open';
import type { SymbolLocation } from '../../../server/src/index/queries';
import { positionOf } from '../../support/fixture-position';
import { repoRoot } from '../../support/prerequisites';

const heads = (text: string) => functionMacrosIn(text).map((m) => `${m.name}(${m.parameters})`);

describe('function-like macros are read from the text', () => {
  test('name, position, parameters and a one-line body; object-like macros and #undef are not', () => {
    const text = '#define OBJ (1)\n  # define  max_t( type ,x,\ty ) \t__cmp(x,  y)\n#undef max_t\n';
    assert.deepEqual(functionMacrosIn(text), [
      {
        name: 'max_t',
        nameSpan: { line: 1, column: 12, endLine: 1, endColumn: 17 },
        parameters: 'type, x, y',
        body: '__cmp(x, y)',
      },
    ]);
  });

  test('continued lines keep their lines, without comments, blank lines or shared indentation', () => {
    const text = [
      '#define F(x) \\',
      '\tdo { /* a comment */ \\',
      '\t\tfoo(x); /* the call */ \\',
      '\t\\',
      '\t} while (0)',
      '#define LINE_COMMENT(x) (x) // a line comment runs on \\',
      '\tthrough the continuation',
      '#define NEXT(a, ...) bar(a, __VA_ARGS__) /* a comment',
      '   over two lines */',
      '#define EMPTY()',
      '',
    ].join('\n');
    const [f, lineComment, next, empty] = functionMacrosIn(text);
    assert.equal(f.body, 'do {\n\tfoo(x);\n} while (0)');
    assert.equal(lineComment.body, '(x)');
    assert.equal(next.nameSpan.line, 7);
    assert.deepEqual([next.parameters, next.body], ['a, ...', 'bar(a, __VA_ARGS__)']);
    assert.deepEqual([empty.name, empty.parameters, empty.body, empty.nameSpan.line], ['EMPTY', '', '', 9]);
  });

  test('every branch of a conditional defines; a comment-like literal is text', () => {
    const text =
      '#ifdef A\n#define W(w) ((w) & 0xffff)\n#else\n#define W(w) "/*" #w\n#endif\n#define X(a) a\n';
    assert.deepEqual(heads(text), ['W(w)', 'W(w)', 'X(a)']);
    assert.equal(functionMacrosIn(text)[1].body, '"/*" #w');
  });

  test('a long body is cut at the limits with a marked last line', () => {
    const lines = Array.from({ length: macroBodyLimits.lines + 5 }, (_, i) => `\tstep(a, ${i}); \\`);
    const [macro] = functionMacrosIn(`#define LONG(a) \\\n${lines.join('\n')}\n\tdone(a)\n`);
    const kept = macro.body.split('\n');
    assert.equal(kept.length, macroBodyLimits.lines + 1);
    assert.equal(kept.at(-1), elidedBody);
    const [wide] = functionMacrosIn(`#define WIDE(a) ${'x'.repeat(macroBodyLimits.characters * 2)}\n`);
    assert.equal(wide.body, `${'x'.repeat(macroBodyLimits.characters)}\n${elidedBody}`);
  });

  test('the parsed, the macro-only and the too-big paths give the same function-like macros', async () => {
    const indexer = await FileIndexer.create();
    const folder = mkdtempSync(join(tmpdir(), 'knr-function-macros-'));
    try {
      const header = '#ifndef G\n#define G\n#define F(x) ((x) + 1)\n#define K 2\n#endif\n';
      writeFileSync(join(folder, 'only.h'), header);
      const macroOnly = indexer.indexFile(join(folder, 'only.h'), 'only.h');
      assert.equal(macroOnly.macroOnly, true);
      assert.deepEqual(macroOnly.facts?.functionMacros, indexer.indexText('only.h', header).functionMacros);
      assert.deepEqual(heads(header), ['F(x)']);
      const code = '#define F(x) ((x) + 1)\nint f(int a) { return F(a); }\n';
      assert.deepEqual(indexer.indexText('code.c', code).functionMacros, functionMacrosIn(code));
      const big = `#define BIG(x) (x)\n${'int a;\n'.repeat(200_000)}`;
      writeFileSync(join(folder, 'big.c'), big);
      const lexical = indexer.indexFile(join(folder, 'big.c'), 'big.c');
      assert.equal(lexical.problem?.kind, 'lexical-only');
      assert.deepEqual(
        lexical.facts?.functionMacros.map((m) => m.name),
        ['BIG'],
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('function-like macros in the index of a synthetic tree', () => {
  const root = join(repoRoot, 'test', 'fixtures', 'index-tree');
  const header = 'include/linux/minmax.h';
  let index: KernelIndex;
  let cache: string;
  const where = (symbols: SymbolLocation[]) => symbols.map((s) => `${s.kind} ${s.file}:${s.span.line}`);
  const line = (needle: string) => positionOf(root, header, needle).line;

  before(async () => {
    cache = mkdtempSync(join(tmpdir(), 'knr-function-macros-index-'));
    ({ index } = await openIndexWithSummary(root, { cache }));
  });
  after(() => rmSync(cache, { recursive: true, force: true }));

  test('a call of a macro resolves to the macro, not to a namesake function of a selftest', () => {
    const at = positionOf(root, 'net/socket.c', 'max(a, b)');
    const call = index.callAt('net/socket.c', at.line, at.column);
    assert.ok(call && !call.indirect);
    const candidates = call.candidates;
    assert.deepEqual(where(candidates), [
      `macro ${header}:${line('define max(x, y)')}`,
      `function tools/testing/selftests/net/copy_test.c:${positionOf(root, 'tools/testing/selftests/net/copy_test.c', 'int max(').line}`,
    ]);
    assert.equal(candidates[0].detail, '#define max(x, y) __cmp(x, y, >)');
    assert.equal(index.definitions('max', 'net/socket.c')[0].kind, 'macro');
  });

  test('the callees of a function list the macros it calls, at their #define, beside its functions', () => {
    const callees = index.callees('sock_window', 'net/socket.c');
    const macros = callees
      .filter((edge) => edge.calleeLocation?.kind === 'macro')
      .map((edge) => `${edge.callee} ${edge.calleeLocation!.file}:${edge.calleeLocation!.span.line}`);
    assert.deepEqual(macros.sort(), [
      `max ${header}:${line('define max(x, y)')}`,
      `max_t ${header}:${line('define max_t(')}`,
      `window_of ${header}:${line('define window_of(')}`,
    ]);
  });

  test('a continued macro with a comment inside, and the macro after it, are definitions', () => {
    assert.deepEqual(where(index.definitions('max_t', 'net/socket.c')), [
      `macro ${header}:${line('define max_t(')}`,
    ]);
    assert.deepEqual(where(index.definitions('after_long', 'net/socket.c')), [
      `macro ${header}:${line('define after_long(')}`,
    ]);
    const fact = index.facts(header)?.functionMacros.find((m) => m.name === 'max_t');
    assert.equal(fact?.body, '__cmp((type)(x), (type)(y), >)');
  });

  test('each branch of an #ifdef defines; #undef does not', () => {
    assert.equal(index.definitions('window_of', 'net/socket.c').length, 2);
    assert.deepEqual(where(index.definitions('old_window')), [
      `macro ${header}:${line('define old_window')}`,
    ]);
  });

  test('a function-like macro is no constant', () => {
    assert.equal(index.macroValue('max'), undefined);
    assert.equal(index.evaluateConstant('max(1, 2)'), undefined);
  });

  test('workspace search finds function-like macros', () => {
    assert.deepEqual(
      index.searchSymbols('max_t', 1).map((s) => `${s.kind} ${s.name}`),
      ['macro max_t'],
    );
  });

  test('the persisted index keeps them', async () => {
    const again = await openIndexWithSummary(root, { cache });
    assert.equal(again.summary.parsed, 0);
    assert.deepEqual(again.index.facts(header)?.functionMacros, index.facts(header)?.functionMacros);
    assert.ok((index.facts(header)?.functionMacros.length ?? 0) >= 7);
  });
});
