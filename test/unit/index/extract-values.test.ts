import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import type { FileFacts } from '../../../server/src/index/facts';

// What a field may be given: functions and tables, never a function's own data.
describe('values stored into fields', () => {
  let indexer: FileIndexer;
  before(async () => {
    indexer = await FileIndexer.create();
  });
  const factsOf = (text: string): FileFacts => indexer.indexText('t.c', text);
  const bindingsOf = (text: string) =>
    factsOf(text).bindings.map(
      ({ function: caller, field, value, addressOf }) =>
        `${caller}: ${field} = ${addressOf ? '&' : ''}${value}`,
    );
  const slotsOf = (text: string) =>
    factsOf(text).slots.map(
      ({ table, element, field, value }) =>
        `${table}${element === undefined ? '' : `[${element}]`}.${field} = ${value}`,
    );

  test('a local, a parameter or a file variable of no struct type stored in a field is not a binding', () => {
    const text = [
      'static int nr_ready;',
      'static struct proto_ops fallback_ops;',
      'void attach(struct worker *w, int cpu)',
      '{',
      '\tunsigned long flags = 0;',
      '\tw->cpu = cpu;',
      '\tw->flags = flags;',
      '\tw->ready = nr_ready;',
      '\tw->ops = &fallback_ops;',
      '\tw->work = worker_fn;',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(bindingsOf(text), ['attach: ops = &fallback_ops', 'attach: work = worker_fn']);
  });

  test('both arms of a conditional are values, in an assignment and in an initialiser', () => {
    const text = [
      'void setup(struct packet_sock *po, int ring)',
      '{',
      '\tpo->prot_hook.func = (ring) ?',
      '\t\t\ttpacket_rcv : packet_rcv;',
      '\tpo->fallback = po->other ?: default_rcv;',
      '}',
      'static const struct ops chosen = {',
      '\t.run = IS_ENABLED(CONFIG_FAST) ? fast_run : (void *)slow_run,',
      '};',
      '',
    ].join('\n');
    assert.deepEqual(bindingsOf(text), [
      'setup: func = tpacket_rcv',
      'setup: func = packet_rcv',
      'setup: fallback = default_rcv',
    ]);
    assert.deepEqual(slotsOf(text), ['chosen.run = fast_run', 'chosen.run = slow_run']);
  });

  test('a nested list of a member struct after an #ifdef keeps the member in its slots', () => {
    const text = [
      'const struct l4proto tcp_l4 = {',
      '\t.to_nlattr = tcp_to_nlattr,',
      '#ifdef CONFIG_TIMEOUT',
      '\t.ctnl_timeout = {',
      '\t\t.nlattr_to_obj = tcp_timeout_nlattr_to_obj,',
      '\t\t.nlattr_max = 3,',
      '\t},',
      '#endif',
      '};',
      '',
    ].join('\n');
    assert.deepEqual(slotsOf(text), [
      'tcp_l4.to_nlattr = tcp_to_nlattr',
      'tcp_l4.ctnl_timeout.nlattr_to_obj = tcp_timeout_nlattr_to_obj',
    ]);
  });

  test("a function's own static table is a table; its other locals are not", () => {
    const facts = factsOf(
      [
        'int ipv4_init(struct net *net)',
        '{',
        '\tstatic const struct nf_hook_ops ipv4_ops[] = {',
        '\t\t{ .hook = ipv4_in, .priority = 1 },',
        '\t\t{ .hook = ipv4_out, .priority = 2 },',
        '\t};',
        '\tstruct nf_hook_ops local = { .hook = ipv4_local };',
        '\treturn register_hooks(net, ipv4_ops);',
        '}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      facts.tables.map((t) => `${t.struct} ${t.name}[${t.elements}]`),
      ['nf_hook_ops ipv4_ops[2]'],
    );
    assert.deepEqual(
      facts.slots.map((s) => `${s.table}[${s.element}].${s.field} = ${s.value}`),
      ['ipv4_ops[0].hook = ipv4_in', 'ipv4_ops[1].hook = ipv4_out'],
    );
    assert.deepEqual(
      facts.variables.map((v) => v.name),
      [],
    );
  });

  test('a field copied from another field is a copy, with both receivers', () => {
    const facts = factsOf(
      [
        'void qdisc_init(struct Qdisc *sch, const struct Qdisc_ops *ops)',
        '{',
        '\tsch->dequeue = ops->dequeue;',
        '\tsch->enqueue = (ops->enqueue);',
        '}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      facts.copies.map(
        (c) => `${c.function}: ${c.target.root}.${c.field} = ${c.source.root}.${c.sourceField}`,
      ),
      ['qdisc_init: Qdisc.dequeue = Qdisc_ops.dequeue', 'qdisc_init: Qdisc.enqueue = Qdisc_ops.enqueue'],
    );
    assert.deepEqual(facts.bindings, []);
  });

  test('names passed to a direct call may be functions handed on; locals, file variables and constants are not', () => {
    const facts = factsOf(
      [
        'static int drops;',
        'int ip_local_deliver(struct sk_buff *skb)',
        '{',
        '\tstruct net *net = dev_net(skb->dev);',
        '\treturn NF_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN, net, NULL, skb, skb->dev, "(", /* ) */',
        '\t\t       ip_local_deliver_finish, drops, sizeof(x), f(g), init_net);',
        '}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      facts.arguments.map((a) => `${a.function}: ${a.name} to ${a.passedTo} @${a.line}:${a.column}`),
      [
        'ip_local_deliver: ip_local_deliver_finish to NF_HOOK @5:9',
        'ip_local_deliver: init_net to NF_HOOK @5:58',
        'ip_local_deliver: g to f @5:54',
      ],
    );
  });

  test('a global receiver keeps its name beside its type', () => {
    const calls = factsOf(
      [
        'extern struct proto tcp_prot;',
        'int chtls_recvmsg(struct sock *sk)',
        '{',
        '\treturn tcp_prot.recvmsg(sk) + udp_prot.recvmsg(sk);',
        '}',
        '',
      ].join('\n'),
    ).calls;
    assert.deepEqual(
      calls.map((c) => `${c.callee} on ${c.receiver?.root ?? '?'} named ${c.receiver?.global}`),
      ['recvmsg on proto named tcp_prot', 'recvmsg on ? named udp_prot'],
    );
  });
});
