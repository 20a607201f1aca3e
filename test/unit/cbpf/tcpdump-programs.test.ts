// Programs printed by tcpdump 4.99.3 / libpcap 1.10.3 (`tcpdump -dd -y EN10MB EXPR`, and `-y RAW`
// for a raw IPv4 socket's view), run on packets that should and should not match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkClassicFilter,
  disassemble,
  packetSocketContext,
  parseProgram,
  rawIpv4SocketContext,
  runClassicFilter,
} from '../../../server/src/models/cbpf';
import {
  ETH_P_ARP,
  ETH_P_IP,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  ethernet,
  icmpEcho,
  ipv4,
  tcp,
  udp,
  vlanTagged,
} from './fixtures';

const ACCEPT = 0x40000; // tcpdump's snapshot length: "keep 262144 bytes"

const tcpdump = {
  icmp: `{ 0x28, 0, 0, 0x0000000c },{ 0x15, 0, 3, 0x00000800 },{ 0x30, 0, 0, 0x00000017 },{ 0x15, 0, 1, 0x00000001 },
{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
  udpPort53: `{ 0x28, 0, 0, 0x0000000c },{ 0x15, 0, 6, 0x000086dd },{ 0x30, 0, 0, 0x00000014 },{ 0x15, 0, 15, 0x00000011 },
{ 0x28, 0, 0, 0x00000036 },{ 0x15, 12, 0, 0x00000035 },{ 0x28, 0, 0, 0x00000038 },{ 0x15, 10, 11, 0x00000035 },
{ 0x15, 0, 10, 0x00000800 },{ 0x30, 0, 0, 0x00000017 },{ 0x15, 0, 8, 0x00000011 },{ 0x28, 0, 0, 0x00000014 },
{ 0x45, 6, 0, 0x00001fff },{ 0xb1, 0, 0, 0x0000000e },{ 0x48, 0, 0, 0x0000000e },{ 0x15, 2, 0, 0x00000035 },
{ 0x48, 0, 0, 0x00000010 },{ 0x15, 0, 1, 0x00000035 },{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
  vlan: `{ 0x28, 0, 0, 0x0000000c },{ 0x15, 2, 0, 0x00008100 },{ 0x15, 1, 0, 0x000088a8 },{ 0x15, 0, 1, 0x00009100 },
{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
  ipAndLenOver100: `{ 0x28, 0, 0, 0x0000000c },{ 0x15, 0, 3, 0x00000800 },{ 0x80, 0, 0, 0x00000000 },
{ 0x25, 0, 1, 0x00000064 },{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
  tcpSyn: `{ 0x28, 0, 0, 0x0000000c },{ 0x15, 0, 8, 0x00000800 },{ 0x30, 0, 0, 0x00000017 },{ 0x15, 0, 6, 0x00000006 },
{ 0x28, 0, 0, 0x00000014 },{ 0x45, 4, 0, 0x00001fff },{ 0xb1, 0, 0, 0x0000000e },{ 0x50, 0, 0, 0x0000001b },
{ 0x45, 0, 1, 0x00000002 },{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
  arp: `{ 0x28, 0, 0, 0x0000000c },{ 0x15, 0, 1, 0x00000806 },{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
  host10001: `{ 0x28, 0, 0, 0x0000000c },{ 0x15, 0, 4, 0x00000800 },{ 0x20, 0, 0, 0x0000001a },{ 0x15, 8, 0, 0x0a000001 },
{ 0x20, 0, 0, 0x0000001e },{ 0x15, 6, 7, 0x0a000001 },{ 0x15, 1, 0, 0x00000806 },{ 0x15, 0, 5, 0x00008035 },
{ 0x20, 0, 0, 0x0000001c },{ 0x15, 2, 0, 0x0a000001 },{ 0x20, 0, 0, 0x00000026 },{ 0x15, 0, 1, 0x0a000001 },
{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
  etherBroadcast: `{ 0x20, 0, 0, 0x00000002 },{ 0x15, 0, 3, 0xffffffff },{ 0x28, 0, 0, 0x00000000 },
{ 0x15, 0, 1, 0x0000ffff },{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
  vlan100AndIp: `{ 0x28, 0, 0, 0x0000000c },{ 0x15, 2, 0, 0x00008100 },{ 0x15, 1, 0, 0x000088a8 },{ 0x15, 0, 6, 0x00009100 },
{ 0x28, 0, 0, 0x0000000e },{ 0x54, 0, 0, 0x00000fff },{ 0x15, 0, 3, 0x00000064 },{ 0x28, 0, 0, 0x00000010 },
{ 0x15, 0, 1, 0x00000800 },{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
  rawIcmp: `{ 0x30, 0, 0, 0x00000000 },{ 0x54, 0, 0, 0x000000f0 },{ 0x15, 0, 3, 0x00000040 },{ 0x30, 0, 0, 0x00000009 },
{ 0x15, 0, 1, 0x00000001 },{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
  rawUdpPort53: `{ 0x30, 0, 0, 0x00000000 },{ 0x54, 0, 0, 0x000000f0 },{ 0x15, 0, 6, 0x00000060 },{ 0x30, 0, 0, 0x00000006 },
{ 0x15, 0, 17, 0x00000011 },{ 0x28, 0, 0, 0x00000028 },{ 0x15, 14, 0, 0x00000035 },{ 0x28, 0, 0, 0x0000002a },
{ 0x15, 12, 13, 0x00000035 },{ 0x30, 0, 0, 0x00000000 },{ 0x54, 0, 0, 0x000000f0 },{ 0x15, 0, 10, 0x00000040 },
{ 0x30, 0, 0, 0x00000009 },{ 0x15, 0, 8, 0x00000011 },{ 0x28, 0, 0, 0x00000006 },{ 0x45, 6, 0, 0x00001fff },
{ 0xb1, 0, 0, 0x00000000 },{ 0x48, 0, 0, 0x00000000 },{ 0x15, 2, 0, 0x00000035 },{ 0x48, 0, 0, 0x00000002 },
{ 0x15, 0, 1, 0x00000035 },{ 0x6, 0, 0, 0x00040000 },{ 0x6, 0, 0, 0x00000000 },`,
};

/** The same icmp program in the decimal form of `tcpdump -ddd -y RAW icmp`. */
const rawIcmpDecimal = '7\n48 0 0 0\n84 0 0 240\n21 0 3 64\n48 0 0 9\n21 0 1 1\n6 0 0 262144\n6 0 0 0\n';

const udpTo = (port: number, fragment = 0) => ipv4(IPPROTO_UDP, udp(40000, port), { fragment });
const framed = (packet: Uint8Array) => ethernet(ETH_P_IP, packet);

interface Case {
  readonly name: string;
  readonly packet: Uint8Array;
  readonly start: 'mac' | 'ip';
  readonly expected: number;
}

const cases: Record<keyof typeof tcpdump, Case[]> = {
  icmp: [
    { name: 'an ICMP echo', packet: framed(ipv4(IPPROTO_ICMP, icmpEcho())), start: 'mac', expected: ACCEPT },
    { name: 'a UDP datagram', packet: framed(udpTo(53)), start: 'mac', expected: 0 },
    { name: 'an ARP frame', packet: ethernet(ETH_P_ARP, new Uint8Array(28)), start: 'mac', expected: 0 },
    {
      name: 'a frame cut before the protocol byte',
      packet: framed(ipv4(1, icmpEcho())).slice(0, 20),
      start: 'mac',
      expected: 0,
    },
  ],
  udpPort53: [
    { name: 'UDP to port 53', packet: framed(udpTo(53)), start: 'mac', expected: ACCEPT },
    {
      name: 'UDP from port 53',
      packet: framed(ipv4(IPPROTO_UDP, udp(53, 40000))),
      start: 'mac',
      expected: ACCEPT,
    },
    { name: 'UDP to port 54', packet: framed(udpTo(54)), start: 'mac', expected: 0 },
    { name: 'a non-first fragment', packet: framed(udpTo(53, 0x0010)), start: 'mac', expected: 0 },
    { name: 'TCP to port 53', packet: framed(ipv4(IPPROTO_TCP, tcp(0x02))), start: 'mac', expected: 0 },
  ],
  vlan: [
    { name: 'an 802.1Q frame', packet: vlanTagged(100, ETH_P_IP, udpTo(53)), start: 'mac', expected: ACCEPT },
    { name: 'an untagged frame', packet: framed(udpTo(53)), start: 'mac', expected: 0 },
  ],
  ipAndLenOver100: [
    {
      name: 'a 101-byte IP frame',
      packet: framed(ipv4(IPPROTO_UDP, udp(1, 2, new Uint8Array(59)))),
      start: 'mac',
      expected: ACCEPT,
    },
    {
      name: 'a 100-byte IP frame',
      packet: framed(ipv4(IPPROTO_UDP, udp(1, 2, new Uint8Array(58)))),
      start: 'mac',
      expected: 0,
    },
  ],
  tcpSyn: [
    { name: 'a SYN', packet: framed(ipv4(IPPROTO_TCP, tcp(0x02))), start: 'mac', expected: ACCEPT },
    { name: 'a bare ACK', packet: framed(ipv4(IPPROTO_TCP, tcp(0x10))), start: 'mac', expected: 0 },
    {
      name: 'a SYN cut before the flags',
      packet: framed(ipv4(IPPROTO_TCP, tcp(0x02))).slice(0, 40),
      start: 'mac',
      expected: 0,
    },
  ],
  arp: [
    { name: 'an ARP frame', packet: ethernet(ETH_P_ARP, new Uint8Array(28)), start: 'mac', expected: ACCEPT },
    { name: 'an IP frame', packet: framed(udpTo(53)), start: 'mac', expected: 0 },
  ],
  host10001: [
    {
      name: 'IP from 10.0.0.1',
      packet: framed(ipv4(IPPROTO_UDP, udp(1, 2), { source: '10.0.0.1' })),
      start: 'mac',
      expected: ACCEPT,
    },
    {
      name: 'IP from 10.0.0.2',
      packet: framed(ipv4(IPPROTO_UDP, udp(1, 2), { source: '10.0.0.2' })),
      start: 'mac',
      expected: 0,
    },
  ],
  etherBroadcast: [
    { name: 'a broadcast frame', packet: framed(udpTo(53)), start: 'mac', expected: ACCEPT },
    {
      name: 'a unicast frame',
      packet: ethernet(ETH_P_IP, udpTo(53), '020000000001'),
      start: 'mac',
      expected: 0,
    },
  ],
  vlan100AndIp: [
    {
      name: 'VLAN 100 carrying IP',
      packet: vlanTagged(100, ETH_P_IP, udpTo(53)),
      start: 'mac',
      expected: ACCEPT,
    },
    {
      name: 'VLAN 100 with priority bits',
      packet: vlanTagged(0xe064, ETH_P_IP, udpTo(53)),
      start: 'mac',
      expected: ACCEPT,
    },
    { name: 'VLAN 101 carrying IP', packet: vlanTagged(101, ETH_P_IP, udpTo(53)), start: 'mac', expected: 0 },
    {
      name: 'VLAN 100 carrying ARP',
      packet: vlanTagged(100, ETH_P_ARP, new Uint8Array(28)),
      start: 'mac',
      expected: 0,
    },
  ],
  rawIcmp: [
    {
      name: 'an ICMP echo seen from the IP header',
      packet: ipv4(IPPROTO_ICMP, icmpEcho()),
      start: 'ip',
      expected: ACCEPT,
    },
    { name: 'UDP seen from the IP header', packet: udpTo(53), start: 'ip', expected: 0 },
  ],
  rawUdpPort53: [
    { name: 'UDP to 53 seen from the IP header', packet: udpTo(53), start: 'ip', expected: ACCEPT },
    { name: 'UDP to 54 seen from the IP header', packet: udpTo(54), start: 'ip', expected: 0 },
  ],
};

function run(source: string, packet: Uint8Array, start: 'mac' | 'ip') {
  const parsed = parseProgram(source);
  const verdict = checkClassicFilter(parsed.instructions);
  assert.ok(verdict.accepted, JSON.stringify(verdict));
  const context = start === 'mac' ? packetSocketContext(packet) : rawIpv4SocketContext();
  return runClassicFilter(verdict.program, packet, context, { trace: true });
}

for (const [expression, expressionCases] of Object.entries(cases)) {
  for (const c of expressionCases) {
    test(`tcpdump '${expression}' on ${c.name} returns ${c.expected}`, () => {
      const result = run(tcpdump[expression as keyof typeof tcpdump], c.packet, c.start);
      assert.equal(result.result, c.expected);
      assert.equal(result.steps.at(-1)?.pc, result.end.pc);
    });
  }
}

test('a frame too short for the protocol byte ends in a failed load, not in a return instruction', () => {
  const result = run(tcpdump.icmp, cases.icmp[3].packet, 'mac');
  assert.equal(result.end.cause, 'load-failed');
  assert.equal(result.end.pc, 2);
});

test('tcpdump -ddd reads as the same program as tcpdump -dd', () => {
  const decimal = parseProgram(rawIcmpDecimal);
  const array = parseProgram(tcpdump.rawIcmp);
  assert.equal(decimal.format, 'decimal');
  assert.equal(array.format, 'c-array');
  assert.deepEqual(decimal.instructions, array.instructions);
});

test('every tcpdump program is accepted, converts to the expected eBPF size, and disassembles to itself', () => {
  for (const source of Object.values(tcpdump)) {
    const { instructions } = parseProgram(source);
    assert.ok(checkClassicFilter(instructions).accepted);
    assert.deepEqual(parseProgram(disassemble(instructions)).instructions, instructions);
  }
  // icmp: prologue 3 + 4 (packet loads), ldh [12] 14, jeq 1, ldb [23] 13, jeq 1, ret #k 2, ret #0 2.
  const icmp = checkClassicFilter(parseProgram(tcpdump.icmp).instructions);
  assert.ok(icmp.accepted);
  assert.equal(icmp.ebpfLength, 3 + 4 + 14 + 1 + 13 + 1 + 2 + 2);
  assert.equal(icmp.chargedBytes, 72 + 8 * icmp.ebpfLength);
});

test('the ICMP filter trace shows each jump and register', () => {
  const result = run(tcpdump.icmp, framed(ipv4(IPPROTO_ICMP, icmpEcho())), 'mac');
  assert.deepEqual(
    result.steps.map((s) => [s.pc, s.instruction, s.a, s.jump?.target]),
    [
      [0, 'ldh [12]', 0x800, undefined],
      [1, 'jeq #0x800, L2, L5', 0x800, 2],
      [2, 'ldb [23]', 1, undefined],
      [3, 'jeq #1, L4, L5', 1, 4],
      [4, 'ret #262144', 1, undefined],
    ],
  );
});
