import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { definitionsOf } from '../../../server/src/index/definition-lookup';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import { KernelIndex } from '../../../server/src/index/kernel-index';
import { targetAt } from '../../../server/src/index/target';

const lines = (...text: string[]) => text.join('\n') + '\n';

const header = lines(
  '#ifndef _SSIZE_T',
  '#define _SSIZE_T',
  'typedef __kernel_ssize_t\tssize_t;',
  '#endif',
  'typedef unsigned long long uint64_t;',
  'enum sock_state {',
  '\tSS_FREE = 0,',
  '\tSS_CONNECTED,',
  '};',
  'struct callback_head {',
  '\tstruct callback_head *next;',
  '};',
  '#define rcu_head callback_head',
);

const user = lines(
  'static ssize_t sock_read(enum sock_state state, uint64_t cookie)',
  '{',
  '\tstruct rcu_head head;',
  '\treturn state;',
  '}',
);

/** Where `knr definition` goes from the first occurrence of `word` in the user file. */
function definitionOf(index: KernelIndex, word: string): string[] {
  const lineNumber = user.split('\n').findIndex((line) => new RegExp(`\\b${word}\\b`).test(line));
  assert.notEqual(lineNumber, -1, `no '${word}' in the fixture`);
  const lineText = user.split('\n')[lineNumber];
  const target = targetAt(
    index,
    'net/socket.c',
    lineText,
    lineNumber,
    lineText.search(new RegExp(`\\b${word}\\b`)),
  );
  assert.ok(target, `no target at '${word}'`);
  return definitionsOf(index, 'net/socket.c', target).map(
    (symbol) => `${symbol.kind} ${symbol.file}:${symbol.span.line + 1}`,
  );
}

describe('definitions of tags and of the C library’s type names', () => {
  let index: KernelIndex;
  before(async () => {
    const indexer = await FileIndexer.create();
    index = new KernelIndex('/kernel', '6.1.0');
    index.setFile(indexer.indexText('include/linux/types.h', header));
    index.setFile(indexer.indexText('net/socket.c', user));
  });

  test('typedefs of names tree-sitter-c reads as primitive types (ssize_t, uint64_t) are definitions', () => {
    assert.deepEqual(definitionOf(index, 'ssize_t'), ['typedef include/linux/types.h:3']);
    assert.deepEqual(definitionOf(index, 'uint64_t'), ['typedef include/linux/types.h:5']);
  });

  test('`enum TAG` goes to the enum, whose constants keep their own definitions', () => {
    assert.deepEqual(definitionOf(index, 'sock_state'), ['enum include/linux/types.h:6']);
    assert.deepEqual(
      index.definitions('SS_CONNECTED').map((symbol) => `${symbol.kind} ${symbol.container}`),
      ['enum-constant sock_state'],
    );
  });

  test('a struct tag renamed by a macro goes to the macro that renames it', () => {
    assert.deepEqual(definitionOf(index, 'rcu_head'), ['macro include/linux/types.h:13']);
  });

  test('a bare name is never a tag: a variable named like an enum does not go to the enum', () => {
    const symbols = index.definitions('sock_state');
    assert.deepEqual(
      symbols.map((symbol) => symbol.kind),
      ['enum'],
    );
    const lineText = '\treturn sock_state;';
    const target = targetAt(index, 'net/socket.c', lineText, 3, lineText.indexOf('sock_state'));
    assert.ok(target);
    assert.deepEqual(definitionsOf(index, 'net/socket.c', target), []);
  });
});
