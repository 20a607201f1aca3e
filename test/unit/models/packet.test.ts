import assert from 'node:assert/strict';
import { test } from 'node:test';
import { path, runText } from './run-text';

test('AF_PACKET + SOCK_STREAM: net_families -> packet_create, which rejects the type with ESOCKTNOSUPPORT', async () => {
  const run = await runText('\tsocket(AF_PACKET, SOCK_STREAM, htons(ETH_P_ALL));');
  assert.equal(run.run.results[0].errno, 'ESOCKTNOSUPPORT');
  assert.equal(run.run.results[0].return, -1);
  assert.deepEqual(path(run), [
    '__sys_socket',
    '__sock_create',
    'net_proto_family.create->packet_create',
    'packet_create',
  ]);
  const rejected = run.events.find((e) => e.function === 'packet_create' && e.anchor === 'typeCheck');
  assert.equal(rejected?.branch, 'type rejected: -ESOCKTNOSUPPORT');
});

test('PF_INET + SOCK_PACKET is rewritten to PF_PACKET and gets packet_ops_spkt with packet_rcv_spkt', async () => {
  const run = await runText('\tint s = socket(AF_INET, SOCK_PACKET, htons(ETH_P_ALL));');
  assert.equal(run.run.results[0].return, 3);
  assert.ok(run.events.some((e) => e.anchor === 'spktRewrite'));
  assert.equal(run.kernel.files.get(3)?.ops, 'packet_ops_spkt');
  assert.equal(run.kernel.files.get(3)?.sk?.packet?.prot_hook.func, 'packet_rcv_spkt');
});

test('a frame tagged priority 3 VLAN 10: tp_status USER|VLAN_VALID|VLAN_TPID_VALID, tci 0x600a, the tag gone from the data', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
      '\tint one = 1;',
      '\tsetsockopt(s, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));',
      '\tknr_send(KNR_IF_PEER, knr_vlan(knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 32), ETH_P_8021Q, 3, 10));',
      '\tstruct msghdr *msg = knr_msghdr(2048, 256);',
      '\trecvmsg(s, msg, 0);',
    ].join('\n'),
  );
  const received = run.run.results.find((r) => r.call === 'recvmsg')!;
  assert.equal(received.return, 66);
  assert.equal(received.bytes, 66);
  assert.equal(
    received.data?.slice(24, 28),
    '0800',
    'the EtherType follows the MAC addresses: no tag in the data',
  );
  assert.deepEqual(received.msgFlags, []);
  assert.deepEqual(received.control, [
    {
      level: 'SOL_PACKET',
      type: 'PACKET_AUXDATA',
      auxdata: {
        tp_status: 0x51,
        tp_status_names: ['TP_STATUS_USER', 'TP_STATUS_VLAN_VALID', 'TP_STATUS_VLAN_TPID_VALID'],
        tp_len: 66,
        tp_snaplen: 66,
        tp_mac: 0,
        tp_net: 14,
        tp_vlan_tci: 0x600a,
        tp_vlan_tpid: 0x8100,
      },
    },
  ]);
  assert.deepEqual(received.source, {
    family: 'AF_PACKET',
    protocol: 0x0800,
    ifindex: 2,
    hatype: 1,
    pkttype: 'PACKET_HOST',
    address: '02:4b:4e:52:00:02',
  });
  const recvPath = path(run, received.step);
  assert.deepEqual(recvPath.slice(0, 6), [
    '____sys_recvmsg',
    'sock_recvmsg',
    'sock_recvmsg_nosec',
    'proto_ops.recvmsg->packet_recvmsg',
    'packet_recvmsg',
    'skb_recv_datagram',
  ]);
});

test('MSG_OOB on a packet socket is EINVAL; an empty queue is EAGAIN; MSG_TRUNC returns the frame length', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
      '\tchar buf[16];',
      '\trecv(s, buf, sizeof(buf), MSG_OOB);',
      '\trecv(s, buf, sizeof(buf), MSG_DONTWAIT);',
      '\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 40));',
      '\trecv(s, buf, sizeof(buf), MSG_TRUNC);',
    ].join('\n'),
  );
  const receives = run.run.results.filter((r) => r.call === 'recv');
  assert.deepEqual(
    receives.map((r) => [r.return, r.errno, r.bytes]),
    [
      [-1, 'EINVAL', undefined],
      [-1, 'EAGAIN', undefined],
      [74, undefined, 16],
    ],
  );
});

test('an untagged frame to another host: only the tap sees it, IPv4 drops it as PACKET_OTHERHOST', async () => {
  const run = await runText(
    [
      '\tknr_veth_pair();',
      '\tint s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
      '\tknr_send(KNR_IF_PEER, knr_eth_dst(knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 4), "02:00:00:00:00:99"));',
      '\tchar buf[128];',
      '\trecvfrom(s, buf, sizeof(buf), 0, NULL, NULL);',
    ].join('\n'),
  );
  assert.equal(run.run.results.at(-1)?.return, 38);
  assert.ok(run.events.some((e) => e.function === 'ip_rcv_core' && e.anchor === 'otherhost'));
  assert.ok(!run.events.some((e) => e.function === 'raw_local_deliver'));
});

test('the 6.12 models take the 6.12 source constructs', async () => {
  const run = await runText(
    '\tint s = socket(AF_PACKET, SOCK_RAW, 0);\n\tint one = 1;\n\tsetsockopt(s, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));',
    '6.12.117',
  );
  assert.equal(run.run.results[1].return, 0);
  assert.deepEqual(path(run, 1), [
    '__sys_setsockopt',
    'do_sock_setsockopt',
    'proto_ops.setsockopt->packet_setsockopt',
    'packet_setsockopt',
  ]);
});
