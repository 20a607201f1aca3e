import assert from 'node:assert/strict';
import { test } from 'node:test';
import { path, runText } from './run-text';

test('raw sockets through inetsw: the wildcard entry, protocol 0 refused, SOCK_DGRAM + ICMP reaching ping_prot', async () => {
  const run = await runText(
    [
      '\tsocket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
      '\tsocket(AF_INET, SOCK_RAW, 0);',
      '\tsocket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
    ].join('\n'),
  );
  assert.deepEqual(
    run.run.results.map((r) => r.errno ?? r.return),
    [3, 'EPROTONOSUPPORT', 'EACCES'],
  );
  assert.deepEqual(path(run, 0), [
    '__sys_socket',
    '__sock_create',
    'net_proto_family.create->inet_create',
    'inet_create',
    'proto.hash->raw_hash_sk',
    'raw_hash_sk',
    'proto.init->raw_sk_init',
    'raw_sk_init',
  ]);
  assert.ok(path(run, 2).includes('proto.init->ping_init_sock'));
});

test('ICMP_FILTER: the filtered socket misses the echo request, the other gets it from the IP header', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint plain = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
      '\tint filtered = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
      '\tstruct icmp_filter filter = { .data = 1 << ICMP_ECHO };',
      '\tsetsockopt(filtered, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));',
      '\tknr_send(KNR_IF_PEER, knr_ipv4_icmp_echo(KNR_ADDR_PEER, KNR_ADDR_VETH, 24));',
      '\tchar buf[256];',
      '\trecv(plain, buf, sizeof(buf), MSG_DONTWAIT);',
      '\trecv(filtered, buf, sizeof(buf), MSG_DONTWAIT);',
    ].join('\n'),
  );
  const [plain, filtered] = run.run.results.filter((r) => r.call === 'recv');
  assert.equal(plain.return, 52);
  assert.equal(plain.data?.slice(0, 2), '45');
  assert.equal(filtered.errno, 'EAGAIN');
  const sent = path(run, 4);
  assert.ok(
    sent.indexOf('raw_local_deliver') < sent.indexOf('net_protocol.handler->icmp_rcv'),
    'raw sockets first, then the handler',
  );
  assert.equal(run.kernel.transmitted.length, 1, 'icmp_rcv answered the echo request');
});

test('SO_ATTACH_FILTER: 0 drops the datagram with EPERM in sk_filter_trim_cap, 24 trims it', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint dropping = socket(AF_INET, SOCK_RAW, 253);',
      '\tstruct sock_filter drop[] = { BPF_STMT(BPF_RET | BPF_K, 0) };',
      '\tstruct sock_fprog drop_prog = { .len = 1, .filter = drop };',
      '\tsetsockopt(dropping, SOL_SOCKET, SO_ATTACH_FILTER, &drop_prog, sizeof(drop_prog));',
      '\tint trimming = socket(AF_INET, SOCK_RAW, 253);',
      '\tstruct sock_filter trim[] = { BPF_STMT(BPF_RET | BPF_K, 24) };',
      '\tstruct sock_fprog trim_prog = { .len = 1, .filter = trim };',
      '\tsetsockopt(trimming, SOL_SOCKET, SO_ATTACH_FILTER, &trim_prog, sizeof(trim_prog));',
      '\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 60));',
      '\tchar buf[256];',
      '\trecv(dropping, buf, sizeof(buf), MSG_DONTWAIT);',
      '\trecv(trimming, buf, sizeof(buf), MSG_DONTWAIT);',
    ].join('\n'),
  );
  const [dropped, trimmed] = run.run.results.filter((r) => r.call === 'recv');
  assert.equal(dropped.errno, 'EAGAIN');
  assert.equal(trimmed.return, 24);
  const verdicts = run.events
    .filter((e) => e.function === 'sk_filter_trim_cap' && e.anchor === 'verdict')
    .map((e) => e.branch);
  assert.deepEqual(verdicts.sort(), ['dropped: -EPERM', 'trimmed']);
});

test('raw_recvmsg: a short buffer sets MSG_TRUNC; MSG_TRUNC in flags returns the full length; MSG_OOB is EOPNOTSUPP', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint s = socket(AF_INET, SOCK_RAW, 253);',
      '\tstruct msghdr *msg = knr_msghdr(16, 0);',
      '\trecvmsg(s, msg, MSG_OOB);',
      '\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 30));',
      '\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 30));',
      '\trecvmsg(s, msg, 0);',
      '\trecvmsg(s, msg, MSG_TRUNC);',
    ].join('\n'),
  );
  const [oob, short, full] = run.run.results.filter((r) => r.call === 'recvmsg');
  assert.equal(oob.errno, 'EOPNOTSUPP');
  assert.deepEqual([short.return, short.bytes, short.msgFlags], [16, 16, ['MSG_TRUNC']]);
  assert.deepEqual([full.return, full.bytes, full.msgFlags], [50, 16, ['MSG_TRUNC']]);
  assert.deepEqual(short.source, { family: 'AF_INET', address: '10.0.0.2', port: 0 });
});

