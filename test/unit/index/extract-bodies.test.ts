import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import type { CallFact } from '../../../server/src/index/facts';

describe('call sites', () => {
  let indexer: FileIndexer;
  before(async () => {
    indexer = await FileIndexer.create();
  });
  const callsOf = (body: string): CallFact[] =>
    indexer.indexText('t.c', `void outer(void)\n{\n${body}\n}\n`).calls;
  const describeCall = ({ callee, line, column, receiver, via }: CallFact) =>
    `${callee}@${line}:${column}` +
    (receiver
      ? ` on ${receiver.root ?? receiver.global ?? `${receiver.returnedBy}()`}${receiver.fields.map((field) => `.${field}`).join('')}`
      : '') +
    (via ? ` via ${via}` : '');

  test('a direct call is named where its name starts, with blanks or a line break before the parenthesis', () => {
    assert.deepEqual(callsOf('\tfoo(1);\n\tbar (2);\n\tbaz\n\t\t(3);').map(describeCall), [
      'foo@2:1',
      'bar@3:1',
      'baz@4:1',
    ]);
  });

  test('a call of what a call returns is not a call of the inner function twice', () => {
    assert.deepEqual(callsOf('\tget_handler(x)(y);').map(describeCall), ['get_handler@2:1']);
    assert.deepEqual(callsOf('\tpkt_sk(sk)->ops->bind(sk);').map(describeCall), [
      'bind@2:18 on pkt_sk().ops',
      'pkt_sk@2:1',
    ]);
  });

  test('keywords followed by a parenthesis are not calls, even where the parse fails (a macro as asm template)', () => {
    assert.deepEqual(
      callsOf(
        '\tasm("nop");\n\tif (ready(x))\n\t\treturn (done(x));\n\tasm(AES_ROUND : "+w"(w) : "w"(z));',
      ).map(describeCall),
      ['ready@3:5', 'done@4:10'],
    );
  });

  test('wrapped indirect calls are read through the wrapper', () => {
    assert.deepEqual(
      callsOf('\tstruct sock *sk = get(x);\n\tINDIRECT_CALL_INET(sk->sk_prot->recvmsg, a, b, sk);').map(
        describeCall,
      ),
      ['get@2:19', 'recvmsg@3:33 on sock.sk_prot via INDIRECT_CALL_INET'],
    );
  });

  test('receivers are typed by the parameters and locals declared before the call', () => {
    const calls = indexer.indexText(
      't.c',
      [
        'int recv(struct socket *sock, int flags)',
        '{',
        '\tstruct sock *sk = sock->sk;',
        '\tsock->ops->poll(sock);',
        '\tsk->sk_prot->recvmsg(sk);',
        '\t{',
        '\t\tstruct proto *sk = other;',
        '\t\tsk->close(sk);',
        '\t}',
        '\tunknown->ops->f();',
        '}',
        '',
      ].join('\n'),
    ).calls;
    assert.deepEqual(calls.map(describeCall), [
      'poll@3:12 on socket.ops',
      'recvmsg@4:14 on sock.sk_prot',
      'close@7:6 on proto',
      'f@9:15 on unknown.ops',
    ]);
  });
});

describe('run-time bindings', () => {
  let indexer: FileIndexer;
  before(async () => {
    indexer = await FileIndexer.create();
  });
  const bindingsOf = (text: string) =>
    indexer
      .indexText('t.c', text)
      .bindings.map(
        ({ function: caller, field, value, addressOf }) =>
          `${caller}: ${field} = ${addressOf ? '&' : ''}${value}`,
      );

  test('a field assigned a name binds it; plain names, pointers, elements and locals bind nothing', () => {
    const text = [
      'static void setup(struct socket *sock, struct packet_type *pt)',
      '{',
      '\tint n = 0;',
      '\tstruct proto_ops *local_ops = pick();',
      '\tn = packet_rcv;',
      '\tn += 2;',
      '\tn <<= 1;',
      '\t*slot = packet_rcv;',
      '\ttable[0] = packet_rcv;',
      '\tsock->ops = &packet_ops_spkt;',
      '\tpt->func = packet_rcv;',
      '\tpt->func += packet_rcv;',
      '\tsock->ops = local_ops;',
      '\t(*pt).af_packet_priv = sock;',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(bindingsOf(text), ['setup: ops = &packet_ops_spkt', 'setup: func = packet_rcv']);
  });

  test('initialisers that failed to parse as a table still bind their fields (a field name starts the assignment)', () => {
    const text =
      'define_machine(board) {\n\t.name = "B",\n\t.probe = board_probe,\n\t.init = board_init,\n};\n';
    assert.deepEqual(bindingsOf(text), ['board: init = board_init', 'board: probe = board_probe']);
  });
});
