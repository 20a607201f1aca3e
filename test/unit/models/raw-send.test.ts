import assert from 'node:assert/strict';
import { test } from 'node:test';
import { path, runText } from './run-text';

const toLoopback =
  '\tstruct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("127.0.0.1") };';

test('sendto on a raw socket to 127.0.0.1 goes out through lo and comes back in to each raw socket of its protocol', async () => {
  for (const version of ['6.1.192', '6.12.118']) {
    const run = await runText(
      [
        '\tint tx = socket(AF_INET, SOCK_RAW, 253);',
        '\tint rx = socket(AF_INET, SOCK_RAW, 253);',
        '\tint other = socket(AF_INET, SOCK_RAW, 254);',
        '\tchar payload[8] = "knr";',
        toLoopback,
        '\tsendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));',
        '\tchar head[4];',
        '\trecv(rx, head, sizeof(head), MSG_TRUNC);',
        '\trecv(tx, head, sizeof(head), MSG_TRUNC);',
        '\trecv(other, head, sizeof(head), MSG_TRUNC);',
      ].join('\n'),
      version,
    );
    const results = run.run.results.filter((r) => r.call === 'sendto' || r.call === 'recv');
    assert.deepEqual(
      results.map((r) => [r.call, r.errno ?? r.return, r.data]),
      [
        ['sendto', 8, undefined],
        ['recv', 28, '4500001c'],
        ['recv', 28, '4500001c'],
        ['recv', 'EAGAIN', undefined],
      ],
      version,
    );
    const sent = path(run, 3);
    const order = [
      'proto_ops.sendmsg->inet_sendmsg',
      'proto.sendmsg->raw_sendmsg',
      'ip_append_data',
      'ip_push_pending_frames',
      'ip_output',
      'ip_finish_output2',
      '__dev_queue_xmit',
      'xmit_one',
      'net_device_ops.ndo_start_xmit->loopback_xmit',
      '__netif_rx',
      'packet_type.func->ip_rcv',
      'raw_v4_input',
      'raw_rcv',
    ];
    const at = order.map((step) => sent.indexOf(step));
    assert.ok(
      at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1])),
      `${version}: ${order.filter((_, n) => at[n] < 0).join(', ')} missing or out of order`,
    );
    assert.equal(sent.filter((f) => f === 'raw_rcv').length, 2, 'both protocol-253 sockets get a clone');
  }
});

test('a receive that would copy the IP identification stops as not modelled, not with an invented value', async () => {
  const run = await runText(
    [
      '\tint s = socket(AF_INET, SOCK_RAW, 253);',
      '\tchar payload[8];',
      toLoopback,
      '\tsendto(s, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));',
      '\tchar all[64];',
      '\trecv(s, all, sizeof(all), 0);',
    ].join('\n'),
  );
  assert.match(run.run.stopped?.message ?? '', /^not modelled: the value of the IP identification/);
  assert.equal(run.run.results.at(-1)?.call, 'sendto');
});

test("raw_sendmsg's refusals: no address, short address, foreign family, MSG_OOB, too long, no route", async () => {
  const run = await runText(
    [
      '\tint s = socket(AF_INET, SOCK_RAW, 253);',
      '\tchar payload[16];',
      toLoopback,
      '\tsend(s, payload, sizeof(payload), 0);',
      '\twrite(s, payload, sizeof(payload));',
      '\tsendto(s, payload, sizeof(payload), 0, (struct sockaddr *)&to, 8);',
      '\tstruct sockaddr_in six = { .sin_family = 10, .sin_addr.s_addr = inet_addr("127.0.0.1") };',
      '\tsendto(s, payload, sizeof(payload), 0, (struct sockaddr *)&six, sizeof(six));',
      '\tsendto(s, payload, sizeof(payload), MSG_OOB, (struct sockaddr *)&to, sizeof(to));',
      '\tchar large[65536];',
      '\tsendto(s, large, sizeof(large), 0, (struct sockaddr *)&to, sizeof(to));',
      '\tstruct sockaddr_in away = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("192.0.2.1") };',
      '\tsendto(s, payload, sizeof(payload), 0, (struct sockaddr *)&away, sizeof(away));',
    ].join('\n'),
  );
  assert.deepEqual(
    run.run.results.filter((r) => r.call !== 'socket').map((r) => r.errno),
    ['EDESTADDRREQ', 'EDESTADDRREQ', 'EINVAL', 'EAFNOSUPPORT', 'EOPNOTSUPP', 'EMSGSIZE', 'ENETUNREACH'],
  );
});

