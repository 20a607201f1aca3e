// The pure parts of `npm run bench:nav`: the sample file's parser, finding positions by text, the
// precision/recall arithmetic, and reading global's output.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  definitionKind,
  isComparable,
  isKernelProper,
  outcome,
  parseCtagsLine,
  useSyntax,
  wordColumn,
} from '../../scripts/bench-nav-global';
import { locate, parseNavSample, SampleError, type TextPosition } from '../../scripts/bench-nav-sample';
import { percent, scoreSet, sumScores } from '../../scripts/bench-nav-score';

const source = [
  'static int demo_recv(struct socket *sock)',
  '{',
  '\treturn sock->ops->recvmsg(sock, 0);',
  '}',
  '',
  'static int demo_again(struct socket *sock)',
  '{',
  '\tif (sock->ops->recvmsg)',
  '\t\treturn sock->ops->recvmsg(sock,  1);',
  '\treturn 0;',
  '}',
].join('\n');

const at = (snippet: string, identifier: string, occurrence = 1): TextPosition => ({
  file: 'net/demo.c',
  snippet,
  identifier,
  occurrence,
});

describe('locate', () => {
  test('finds the identifier inside the first match of the snippet, 1-based', () => {
    assert.deepEqual(locate(source, at('sock->ops->recvmsg(', 'recvmsg')), { line: 3, column: 20 });
  });

  test('counts occurrences of the snippet, not of the identifier', () => {
    assert.deepEqual(locate(source, at('sock->ops->recvmsg(', 'recvmsg', 2)), { line: 9, column: 21 });
  });

  test('any run of white space in the snippet matches any other', () => {
    assert.deepEqual(locate(source, at('recvmsg(sock, 1)', 'sock')), { line: 9, column: 29 });
  });

  test('the identifier must be a whole word of the match', () => {
    assert.deepEqual(locate(source, at('sock->ops', 'ops')), { line: 3, column: 15 });
  });

  test('a snippet that is not there, or not that often, is undefined', () => {
    assert.equal(locate(source, at('sock->ops->sendmsg(', 'sendmsg')), undefined);
    assert.equal(locate(source, at('sock->ops->recvmsg(', 'recvmsg', 3)), undefined);
  });
});

describe('parseNavSample', () => {
  const valid = {
    structAtCallSite: [
      {
        at: { file: 'net/demo.c', snippet: 'sock->ops->recvmsg(', identifier: 'recvmsg' },
        struct: 'proto_ops',
      },
    ],
    impls: [{ field: 'proto_ops.recvmsg', functions: ['demo_recvmsg'] }],
    callers: [{ function: 'demo_recv', callers: ['net/demo.c:demo_main'] }],
    callees: [{ function: 'demo_recv', callees: ['kfree'] }],
  };

  test('reads every measure, with occurrence 1 by default', () => {
    const sample = parseNavSample(JSON.stringify(valid), 'sample.json');
    assert.equal(sample.structAtCallSite[0].at.occurrence, 1);
    assert.deepEqual(sample.impls, [{ query: 'proto_ops.recvmsg', expected: ['demo_recvmsg'] }]);
    assert.deepEqual(sample.callers[0].expected, ['net/demo.c:demo_main']);
    assert.deepEqual(sample.callees[0], { query: 'demo_recv', expected: ['kfree'] });
  });

  test('names the file and the place of what is wrong', () => {
    assert.throws(() => parseNavSample('{', 'sample.json'), /sample\.json: not JSON/);
    const noImpls: Partial<typeof valid> = structuredClone(valid);
    delete noImpls.impls;
    assert.throws(() => parseNavSample(JSON.stringify(noImpls), 's.json'), /s\.json: missing "impls"/);
    const badOccurrence = structuredClone(valid);
    Object.assign(badOccurrence.structAtCallSite[0].at, { occurrence: 0 });
    assert.throws(
      () => parseNavSample(JSON.stringify(badOccurrence), 's.json'),
      /s\.json\.structAtCallSite\[0\]\.at\.occurrence: expected a positive integer/,
    );
    const wordNotInSnippet = structuredClone(valid);
    wordNotInSnippet.structAtCallSite[0].at.identifier = 'recv';
    assert.throws(() => parseNavSample(JSON.stringify(wordNotInSnippet), 's.json'), SampleError);
    const emptyName = structuredClone(valid);
    emptyName.callees[0].callees = [''];
    assert.throws(() => parseNavSample(JSON.stringify(emptyName), 's.json'), /callees\[0\]\.callees\[0\]/);
  });
});

