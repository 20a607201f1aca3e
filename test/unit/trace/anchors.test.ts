import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnchorResolver, findPattern, type SourceReader } from '../../../server/src/trace/anchors';
import { modelDefinition } from '../../../server/src/models';
import { fakeKernelIndex, type FakeSourceFile } from '../models/fake-kernel-index';

const sock = modelDefinition('sock_recvmsg_nosec')!;

const socketC: FakeSourceFile = {
  file: 'net/socket.c',
  lines: [
    '/* one line before */',
    'static inline int sock_recvmsg_nosec(struct socket *sock, struct msghdr *msg,',
    '\t\t\t\t     int flags)',
    '{',
    '\treturn INDIRECT_CALL_INET(sock->ops->recvmsg,   inet6_recvmsg,',
    '\t\t\t\t  inet_recvmsg, sock, msg, msg_data_left(msg),',
    '\t\t\t\t  flags);',
    '}',
  ],
  functions: [{ name: 'sock_recvmsg_nosec', first: 1, last: 7 }],
};

const reader = (files: FakeSourceFile[]): SourceReader => ({
  lines: (file) => files.find((f) => f.file === file)?.lines,
});

test('a pattern matches with whitespace folded, across line breaks, at the line where it starts', () => {
  assert.equal(findPattern(socketC.lines, 1, 7, 'sock->ops->recvmsg, inet6_recvmsg, inet_recvmsg, sock'), 4);
  assert.equal(findPattern(socketC.lines, 1, 7, 'flags);'), 6);
  assert.equal(
    findPattern(socketC.lines, 1, 7, 'one line before'),
    undefined,
    'only the function’s own lines',
  );
});

test('anchors resolve to lines of the indexed function; a missing construct is reported as drift', () => {
  const resolver = new AnchorResolver(fakeKernelIndex('6.1.192', [socketC]), reader([socketC]));
  assert.deepEqual(resolver.resolve(sock, 'enter'), {
    status: 'resolved',
    file: 'net/socket.c',
    line: 1,
    text: socketC.lines[1],
  });
  const hop = resolver.resolve(sock, 'opsRecvmsg');
  assert.equal(hop.status === 'resolved' && hop.line, 4);
  const drifted: FakeSourceFile = {
    ...socketC,
    lines: socketC.lines.map((l) => l.replace('->recvmsg', '->recv_msg')),
  };
  const after = new AnchorResolver(fakeKernelIndex('6.1.192', [drifted]), reader([drifted])).resolve(
    sock,
    'opsRecvmsg',
  );
  assert.equal(after.status, 'unresolved');
});

test('an anchor declared for 6.12 only is a known difference on 6.1, not drift', () => {
  const resolver = new AnchorResolver(fakeKernelIndex('6.1.192'), reader([]));
  const model = modelDefinition('__sys_setsockopt')!;
  assert.equal(resolver.resolve(model, 'doSetsockopt').status, 'not-in-version');
  assert.equal(resolver.resolve(modelDefinition('do_sock_setsockopt')!, 'enter').status, 'not-in-version');
});
