import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import { KernelIndex } from '../../../server/src/index/kernel-index';
import type { FileFacts } from '../../../server/src/index/facts';
import { lineAndColumn } from '../../support/fixture-position';

/** The 0-based line and column where `text` occurs in `source`. */
function positionIn(source: string, text: string): { line: number; column: number } {
  const at = source.indexOf(text);
  assert.notEqual(at, -1, `no '${text}' in the fixture`);
  return lineAndColumn(source, at);
}

describe('structure that the preprocessor or error recovery hides', () => {
  let indexer: FileIndexer;
  before(async () => {
    indexer = await FileIndexer.create();
  });
  const lines = (...text: string[]) => text.join('\n') + '\n';
  const functionNames = (facts: FileFacts) => facts.functions.map((fact) => fact.name);
  const callsOf = (facts: FileFacts) => facts.calls.map((call) => `${call.caller}:${call.callee}`);

  test('fields declared under #if, #ifdef, #elif and #else are fields, and calls through them resolve', () => {
    const header = lines(
      'struct net_device {',
      '\tint mtu;',
      '#ifdef CONFIG_WIRELESS',
      '\tconst struct wireless_ops *wireless_handlers;',
      '#else',
      '\tint no_wireless;',
      '#endif',
      '#if IS_ENABLED(CONFIG_TLS)',
      '\tconst struct tls_ops *tlsdev_ops;',
      '#elif defined(CONFIG_OTHER)',
      '\tint other;',
      '#endif',
      '\tunion {',
      '#ifdef CONFIG_NESTED',
      '\t\tstruct nested_ops *nested_ops;',
      '#endif',
      '\t};',
      '};',
    );
    const facts = indexer.indexText('include/linux/netdevice.h', header);
    const [device] = facts.structs;
    assert.deepEqual(
      device.fields.map((field) => `${field.name}:${field.typeTag ?? '-'}`),
      [
        'mtu:-',
        'wireless_handlers:wireless_ops',
        'no_wireless:-',
        'tlsdev_ops:tls_ops',
        'other:-',
        'nested_ops:nested_ops',
      ],
    );

    const caller = lines(
      'int dev_add(struct net_device *dev)',
      '{',
      '\treturn dev->tlsdev_ops->add(dev);',
      '}',
    );
    const index = new KernelIndex('/kernel', '6.1.0');
    index.setFile(facts);
    index.setFile(indexer.indexText('net/core/dev.c', caller));
    const at = positionIn(caller, 'add(dev)');
    assert.equal(index.callAt('net/core/dev.c', at.line, at.column)?.struct, 'tls_ops');
  });

  test('a function returning a pointer keeps its parameters: a call through one resolves by its type', () => {
    const source = lines(
      'struct sk_buff *build_skb(struct dev_ops *ops, int size)',
      '{',
      '\treturn ops->alloc(size);',
      '}',
      'struct sk_buff *declared_only(struct dev_ops *ops);',
      'struct sk_buff *(*alloc_hook)(int size);',
    );
    const facts = indexer.indexText('net/core/skb.c', source);
    assert.deepEqual(facts.calls[0].receiver, { root: 'dev_ops', fields: [] });
    assert.deepEqual(
      facts.functions.map((fact) => `${fact.name}:${fact.isDefinition ? 'definition' : 'declaration'}`),
      ['build_skb:definition', 'declared_only:declaration'],
    );
    assert.deepEqual(
      facts.variables.map((variable) => variable.name),
      ['alloc_hook'],
    );

    // A namesake global elsewhere is not the parameter's type.
    const index = new KernelIndex('/kernel', '6.1.0');
    index.setFile(facts);
    index.setFile(indexer.indexText('arch/s390/ops.c', 'struct other_ops ops;\n'));
    const at = positionIn(source, 'alloc(size)');
    assert.equal(index.callAt('net/core/skb.c', at.line, at.column)?.struct, 'dev_ops');
  });

  test('assembler under #ifdef __ASSEMBLY__, or in the #else of #ifndef __ASSEMBLY__, is not read as C', () => {
    const header = lines(
      '#ifdef __ASSEMBLY__ /* assembler',
      ' * only */',
      '.macro ALT_ENTRY oldptr newptr vendor_id',
      '\tRISCV_PTR \\oldptr',
      '.endm',
      '#define _ALT_CFG(old_c, CONFIG_k) \\',
      '\t__ALT_CFG old_c, IS_ENABLED(CONFIG_k)',
      '.macro __ALT_CFG old_c, enable',
      '886 :',
      '\t.option push',
      '.endm',
      '#else',
      'static inline int alt_in_c(int x) { return helper(x); }',
      '#endif',
      '#if !defined(__ASSEMBLY__)',
      'int c_only(void);',
      '#else',
      '#define ASM_ONLY 1',
      '\tALTERNATIVE(IS_ENABLED(CONFIG_X)) ; .org . - (889b - 888b)',
      '#endif',
    );
    const facts = indexer.indexText('arch/riscv/include/asm/alternative-macros.h', header);
    assert.deepEqual(functionNames(facts), ['alt_in_c', 'c_only']);
    assert.deepEqual(callsOf(facts), ['alt_in_c:helper']);
    assert.deepEqual(
      facts.macros.map((macro) => macro.name),
      ['ASM_ONLY'],
    );
    assert.equal(facts.parseErrors, 0);
  });

  test('`else WARN_ON(1);` and `else if` left by an #if that split an if/else are no functions', () => {
    // What remains of a function body once an #if inside it has cost the function its header.
    const facts = indexer.indexText(
      'net/ipv6/fib.c',
      lines(
        '#if DEBUG >= 2',
        '\telse',
        '\t\tWARN_ON(1);',
        '#endif',
        '\telse if (pn_l == fn) {',
        '\t\tassign(pn->left, child);',
        '\t}',
        'int after(void) { return later(); }',
      ),
    );
    assert.deepEqual(functionNames(facts), ['after']);
    assert.deepEqual(callsOf(facts), ['after:later']);
  });

  test('a block-shaped macro inside a body is a call, and the calls after its block stay the function’s', () => {
    const facts = indexer.indexText(
      'net/ipv4/tcp_output.c',
      lines(
        'static int transmit(struct sock *sk, struct sk_buff *skb, int clone_it)',
        '{',
        '\tif (clone_it) {',
        '\t\ttcp_skb_tsorted_save(oskb) {',
        '\t\t\tskb = skb_clone(oskb, gfp_mask);',
        '\t\t} tcp_skb_tsorted_restore(oskb);',
        '\t\tWARN_ON(skb) {',
        '\t\t\tbug(skb);',
        '\t\t}',
        '\t}',
        '\tinet = inet_sk(sk);',
        '\treturn sk->sk_prot->send(sk, skb);',
        '}',
      ),
    );
    assert.deepEqual(functionNames(facts), ['transmit']);
    assert.deepEqual(callsOf(facts), [
      'transmit:tcp_skb_tsorted_save',
      'transmit:skb_clone',
      'transmit:tcp_skb_tsorted_restore',
      'transmit:WARN_ON',
      'transmit:bug',
      'transmit:inet_sk',
      'transmit:send',
    ]);
    assert.deepEqual(facts.calls.at(-1)?.receiver, { root: 'sock', fields: ['sk_prot'] });
  });

  test('a real function swallowed by a body whose braces an #ifdef left open is still a function', () => {
    const facts = indexer.indexText(
      'net/core/pktgen.c',
      lines(
        'static int first(void)',
        '{',
        '#ifdef CONFIG_X',
        '\tif (a) {',
        '#endif',
        '\t\tone();',
        '}',
        'static int second(struct seq_file *seq, void *v)',
        '{',
        '\treturn two(seq);',
        '}',
      ),
    );
    assert.ok(functionNames(facts).includes('second'), functionNames(facts).join(' '));
    assert.ok(callsOf(facts).includes('second:two'), callsOf(facts).join(' '));
  });
});