test('sendmsg gathers its iovecs; a send through the veth stops as not modelled', async () => {
  const gathered = await runText(
    [
      '\tint s = socket(AF_INET, SOCK_RAW, 253);',
      '\tchar a[3];',
      '\tchar b[5];',
      '\tstruct iovec iov[2] = { { .iov_base = a, .iov_len = 3 }, { .iov_base = b, .iov_len = 5 } };',
      toLoopback,
      '\tstruct msghdr m = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = iov, .msg_iovlen = 2 };',
      '\tsendmsg(s, &m, 0);',
      '\tchar head[4];',
      '\trecv(s, head, sizeof(head), MSG_TRUNC);',
    ].join('\n'),
  );
  assert.deepEqual(
    gathered.run.results.filter((r) => r.call === 'sendmsg' || r.call === 'recv').map((r) => r.return),
    [8, 28],
  );
  const veth = await runText(
    [
      '\tknr_veth_pair();',
      '\tint s = socket(AF_INET, SOCK_RAW, 253);',
      '\tchar b[4];',
      '\tstruct sockaddr_in peer = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_PEER) };',
      '\tsendto(s, b, sizeof(b), 0, (struct sockaddr *)&peer, sizeof(peer));',
    ].join('\n'),
  );
  assert.match(veth.run.stopped?.message ?? '', /^not modelled: what the peer namespace does/);
});

test('IP_HDRINCL: the caller header goes out whole, with tot_len, a zero source and the checksum filled in', async () => {
  const run = await runText(
    [
      '\tint s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);',
      '\tint rx = socket(AF_INET, SOCK_RAW, 253);',
      toLoopback,
      '\tunsigned char h[21] = { 0x45, 0, 0, 0, 0x12, 0x34, 0, 0, 7, 253, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1, 0x6b };',
      '\tsendto(s, h, sizeof(h), 0, (struct sockaddr *)&to, sizeof(to));',
      '\tchar buf[64];',
      '\trecv(rx, buf, sizeof(buf), 0);',
      '\tsendto(s, h, 19, 0, (struct sockaddr *)&to, sizeof(to));',
      '\tunsigned char hashed[20] = { 0x45, 0, 0, 0, 0, 0, 0, 0, 64, 253, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1 };',
      '\tsendto(s, hashed, sizeof(hashed), 0, (struct sockaddr *)&to, sizeof(to));',
      '\trecv(rx, buf, sizeof(buf), 0);',
    ].join('\n'),
  );
  const [sent, received, short] = run.run.results.filter((r) => r.call !== 'socket');
  assert.equal(sent.return, 21);
  // tot_len 21, the checksum over the header, the source from the route (127.0.0.1).
  assert.equal(received.data, '450000151234000007fda2b67f0000017f0000016b');
  assert.equal(short.errno, 'EINVAL');
  assert.ok(path(run, 2).includes('raw_send_hdrinc'));
  assert.match(run.run.stopped?.message ?? '', /^not modelled: the value of the IP identification/);
});

test('a tap sees a send through lo as PACKET_OUTGOING then PACKET_HOST; PACKET_IGNORE_OUTGOING keeps only the second', async () => {
  const run = await runText(
    [
      '\tint all = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
      '\tint quiet = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
      '\tint one = 1;',
      '\tsetsockopt(quiet, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));',
      '\tint tx = socket(AF_INET, SOCK_RAW, 253);',
      '\tchar payload[8];',
      toLoopback,
      '\tsendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));',
      '\tchar head[4];',
      '\tstruct sockaddr_ll from;',
      '\tsocklen_t length = sizeof(from);',
      '\trecvfrom(all, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);',
      '\trecvfrom(all, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);',
      '\trecvfrom(quiet, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);',
      '\trecvfrom(quiet, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);',
    ].join('\n'),
  );
  const received = run.run.results.filter((r) => r.call === 'recvfrom');
  assert.deepEqual(
    received.map((r) => r.errno ?? (r.source && 'pkttype' in r.source ? r.source.pkttype : undefined)),
    ['PACKET_OUTGOING', 'PACKET_HOST', 'PACKET_HOST', 'EAGAIN'],
  );
});