test('raw_v4_match: bound to the destination matches; connected elsewhere or bound to lo does not', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint bound = socket(AF_INET, SOCK_RAW, 253);',
      '\tstruct sockaddr_in local = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_VETH) };',
      '\tbind(bound, (struct sockaddr *)&local, sizeof(local));',
      '\tint connected = socket(AF_INET, SOCK_RAW, 253);',
      '\tstruct sockaddr_in other = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("10.0.0.3") };',
      '\tconnect(connected, (struct sockaddr *)&other, sizeof(other));',
      '\tint on_lo = socket(AF_INET, SOCK_RAW, 253);',
      '\tsetsockopt(on_lo, SOL_SOCKET, SO_BINDTODEVICE, KNR_IF_LO, 3);',
      '\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 16));',
      '\tchar buf[256];',
      '\trecv(bound, buf, sizeof(buf), MSG_DONTWAIT);',
      '\trecv(connected, buf, sizeof(buf), MSG_DONTWAIT);',
      '\trecv(on_lo, buf, sizeof(buf), MSG_DONTWAIT);',
    ].join('\n'),
  );
  assert.deepEqual(
    run.run.results.filter((r) => r.call === 'recv').map((r) => r.errno ?? r.return),
    [36, 'EAGAIN', 'EAGAIN'],
  );
  const reasons = run.events
    .filter((e) => e.function === 'raw_v4_match' && e.branch && e.branch !== 'match')
    .map((e) => e.branch);
  assert.deepEqual(reasons.sort(), ['bound to another device', 'connected to another address']);
});

test('a loop sending a million packets stops at the loop with the step bound, without running it', async () => {
  const started = Date.now();
  const run = await runText(
    '\tknr_veth_pair();\n\tfor (int i = 0; i < 1000000; i++) {\n\t\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 1));\n\t}',
  );
  assert.ok(Date.now() - started < 2000);
  assert.equal(run.run.stopped?.line, 6);
  assert.match(run.run.stopped?.message ?? '', /1000000 times, past the bound of 10000 statements/);
});

test('a bounded loop runs each iteration and records one result per iteration', async () => {
  const run = await runText(
    '\tknr_veth_pair();\n\tfor (int i = 0; i < 3; i++) {\n\t\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, i));\n\t}',
  );
  assert.deepEqual(
    run.run.results.filter((r) => r.call === 'knr_send').map((r) => [r.step, r.return]),
    [
      [1, 34],
      [2, 35],
      [3, 36],
    ],
  );
});

test('a full raw socket: 6.1 counts it as a delivery (no ICMP error), 6.12 skips it and answers protocol unreachable', async () => {
  const body = [
    '\tknr_veth_pair();',
    '\tint s = socket(AF_INET, SOCK_RAW, 253);',
    '\tint small = 1;',
    '\tsetsockopt(s, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));',
    '\tfor (int i = 0; i < 3; i++) {',
    '\t\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 1000));',
    '\t}',
  ].join('\n');
  const unreachables = (run: Awaited<ReturnType<typeof runText>>) =>
    run.events.filter((e) => e.function === '__icmp_send' && e.anchor === 'enter').length;
  const old = await runText(body, '6.1.192');
  const current = await runText(body, '6.12.117');
  assert.equal(old.kernel.files.get(3)?.sk?.sk_receive_queue.length, 2);
  assert.equal(current.kernel.files.get(3)?.sk?.sk_receive_queue.length, 2);
  assert.equal(unreachables(old), 0);
  assert.equal(unreachables(current), 1);
  assert.ok(current.events.some((e) => e.function === 'raw_v4_input' && e.anchor === 'rcvbufFull'));
});

test('IP-level options on a raw socket: raw_setsockopt hands them to ip_setsockopt, raw_recvmsg adds IP_PKTINFO, IP_TTL, IP_TOS', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint s = socket(AF_INET, SOCK_RAW, 253);',
      '\tint one = 1;',
      '\tsetsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));',
      '\tsetsockopt(s, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one));',
      '\tsetsockopt(s, IPPROTO_IP, IP_RECVTOS, &one, sizeof(one));',
      '\tsetsockopt(s, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));',
      '\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 4));',
      '\tstruct msghdr *msg = knr_msghdr(256, 256);',
      '\trecvmsg(s, msg, 0);',
    ].join('\n'),
  );
  const setsockopts = run.run.results.filter((r) => r.call === 'setsockopt');
  assert.deepEqual(
    setsockopts.map((r) => r.errno ?? r.return),
    [0, 0, 0, 'ENOPROTOOPT'],
  );
  assert.ok(path(run, 2).includes('ip_setsockopt'));
  const received = run.run.results.at(-1)!;
  assert.deepEqual(received.control, [
    { level: 'SOL_IP', type: '8', data: '020000000a0000010a000001' },
    { level: 'SOL_IP', type: '2', data: '40000000' },
    { level: 'SOL_IP', type: '1', data: '00' },
  ]);
});