describe('scores', () => {
  test('precision counts answers given, recall answers judged; duplicates count once', () => {
    const score = scoreSet(['a', 'b', 'b', 'x'], ['a', 'b', 'c', 'd']);
    assert.deepEqual(score, { truePositives: 2, reported: 3, expected: 4, missed: ['c', 'd'], extra: ['x'] });
    assert.equal(percent(score.truePositives, score.reported), '66.7% (2/3)');
    assert.equal(percent(score.truePositives, score.expected), '50.0% (2/4)');
  });

  test('a measure sums its queries (a query with more answers weighs more)', () => {
    const total = sumScores([scoreSet(['a'], ['a']), scoreSet(['x', 'y'], ['b'])]);
    assert.equal(total.truePositives, 1);
    assert.equal(total.reported, 3);
    assert.equal(total.expected, 2);
    assert.deepEqual(total.extra, ['x', 'y']);
  });

  test('nothing given is no wrong answer', () => {
    assert.equal(percent(0, 0), '100.0% (0/0)');
  });
});

describe("reading global's output", () => {
  test('parses ctags lines and refuses others', () => {
    assert.deepEqual(parseCtagsLine('sock_queue_rcv_skb\tinclude/net/sock.h\t2586'), {
      name: 'sock_queue_rcv_skb',
      file: 'include/net/sock.h',
      line: 2586,
    });
    assert.equal(parseCtagsLine('global: GTAGS not found.'), undefined);
  });

  test('finds the nth whole-word use of a name on a line', () => {
    const line = '\tlen = max(len, max_len) + max(1, 2);';
    assert.equal(wordColumn(line, 'max', 0), 8);
    assert.equal(wordColumn(line, 'max', 1), 28);
    assert.equal(wordColumn(line, 'max', 2), undefined);
  });

  test("classifies global's definition by its line", () => {
    assert.equal(definitionKind('#define max(a, b) ((a) > (b) ? (a) : (b))', 'max'), 'function-like macro');
    assert.equal(definitionKind('#define NET_IP_ALIGN 2', 'NET_IP_ALIGN'), 'object-like macro');
    assert.equal(definitionKind('struct sock {', 'sock'), 'struct or union');
    assert.equal(definitionKind('enum sock_type {', 'sock_type'), 'enum');
    assert.equal(definitionKind('typedef u32 demo_t;', 'demo_t'), 'typedef');
    assert.equal(
      definitionKind('int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)', 'sock_queue_rcv_skb'),
      'function',
    );
    assert.equal(definitionKind('\tSS_FREE = 0,', 'SS_FREE'), 'variable or other');
  });

  test('tells a member access, a struct tag, a call and a bare name apart', () => {
    const line = '\tstruct sock *sk = skb->sk; kfree_skb(skb); return NET_RX_DROP;';
    assert.equal(useSyntax(line, line.indexOf('sock') + 1, 'sock'), 'tag');
    assert.equal(useSyntax(line, line.indexOf('sk;') + 1, 'sk'), 'member');
    assert.equal(useSyntax(line, line.indexOf('kfree_skb') + 1, 'kfree_skb'), 'call');
    assert.equal(useSyntax(line, line.indexOf('skb)') + 1, 'skb'), 'bare');
  });

  test('compares no member access, and a bare name only when no local can shadow it', () => {
    assert.equal(isComparable('member', 'object-like macro', 'sk_state'), false);
    assert.equal(isComparable('call', 'function', 'kfree_skb'), true);
    assert.equal(isComparable('tag', 'struct or union', 'sock'), true);
    assert.equal(isComparable('bare', 'variable or other', 'skb'), false);
    assert.equal(isComparable('bare', 'variable or other', 'NET_RX_DROP'), true);
    assert.equal(isComparable('bare', 'object-like macro', 'current'), true);
    assert.equal(isComparable('bare', 'typedef', 'ssize_t'), true);
  });

  test('an outcome says what knr answered instead', () => {
    const global = { file: 'include/linux/minmax.h', line: 10 };
    assert.equal(outcome(global, [global]), 'agree');
    assert.equal(outcome(global, []), 'nothing');
    assert.equal(
      outcome(global, [{ file: 'tools/include/linux/kernel.h', line: 3 }, global]),
      'right answer not first',
    );
    assert.equal(outcome(global, [{ file: 'include/linux/minmax.h', line: 40 }]), 'same file, other line');
    assert.equal(outcome(global, [{ file: 'tools/include/linux/kernel.h', line: 3 }]), 'other file');
  });

  test('the kernel proper leaves out tools, samples, scripts, selftests and boot wrappers', () => {
    assert.equal(isKernelProper('net/core/sock.c'), true);
    assert.equal(isKernelProper('arch/x86/include/asm/string_64.h'), true);
    for (const path of [
      'tools/include/linux/kernel.h',
      'samples/bpf/sockex1_kern.c',
      'scripts/dtc/libfdt/fdt.c',
      'drivers/net/ethernet/mellanox/mlxsw/selftests/x.c',
      'arch/x86/boot/string.c',
    ])
      assert.equal(isKernelProper(path), false, path);
  });
});
