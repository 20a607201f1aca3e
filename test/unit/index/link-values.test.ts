import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import { KernelIndex } from '../../../server/src/index/kernel-index';
import type { CallEdge, Installation } from '../../../server/src/index/queries';

// Files of a small tree, linked as the index links a kernel's.
const files: Record<string, string> = {
  'include/net/sock.h': [
    'struct sock;',
    'struct proto {',
    '\tint (*recvmsg)(struct sock *sk);',
    '};',
    'struct Qdisc_ops {',
    '\tstruct sk_buff *(*dequeue)(struct Qdisc *sch);',
    '};',
    'struct Qdisc {',
    '\tstruct sk_buff *(*dequeue)(struct Qdisc *sch);',
    '\tconst struct Qdisc_ops *ops;',
    '};',
    'struct worker {',
    '\tint cpu;',
    '\tvoid (*work)(struct worker *w);',
    '};',
    'extern struct proto tcp_prot;',
    'extern int nr_cpu;',
    '',
  ].join('\n'),
  'net/ipv4/tcp.c': [
    'int tcp_recvmsg(struct sock *sk) { return 0; }',
    'struct proto tcp_prot = { .recvmsg = tcp_recvmsg };',
    '',
  ].join('\n'),
  'net/ipv4/raw.c': [
    'int raw_recvmsg(struct sock *sk) { return 0; }',
    'struct proto raw_prot = { .recvmsg = raw_recvmsg };',
    'int sock_recv(struct sock *sk, struct proto *prot) { return prot->recvmsg(sk); }',
    '',
  ].join('\n'),
  'drivers/chtls/chtls_io.c': [
    'int chtls_recvmsg(struct sock *sk)',
    '{',
    '\treturn tcp_prot.recvmsg(sk);',
    '}',
    '',
  ].join('\n'),
  'net/sched/sch_generic.c': [
    'static struct sk_buff *fifo_dequeue(struct Qdisc *sch) { return 0; }',
    'static const struct Qdisc_ops fifo_ops = { .dequeue = fifo_dequeue };',
    'void qdisc_init(struct Qdisc *sch, const struct Qdisc_ops *ops)',
    '{',
    '\tsch->dequeue = ops->dequeue;',
    '}',
    'void qdisc_run(struct Qdisc *q)',
    '{',
    '\tq->dequeue(q);',
    '}',
    '',
  ].join('\n'),
  'kernel/workqueue.c': [
    'static void worker_fn(struct worker *w) {}',
    'void attach(struct worker *w, int cpu)',
    '{',
    '\tw->cpu = cpu;',
    '\tw->cpu = nr_cpu;',
    '\tw->work = worker_fn;',
    '}',
    '',
  ].join('\n'),
  'net/ipv4/ip_input.c': [
    'static int ip_local_deliver_finish(struct net *net, struct sock *sk, struct sk_buff *skb) { return 0; }',
    'int ip_local_deliver(struct sk_buff *skb)',
    '{',
    '\treturn NF_HOOK(NFPROTO_IPV4, 1, net, NULL, skb, skb->dev, NULL,',
    '\t\t       ip_local_deliver_finish);',
    '}',
    '',
  ].join('\n'),
};

describe('linking the values stored into fields and passed to calls', () => {
  let index: KernelIndex;
  before(async () => {
    const indexer = await FileIndexer.create();
    index = new KernelIndex('/kernel', '6.1.99');
    for (const [file, text] of Object.entries(files)) index.setFile(indexer.indexText(file, text));
  });
  const installed = (list: Installation[]) =>
    list.map(
      (i) =>
        `${i.function} in ${i.struct}.${i.field}${i.copiedFrom ? ` from ${i.copiedFrom.struct}.${i.copiedFrom.field}` : ''}`,
    );
  const edges = (list: CallEdge[], end: 'caller' | 'callee') =>
    list
      .map(
        (e) =>
          `${e[end]} ${e.evidence}${e.passedTo ? ` to ${e.passedTo}` : ''}${e.hop ? ` via ${e.hop.tables.join(', ')}` : ''}`,
      )
      .sort();

  test('a parameter or a global int stored in a field installs nothing; a function does', () => {
    assert.deepEqual(installed(index.installationsOf('cpu')), []);
    assert.deepEqual(installed(index.installationsOf('nr_cpu')), []);
    assert.deepEqual(installed(index.installationsOf('worker_fn')), ['worker_fn in worker.work']);
  });

  test('a field copied from another field is given every implementation of that field', () => {
    assert.deepEqual(installed(index.implementations('Qdisc', 'dequeue')), [
      'fifo_dequeue in Qdisc.dequeue from Qdisc_ops.dequeue',
    ]);
    assert.deepEqual(installed(index.installationsOf('fifo_dequeue')), [
      'fifo_dequeue in Qdisc_ops.dequeue',
      'fifo_dequeue in Qdisc.dequeue from Qdisc_ops.dequeue',
    ]);
    assert.deepEqual(edges(index.callers('fifo_dequeue'), 'caller'), [
      'qdisc_run type-matched-call via fifo_ops',
    ]);
  });

  test("a call through a named table reaches that table's slot only", () => {
    assert.deepEqual(edges(index.callers('raw_recvmsg'), 'caller'), [
      'sock_recv type-matched-call via raw_prot',
    ]);
    assert.deepEqual(edges(index.callers('tcp_recvmsg'), 'caller'), [
      'chtls_recvmsg type-matched-call via tcp_prot',
      'sock_recv type-matched-call via tcp_prot',
    ]);
    assert.deepEqual(edges(index.callees('chtls_recvmsg'), 'callee'), [
      'tcp_recvmsg type-matched-call via tcp_prot',
    ]);
  });

  test('a function passed to a call is called from the function that passes it, so labelled', () => {
    assert.deepEqual(edges(index.callers('ip_local_deliver_finish'), 'caller'), [
      'ip_local_deliver argument to NF_HOOK',
    ]);
    assert.deepEqual(edges(index.callees('ip_local_deliver'), 'callee'), [
      'ip_local_deliver_finish argument to NF_HOOK',
    ]);
  });
});