test('an IP-level option the models do not cover stops the run as not modelled, never with an errno', async () => {
  const run = await runText(
    [
      '\tint s = socket(AF_INET, SOCK_RAW, 253);',
      '\tint ttl = 5;',
      '\tsetsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));',
    ].join('\n'),
  );
  assert.equal(run.run.results.length, 1, 'no result claimed for the setsockopt');
  assert.match(run.run.stopped?.message ?? '', /^not modelled: setsockopt\(SOL_IP, 2\)/);
  assert.equal(run.run.stopped?.line, 7);
});

test('ICMP messages shorter than struct icmphdr never reach raw ICMP sockets, filtered or not', async () => {
  const body = (length: number) =>
    [
      '\tknr_veth_pair();',
      '\tint plain = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
      '\tint filtered = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
      '\tstruct icmp_filter filter = { .data = 1 << ICMP_ECHO };',
      '\tsetsockopt(filtered, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));',
      `\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, IPPROTO_ICMP, ${length}));`,
      '\tchar buf[256];',
      '\trecv(plain, buf, sizeof(buf), MSG_DONTWAIT);',
      '\trecv(filtered, buf, sizeof(buf), MSG_DONTWAIT);',
    ].join('\n');
  for (const length of [1, 7]) {
    const receives = (await runText(body(length))).run.results.filter((r) => r.call === 'recv');
    assert.deepEqual(
      receives.map((r) => r.errno),
      ['EAGAIN', 'EAGAIN'],
      `${length} bytes of ICMP`,
    );
  }
  const whole = (await runText(body(8))).run.results.filter((r) => r.call === 'recv');
  assert.deepEqual(
    whole.map((r) => r.return),
    [28, 28],
    'a whole header of type 0 passes both',
  );
});

test('reading back: getsockopt at each level, getsockname, recvfrom with the source address', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
      '\tint packet = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));',
      '\tint value = 0;',
      '\tsocklen_t len = sizeof(value);',
      '\tgetsockopt(raw, SOL_SOCKET, SO_PROTOCOL, &value, &len);',
      '\tgetsockopt(packet, SOL_SOCKET, SO_PROTOCOL, &value, &len);',
      '\tunsigned char byte = 0;',
      '\tsocklen_t byte_len = 1;',
      '\tgetsockopt(raw, IPPROTO_IP, IP_RECVTTL, &byte, &byte_len);',
      '\tgetsockopt(packet, IPPROTO_IP, IP_RECVTTL, &value, &len);',
      '\tstruct sockaddr_in name = { .sin_family = 0 };',
      '\tsocklen_t name_len = sizeof(name);',
      '\tgetsockname(raw, (struct sockaddr *)&name, &name_len);',
      '\tstruct sockaddr_ll bound = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = KNR_IFINDEX_VETH };',
      '\tbind(packet, (struct sockaddr *)&bound, sizeof(bound));',
      '\tknr_send(KNR_IF_PEER, knr_ipv4_icmp_echo(KNR_ADDR_PEER, KNR_ADDR_VETH, 8));',
      '\tchar buf[256];',
      '\tstruct sockaddr_ll from = { .sll_family = 0 };',
      '\tsocklen_t from_len = 8;',
      '\trecvfrom(packet, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len);',
      '\tunsigned int stats[2];',
      '\tsocklen_t stats_len = sizeof(stats);',
      '\tgetsockopt(packet, SOL_PACKET, PACKET_STATISTICS, stats, &stats_len);',
    ].join('\n'),
  );
  const results = run.run.results;
  const getsockopts = results.filter((r) => r.call === 'getsockopt');
  assert.deepEqual(
    getsockopts.map((r) => [r.errno ?? r.return, r.optlen, r.optval]),
    [
      [0, 4, '01000000'],
      [0, 4, '00000000'],
      [0, 1, '00'],
      ['ENOPROTOOPT', undefined, undefined],
      [0, 8, '0100000000000000'],
    ],
    'raw SO_PROTOCOL 1, packet 0 (packet_create leaves sk_protocol), one byte, SOL_IP on a packet socket, one packet',
  );
  const name = results.find((r) => r.call === 'getsockname')!;
  assert.deepEqual(
    [name.addressLength, name.address],
    [16, { family: 'AF_INET', address: '0.0.0.0', port: 1 }],
  );
  const received = results.find((r) => r.call === 'recvfrom')!;
  assert.equal(received.return, 36, 'the device-bound packet socket gets the datagram from its IP header');
  assert.equal(received.sourceLength, 20, 'packet_recvmsg pads msg_namelen to sizeof(struct sockaddr_ll)');
  assert.deepEqual(received.source, { family: '17', length: 8 });
});
