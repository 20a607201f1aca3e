import assert from 'node:assert/strict';
import { test } from 'node:test';
import { path, runText } from './run-text';

const pingToLoopback = [
  '\tknr_sysctl("net.ipv4.ping_group_range", "0 0");',
  '\tint ping = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
  '\tstruct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(0x4b4e) };',
  '\tbind(ping, (struct sockaddr *)&at, sizeof(at));',
  "\tchar echo[12] = { 8, 0, 0, 0, 0, 0, 0, 7, 'k', 'n', 'r', '!' };",
  '\tstruct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("127.0.0.1") };',
  '\tsendto(ping, echo, sizeof(echo), 0, (struct sockaddr *)&to, sizeof(to));',
  '\tchar reply[64];',
  '\tstruct sockaddr_in from;',
  '\tsocklen_t length = sizeof(from);',
  '\trecvfrom(ping, reply, sizeof(reply), 0, (struct sockaddr *)&from, &length);',
].join('\n');

test('a ping to 127.0.0.1: ping_v4_sendmsg out through lo, icmp_echo, and the reply back in to ping_rcv', async () => {
  for (const version of ['6.1.192', '6.12.118']) {
    const run = await runText(pingToLoopback, version);
    const results = run.run.results;
    assert.deepEqual(
      results.map((r) => r.errno ?? r.return),
      [0, 3, 0, 12, 12],
      version,
    );
    // The reply: type 0, code 0, the checksum over it, the socket's identifier, the caller's sequence and data.
    assert.equal(results[4].data, '0000d71a4b4e00076b6e7221', version);
    assert.deepEqual(results[4].source, { family: 'AF_INET', port: 0, address: '127.0.0.1' });
    const send = path(run, 3);
    for (const step of ['ping_v4_sendmsg', 'loopback_xmit', 'icmp_echo', 'icmp_reply', 'ping_rcv'])
      assert.ok(send.includes(step), `${version}: ${step} in ${send.join(' ')}`);
  }
});

test('ping_v4_sendmsg refuses what is not an echo request, and a second ping socket may share the identifier', async () => {
  const run = await runText(
    [
      pingToLoopback,
      '\tsendto(ping, echo, 7, 0, (struct sockaddr *)&to, sizeof(to));',
      '\tchar reply_type[8] = { 0 };',
      '\tsendto(ping, reply_type, sizeof(reply_type), 0, (struct sockaddr *)&to, sizeof(to));',
      '\tsend(ping, echo, sizeof(echo), 0);',
      '\tint second = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
      '\tbind(second, (struct sockaddr *)&at, sizeof(at));',
    ].join('\n'),
  );
  assert.deepEqual(
    run.run.results.slice(5).map((r) => r.errno ?? r.return),
    ['EINVAL', 'EINVAL', 'EDESTADDRREQ', 4, 0],
  );
});

const ended = (run: Awaited<ReturnType<typeof runText>>): string[] =>
  run.ends.map((end) =>
    [end.statement, end.how, end.function, end.anchor, end.reason ?? '', (end.queuedTo ?? []).join(',')].join(
      ' ',
    ),
  );

test('a ping to 127.0.0.1 records each skb’s end: the request, then the reply consumed in icmp_rcv, the clone when read', async () => {
  for (const version of ['6.1.192', '6.12.118']) {
    const run = await runText(pingToLoopback, version);
    assert.deepEqual(
      ended(run),
      [
        '3 consumed icmp_rcv consume  ',
        '3 consumed icmp_rcv consume  ',
        '4 consumed skb_free_datagram consume  3',
      ],
      version,
    );
    // The reply icmp_echo sends through lo waits in the backlog: the request ends before ping_rcv runs.
    const consumed = run.events.findIndex((e) => e.function === 'icmp_rcv' && e.branch === 'consumed');
    const pingRcv = run.events.findIndex((e) => e.function === 'ping_rcv');
    assert.ok(
      consumed >= 0 && pingRcv > consumed,
      `${version}: icmp_rcv consumes at ${consumed}, ping_rcv at ${pingRcv}`,
    );
  }
});

const echoReplyOnVeth = (identifier: string, filter = ''): string =>
  [
    '\tknr_veth_pair();',
    '\tknr_sysctl("net.ipv4.ping_group_range", "0 0");',
    '\tint ping = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
    `\tstruct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(${identifier}) };`,
    '\tbind(ping, (struct sockaddr *)&at, sizeof(at));',
    filter,
    '\tknr_send(KNR_IF_PEER, knr_ipv4_icmp_echo_reply(KNR_ADDR_PEER, KNR_ADDR_VETH, 10));',
  ].join('\n');

test('an echo reply no ping socket has the identifier of is freed in icmp_rcv with NO_SOCKET', async () => {
  const run = await runText(echoReplyOnVeth('0x4b4f'));
  assert.deepEqual(ended(run), ['4 freed icmp_rcv drop NO_SOCKET ']);
  const dropping = run.events.find((e) => e.function === 'ping_rcv' && e.anchor === 'dropping');
  assert.equal(dropping?.values.reason, 'NO_SOCKET');
});

test('a ping socket whose filter refuses the reply: the clone freed in __ping_queue_rcv_skb, the reply in icmp_rcv, both SOCKET_FILTER', async () => {
  const filter = [
    '\tstruct sock_filter code[] = { { 0x06, 0, 0, 0 } };',
    '\tstruct sock_fprog prog = { .len = 1, .filter = code };',
    '\tsetsockopt(ping, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));',
  ].join('\n');
  const old = await runText(echoReplyOnVeth('0x4b4e', filter), '6.1.192');
  assert.deepEqual(ended(old), [
    '5 freed __ping_queue_rcv_skb drop SOCKET_FILTER ',
    '5 freed icmp_rcv drop SOCKET_FILTER ',
  ]);
  const recent = await runText(echoReplyOnVeth('0x4b4e', filter), '6.12.118');
  assert.equal(recent.ends[0].anchor, 'reasonDrop');
});

test('icmp_rcv checks the checksum before its handler: a message that does not verify is freed with ICMP_CSUM', async () => {
  const send = (bytes: string) =>
    [
      '\tknr_veth_pair();',
      `\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, IPPROTO_ICMP, ${bytes}));`,
    ].join('\n');
  // knr_ipv4's payload counts up from 0: its checksum field never verifies.
  assert.deepEqual(ended(await runText(send('10'))), ['1 freed icmp_rcv drop ICMP_CSUM ']);
  // No payload sums to 0, which does not verify either (csum_fold(0) is 0xffff), as in the kernel.
  assert.deepEqual(ended(await runText(send('0'))), ['1 freed icmp_rcv drop ICMP_CSUM ']);
  const valid = await runText(echoReplyOnVeth('0x4b4f'));
  assert.ok(!valid.events.some((e) => e.function === 'icmp_rcv' && e.anchor === 'csum'));
});