test('packet_snd on lo: the caller link header (SOCK_RAW) or eth_header (SOCK_DGRAM), out to the taps and back in', async () => {
  const run = await runText(
    [
      '\tint raw = socket(AF_PACKET, SOCK_RAW, htons(0x88b5));',
      '\tint dgram = socket(AF_PACKET, SOCK_DGRAM, htons(0x88b5));',
      '\tchar frame[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0xb5, 1, 2 };',
      '\tsend(raw, frame, sizeof(frame), 0);',
      '\tstruct sockaddr_ll lo = { .sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = KNR_IFINDEX_LO, .sll_halen = 6 };',
      '\tsendto(raw, frame, sizeof(frame), 0, (struct sockaddr *)&lo, sizeof(lo));',
      '\tsendto(raw, frame, 13, 0, (struct sockaddr *)&lo, sizeof(lo));',
      '\tsendto(dgram, frame, 4, 0, (struct sockaddr *)&lo, sizeof(lo));',
      '\tchar buf[32];',
      '\trecv(raw, buf, sizeof(buf), 0);',
      '\trecv(raw, buf, sizeof(buf), 0);',
      '\trecv(dgram, buf, sizeof(buf), 0);',
      '\tchar ipv4[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0x45, 0 };',
      '\tsendto(raw, ipv4, sizeof(ipv4), 0, (struct sockaddr *)&lo, sizeof(lo));',
    ].join('\n'),
  );
  const results = run.run.results.filter((r) => r.call !== 'socket');
  assert.deepEqual(
    results.map((r) => [r.call, r.errno ?? r.return, r.data]),
    [
      ['send', 'ENXIO', undefined],
      ['sendto', 16, undefined],
      ['sendto', 'EINVAL', undefined],
      ['sendto', 4, undefined],
      ['recv', 16, '00000000000000000000000088b50102'],
      ['recv', 18, '00000000000000000000000088b500000000'],
      ['recv', 2, '0102'],
    ],
  );
  assert.ok(path(run, 3).includes('net_device_ops.ndo_start_xmit->loopback_xmit'));
  assert.match(run.run.stopped?.message ?? '', /^not modelled: receiving a frame of EtherType 0x0800/);
});

test('PACKET_QDISC_BYPASS: packet_snd reaches lo through dev_direct_xmit, so the tap sees no PACKET_OUTGOING copy', async () => {
  for (const [version, hop] of [
    ['6.1.192', 'packet_sock.xmit->packet_direct_xmit'],
    ['6.12.118', 'packet_xmit'],
  ]) {
    const run = await runText(
      [
        '\tint tap = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
        '\tint tx = socket(AF_PACKET, SOCK_RAW, htons(0x88b5));',
        '\tint one = 1;',
        '\tsetsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));',
        '\tint value = 0;',
        '\tsocklen_t length = sizeof(value);',
        '\tgetsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &value, &length);',
        '\tchar frame[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0xb5, 1, 2 };',
        '\tstruct sockaddr_ll lo = { .sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = KNR_IFINDEX_LO, .sll_halen = 6 };',
        '\tsendto(tx, frame, sizeof(frame), 0, (struct sockaddr *)&lo, sizeof(lo));',
        '\tchar buf[32];',
        '\tstruct sockaddr_ll from;',
        '\tsocklen_t from_length = sizeof(from);',
        '\trecvfrom(tap, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_length);',
        '\trecvfrom(tap, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_length);',
      ].join('\n'),
      version,
    );
    const results = run.run.results.filter((r) => r.call !== 'socket');
    assert.deepEqual(
      results.map((r) => r.errno ?? r.return),
      [0, 0, 16, 16, 'EAGAIN'],
      version,
    );
    assert.equal(results[1].optval, '01000000', `${version}: getsockopt reads 1 back`);
    const received = results[3];
    assert.equal(
      received.source && 'pkttype' in received.source ? received.source.pkttype : undefined,
      'PACKET_HOST',
    );
    const send = path(run, 4);
    assert.ok(send.includes(hop), `${version}: ${send.join(' ')}`);
    assert.ok(send.includes('__dev_direct_xmit'), version);
    assert.ok(!send.includes('__dev_queue_xmit') && !send.includes('dev_queue_xmit_nit'), version);
  }
});
