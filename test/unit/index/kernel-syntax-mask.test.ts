import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import { maskKernelSyntax } from '../../../server/src/index/kernel-syntax-mask';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

describe('masking kernel syntax before parsing', () => {
  let indexer: FileIndexer;
  before(async () => {
    indexer = await FileIndexer.create();
  });

  test('annotations become spaces, with their argument, and nothing moves', () => {
    const text = lines(
      'static int __init __printf(2, 3) setup(char __user *buf, const char *fmt, ...)',
      '{',
      '\treturn copy((__force __be16)x, buf __aligned(sizeof(long)));',
      '}',
    );
    const masked = maskKernelSyntax(text).text;
    assert.equal(masked.length, text.length);
    assert.deepEqual(
      masked.split('\n').map((line) => line.length),
      text.split('\n').map((line) => line.length),
    );
    assert.doesNotMatch(masked, /__init|__printf|__user|__force|__aligned/);
    const blank = (word: string) => ' '.repeat(word.length);
    assert.equal(
      masked.split('\n')[0],
      `static int ${blank('__init')} ${blank('__printf(2, 3)')} setup(char ${blank('__user')} *buf, const char *fmt, ...)`,
    );
    assert.equal(
      masked.split('\n')[2],
      `\treturn copy((${blank('__force')} __be16)x, buf ${blank('__aligned(sizeof(long))')});`,
    );
  });

  test('loop macros used as statements become while, other uses of the name stay', () => {
    const text = lines(
      'void for_each_thing(struct list_head *h)',
      '{',
      '\tlist_for_each_entry(p, h, list) {',
      '\t\tg(p);',
      '\t}',
      '\tif (x)',
      '\t\tfor_each_cpu(cpu, mask)',
      '\t\t\tcount++;',
      '\telse hlist_for_each_entry_rcu(p, &h->head, node) g(p);',
      '\tcall_for_each(p, h);',
      '\tn = for_each_count(h);',
      '}',
    );
    const { text: maskedText, loopMacros } = maskKernelSyntax(text);
    const masked = maskedText.split('\n');
    assert.equal(masked[0], 'void for_each_thing(struct list_head *h)', 'a definition is not a loop');
    assert.equal(masked[2], '\twhile              (p, h, list) {');
    assert.equal(masked[6], '\t\twhile       (cpu, mask)');
    assert.equal(masked[8], '\telse while                   (p, &h->head, node) g(p);');
    assert.equal(masked[9], '\tcall_for_each(p, h);', 'a call statement ends with ;');
    assert.equal(masked[10], '\tn = for_each_count(h);');
    assert.deepEqual(loopMacros, [
      { name: 'list_for_each_entry', line: 2, column: 1 },
      { name: 'for_each_cpu', line: 6, column: 2 },
      { name: 'hlist_for_each_entry_rcu', line: 8, column: 6 },
    ]);
  });

  test('functions defined by macros become definitions named as the kernel names them', () => {
    const text = lines(
      '/* Receive a datagram. */',
      'SYSCALL_DEFINE3(recv, int, fd, void __user *, ubuf,',
      '\t\tsize_t, size)',
      '{',
      '\treturn __sys_recvfrom(fd, ubuf, size, 0, NULL, NULL);',
      '}',
      'BPF_CALL_2(bpf_skb_len, struct sk_buff *, skb, u32, (*pick)(int))',
      '{',
      '\treturn skb_len(skb);',
      '}',
      'COMPAT_SYSCALL_DEFINE0(pause)',
      '{',
      '\treturn do_pause();',
      '}',
      'void g(void)',
      '{',
      '\tx = SYSCALL_DEFINE1(f, int, a);',
      '}',
      '#define SYSCALL_DEFINE1(name, ...) SYSCALL_DEFINEx(1, _##name, __VA_ARGS__)',
    );
    const masked = maskKernelSyntax(text).text.split('\n');
    assert.deepEqual(masked.slice(1, 3), [
      'long            recv( int  fd, void        *  ubuf,',
      '\t\tsize_t  size)',
    ]);
    assert.equal(masked[6], 'long       bpf_skb_len( struct sk_buff *  skb, u32  (*pick)(int))');
    assert.equal(masked[16], '\tx = SYSCALL_DEFINE1(f, int, a);', 'not at the start of a line');
    assert.equal(masked[18], text.split('\n')[18], 'not in a directive');
    const wrongCount = lines('SYSCALL_DEFINE2(short, int, fd)', '{', '}');
    assert.equal(maskKernelSyntax(wrongCount).text, wrongCount, 'two parameters need four commas');

    const facts = indexer.indexText('net/socket.c', text);
    assert.equal(facts.parseErrors, 0);
    assert.deepEqual(
      facts.functions.map((f) => [f.name, f.nameSpan.line, f.nameSpan.column, f.nameSpan.endColumn, f.doc]),
      [
        ['sys_recv', 1, 16, 20, '/* Receive a datagram. */'],
        ['bpf_skb_len', 6, 11, 22, undefined],
        ['compat_sys_pause', 10, 23, 28, undefined],
        ['g', 14, 5, 6, undefined],
      ],
    );
    assert.equal(
      facts.functions[0].signature,
      'SYSCALL_DEFINE3(recv, int, fd, void __user *, ubuf, size_t, size)',
    );
    assert.deepEqual(
      facts.calls.map((call) => `${call.caller} -> ${call.callee}`),
      [
        'sys_recv -> __sys_recvfrom',
        'bpf_skb_len -> skb_len',
        'compat_sys_pause -> do_pause',
        'g -> SYSCALL_DEFINE1',
      ],
    );
  });

  test('preprocessor lines, continuations included, are left alone', () => {
    const text = lines(
      '#define __user __attribute__((noderef, address_space(__user)))',
      '#define list_for_each(pos, head) \\',
      '\tfor (pos = (head)->next; pos != (head); pos = pos->next)',
      '#define FOO(x) \\',
      '\tlist_for_each(x, h) { } __init',
    );
    assert.deepEqual(maskKernelSyntax(text), { text, loopMacros: [], macroDefinedNames: new Map() });
    const crlf = text.replaceAll('\n', '\r\n');
    assert.deepEqual(
      maskKernelSyntax(crlf),
      { text: crlf, loopMacros: [], macroDefinedNames: new Map() },
      'CRLF continuations too',
    );
  });

  test('the facts keep the file’s own text and positions, and the parse has no errors', () => {
    const text = lines(
      '/* Set up the __init path. */',
      'static int __init setup(char __user *buf)',
      '{',
      '\tstruct sock *sk;',
      '\tlist_for_each_entry(sk, &head, list) {',
      '\t\tsk->sk_prot->close(sk);',
      '\t}',
      '\treturn 0;',
      '}',
      'int __must_check probe(struct device *dev) __acquires(lock);',
    );
    const facts = indexer.indexText('f.c', text);
    assert.equal(facts.parseErrors ?? 0, 0);
    const setup = facts.functions.find((fact) => fact.name === 'setup');
    assert.ok(setup);
    assert.equal(setup.signature, 'static int __init setup(char __user *buf)');
    assert.equal(setup.doc, '/* Set up the __init path. */');
    assert.deepEqual(setup.nameSpan, { line: 1, column: 18, endLine: 1, endColumn: 23 });
    const probe = facts.functions.find((fact) => fact.name === 'probe');
    assert.equal(probe?.signature, 'int __must_check probe(struct device *dev) __acquires(lock)');
    const close = facts.calls.find((call) => call.callee === 'close');
    assert.deepEqual(close?.receiver, { root: 'sock', fields: ['sk_prot'] });
    assert.deepEqual([close?.line, close?.column], [5, 15]);
    assert.deepEqual(
      facts.calls.map((call) => call.callee),
      ['list_for_each_entry', 'close'],
      'the masked loop macro is still a call, in document order',
    );
    assert.equal(facts.calls[0].caller, 'setup');
  });
});
