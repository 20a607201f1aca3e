// The interpreter, opcode class by opcode class, against the semantics of the kernel's conversion
// to eBPF (net/core/filter.c, bpf_convert_filter) and the load helpers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  packetSocketContext,
  rawIpv4SocketContext,
  runClassicFilter,
  type FilterContext,
  type FilterRun,
} from '../../../server/src/models/cbpf';
import { accepted, assemble, bytes, ethernet, ETH_P_IP, ipv4, udp, IPPROTO_UDP } from './fixtures';

const frame = ethernet(ETH_P_IP, ipv4(IPPROTO_UDP, udp(1234, 53)));
const context = packetSocketContext(frame, 7);

function runOn(
  text: string,
  packet = frame,
  ctx: FilterContext = context,
  kernel?: '6.1' | '6.12',
): FilterRun {
  return runClassicFilter(accepted(text, { kernel }), packet, ctx, { trace: true });
}

const result = (text: string, packet = frame, ctx: FilterContext = context) =>
  runOn(text, packet, ctx).result;

test('ALU operations are 32-bit and wrap', () => {
  assert.equal(result('ld #0xffffffff\nadd #2\nret a'), 1);
  assert.equal(result('ld #1\nsub #2\nret a'), 0xffffffff);
  assert.equal(result('ld #0x10000\nmul #0x10001\nret a'), 0x10000);
  assert.equal(result('ld #0xffffffff\ndiv #2\nret a'), 0x7fffffff);
  assert.equal(result('ld #0xffffffff\nmod #10\nret a'), 5);
  assert.equal(result('ld #0xf0f0\nand #0xff00\nret a'), 0xf000);
  assert.equal(result('ld #0xf0f0\nor #0x0f0f\nret a'), 0xffff);
  assert.equal(result('ld #0xffff\nxor #0xf0f0\nret a'), 0x0f0f);
  assert.equal(result('ld #1\nlsh #31\nret a'), 0x80000000);
  assert.equal(result('ld #0x80000000\nrsh #31\nret a'), 1);
  assert.equal(result('ld #1\nneg\nret a'), 0xffffffff);
  assert.equal(result('ld #0\nneg\nret a'), 0);
});

test('ALU operations with X as the operand', () => {
  assert.equal(result('ldx #3\nld #10\nadd x\nret a'), 13);
  assert.equal(result('ldx #3\nld #10\nsub x\nret a'), 7);
  assert.equal(result('ldx #3\nld #10\nmul x\nret a'), 30);
  assert.equal(result('ldx #3\nld #10\ndiv x\nret a'), 3);
  assert.equal(result('ldx #3\nld #10\nmod x\nret a'), 1);
  assert.equal(result('ldx #3\nld #10\nand x\nret a'), 2);
  assert.equal(result('ldx #3\nld #10\nor x\nret a'), 11);
  assert.equal(result('ldx #3\nld #10\nxor x\nret a'), 9);
  assert.equal(result('ldx #3\nld #1\nlsh x\nret a'), 8);
  assert.equal(result('ldx #3\nld #16\nrsh x\nret a'), 2);
});

test('shifts by X take the count modulo 32', () => {
  assert.equal(result('ldx #33\nld #1\nlsh x\nret a'), 2);
  assert.equal(result('ldx #32\nld #5\nrsh x\nret a'), 5);
});

test('division and modulo by X = 0 end the program with 0', () => {
  for (const op of ['div', 'mod']) {
    const run = runOn(`ld #10\nldx #0\n${op} x\nret #99`);
    assert.equal(run.result, 0);
    assert.deepEqual(run.end, { cause: 'division-by-zero', pc: 2 });
  }
});

test('immediate, length, memory and register moves', () => {
  assert.equal(result('ld #len\nret a'), frame.length);
  assert.equal(result('ldx #len\ntxa\nret a'), frame.length);
  assert.equal(result('ld #42\nst M[3]\nld #0\nld M[3]\nret a'), 42);
  assert.equal(result('ldx #42\nstx M[15]\nldx #0\nldx M[15]\ntxa\nret a'), 42);
  assert.equal(result('ld #9\ntax\nld #0\ntxa\nret a'), 9);
  assert.equal(result('ldi #5\nldxi #6\nadd x\nret a'), 11);
});

test('returns: the constant, or A', () => {
  assert.equal(result('ret #0'), 0);
  assert.equal(result('ret #4294967295'), 0xffffffff);
  assert.equal(result('ld #77\nret a'), 77);
});

test('packet loads are big-endian, absolute and indirect', () => {
  // frame[12..13] is the EtherType 0x0800, IPv4 header from 14.
  assert.equal(result('ldh [12]\nret a'), 0x0800);
  assert.equal(result('ldb [14]\nret a'), 0x45);
  assert.equal(result('ld [12]\nret a'), 0x08004500);
  assert.equal(result('ldx #2\nldh [x + 10]\nret a'), 0x0800);
  assert.equal(result('ldx #4\nldb [x + 10]\nret a'), 0x45);
  assert.equal(result('ldx #8\nld [x + 4]\nret a'), 0x08004500);
  // X + k wraps to 32 bits: X = 13, k = -1 reads byte 12.
  assert.equal(result('ldx #13\nldb [x + -1]\nret a'), 0x08);
});

test('ldxb 4*([k]&0xf) loads the IP header length into X', () => {
  const run = runOn('ld #3\nldxb 4*([14]&0xf)\nret a');
  assert.equal(run.steps[1].x, 20);
  assert.equal(run.result, 3);
});

test('a load past the end ends the program with 0, at every size and mode', () => {
  const last = frame.length - 1;
  assert.equal(result(`ldb [${last}]\nret #1`), 1);
  for (const program of [
    `ldb [${last + 1}]\nret #1`,
    `ldh [${last}]\nret #1`,
    `ld [${last - 2}]\nret #1`,
    `ldx #${last}\nldh [x + 0]\nret #1`,
    `ldx #1\nld [x + ${last - 3}]\nret #1`,
    `ldxb 4*([${last + 1}]&0xf)\nret #1`,
    'ld [2147483647]\nret #1',
  ]) {
    const run = runOn(program);
    assert.equal(run.result, 0, program);
    assert.equal(run.end.cause, 'load-failed', program);
  }
  // A word that fits exactly is fine.
  assert.equal(result(`ld [${last - 3}]\nret #1`), 1);
});

test('SKF_NET_OFF loads are relative to the network header', () => {
  // SKF_NET_OFF + 9 is the IP protocol byte: 14 + 9 in the frame.
  assert.equal(result('ldb [-1048567]\nret a'), IPPROTO_UDP);
  const ip = ipv4(IPPROTO_UDP, udp(1, 2));
  assert.equal(result('ldb [-1048567]\nret a', ip, rawIpv4SocketContext()), IPPROTO_UDP);
  // Past the end of the packet through the network offset.
  assert.equal(runOn(`ldb [${-0x100000 + ip.length}]\nret #1`, ip, rawIpv4SocketContext()).result, 0);
});

test("SKF_LL_OFF loads read the link-layer header, also in front of a raw socket's data", () => {
  assert.equal(result('ldh [-2097140]\nret a'), 0x0800); // SKF_LL_OFF + 12
  const ip = ipv4(IPPROTO_UDP, udp(1, 2));
  const link = frame.slice(0, 14);
  assert.equal(result('ldh [-2097140]\nret a', ip, rawIpv4SocketContext(link)), 0x0800);
  // A word straddling the headroom and the data.
  assert.equal(result('ld [-2097140]\nret a', ip, rawIpv4SocketContext(link)), 0x08004500);
  // No MAC header set: the load fails.
  const noLink = runOn('ldh [-2097140]\nret #1', ip, rawIpv4SocketContext());
  assert.equal(noLink.result, 0);
  assert.match(noLink.end.cause === 'load-failed' ? noLink.end.detail : '', /no link-layer header/);
});

test('offsets below SKF_LL_OFF, and those between SKF_AD_OFF and 0 reached indirectly, fail', () => {
  assert.equal(result('ld [-2097153]\nret #1'), 0);
  assert.equal(result('ldx #0\nldb [x + -1]\nret #1'), 0);
  assert.equal(result('ldx #0\nldb [x + -4096]\nret #1'), 0);
});

test('ancillary loads read the sk_buff fields', () => {
  const ctx: FilterContext = {
    ...context,
    protocol: 0x86dd,
    pktType: 3,
    mark: 0xdeadbeef,
    queueMapping: 5,
    hash: 0x12345678,
    cpu: 1,
    vlan: { tci: 0x2064, tpid: 0x88a8 },
    random: () => 0xabcdef01,
  };
  const cases: [string, number][] = [
    ['proto', 0x86dd],
    ['type', 3],
    ['ifidx', 7],
    ['hatype', 1],
    ['mark', 0xdeadbeef],
    ['queue', 5],
    ['rxhash', 0x12345678],
    ['cpu', 1],
    ['rand', 0xabcdef01],
    ['vlan_tci', 0x2064],
    ['vlan_avail', 1],
    ['vlan_tpid', 0x88a8],
  ];
  for (const [name, expected] of cases) {
    for (const size of ['ld', 'ldh', 'ldb']) {
      assert.equal(result(`${size} #${name}\nret a`, frame, ctx), expected, `${size} #${name}`);
    }
  }
  assert.equal(result('ld #0xff00\nldx #0x0ff0\nld #xor_x\nret a'), 0xf0f0);
});

test('without an offloaded tag the VLAN loads read 0', () => {
  assert.equal(result('ld #vlan_avail\nret a'), 0);
  assert.equal(result('ld #vlan_tci\nret a'), 0);
  assert.equal(result('ld #vlan_tpid\nret a'), 0);
});

test('vlan_avail: 6.1 reads the present bit, 6.12 tests vlan_all for non-zero', () => {
  const oddTag: FilterContext = { ...context, vlan: { tci: 0, tpid: 0 } };
  assert.equal(runOn('ld #vlan_avail\nret a', frame, oddTag, '6.1').result, 1);
  assert.equal(runOn('ld #vlan_avail\nret a', frame, oddTag, '6.12').result, 0);
});

test('ifindex and hatype without a device end the program returning A', () => {
  const noDevice: FilterContext = { ...context, device: null };
  for (const name of ['ifidx', 'hatype']) {
    const run = runOn(`ld #55\nld #${name}\nret #1`, frame, noDevice);
    assert.equal(run.result, 55);
    assert.deepEqual(run.end, { cause: 'no-device', pc: 1 });
  }
});

test('the payload offset is reported as outside the model', () => {
  const run = runOn('ld #poff\nret a');
  assert.equal(run.result, null);
  assert.equal(run.end.cause, 'unsupported');
  assert.match(run.end.cause === 'unsupported' ? run.end.detail : '', /flow dissector/);
});

test('nla and nlan find netlink attributes (little-endian headers) from offset A, type X', () => {
  // Two attributes: {len 8, type 1} then {len 12, type 2 | NLA_F_NESTED} holding {len 8, type 7}.
  const attributes = bytes('0800 0100 aaaaaaaa' + '0c00 0280 0800 0700 bbbbbbbb');
  assert.equal(result('ld #0\nldx #2\nld #nla\nret a', attributes), 8);
  assert.equal(result('ld #0\nldx #1\nld #nla\nret a', attributes), 0);
  assert.equal(result('ld #0\nldx #9\nld #nla\nret a', attributes), 0);
  assert.equal(result('ld #8\nldx #7\nld #nlan\nret a', attributes), 12);
  assert.equal(result('ld #8\nldx #8\nld #nlan\nret a', attributes), 0);
  // A past the last full header.
  assert.equal(result('ld #17\nldx #2\nld #nla\nret a', attributes), 0);
});

test('nlan on an outer attribute shorter than its header: 6.1 and 6.12 differ only in the check', () => {
  const shortOuter = bytes('0200 0100 0800 0700 cccccccc');
  for (const kernel of ['6.1', '6.12'] as const) {
    assert.equal(runOn('ld #0\nldx #7\nld #nlan\nret a', shortOuter, context, kernel).result, 0, kernel);
  }
});

test('conditional jumps compare unsigned, with K or X, at both targets', () => {
  const jump = (cond: string, a: number) =>
    runOn(`ld #${a}\nldx #5\n${cond}, yes, no\nyes: ret #1\nno: ret #2`).result;
  assert.equal(jump('jeq #5', 5), 1);
  assert.equal(jump('jeq #5', 6), 2);
  assert.equal(jump('jeq x', 5), 1);
  assert.equal(jump('jgt #5', 6), 1);
  assert.equal(jump('jgt #5', 5), 2);
  assert.equal(jump('jgt x', 6), 1);
  assert.equal(jump('jge #5', 5), 1);
  assert.equal(jump('jge #5', 4), 2);
  assert.equal(jump('jge x', 4), 2);
  assert.equal(jump('jset #4', 5), 1);
  assert.equal(jump('jset #2', 5), 2);
  assert.equal(jump('jset x', 1), 1);
  // Unsigned: 0xffffffff is greater than 1; a negative constant compares as its u32 value.
  assert.equal(jump('jgt #1', 0xffffffff), 1);
  assert.equal(result('ld #0xffffffff\njeq #-1, yes, no\nyes: ret #1\nno: ret #2'), 1);
});

test('bpf_asm jump spellings: jne, jlt and jle jump to their label when the condition holds', () => {
  const jumpsTo = (a: number, cond: string) =>
    result(`ld #${a}\n${cond}, taken\nret #1\ntaken: ret #2`) === 2;
  assert.equal(jumpsTo(1, 'jne #1'), false);
  assert.equal(jumpsTo(2, 'jne #1'), true);
  assert.equal(jumpsTo(1, 'jlt #2'), true);
  assert.equal(jumpsTo(2, 'jlt #2'), false);
  assert.equal(jumpsTo(1, 'jle #1'), true);
  assert.equal(jumpsTo(2, 'jle #1'), false);
  assert.equal(jumpsTo(1, 'jeq #1'), true);
  assert.deepEqual(assemble('jlt #2, t\nt: ret #0')[0], { code: 0x35, jt: 0, jf: 0, k: 2 });
});

test('ja skips forward; a jump to the next instruction and to the last one', () => {
  assert.equal(result('ja end\nret #1\nend: ret #2'), 2);
  assert.equal(result('ja next\nnext: ret #3'), 3);
  const run = runOn('ld #0\njeq #0, last, last\nret #1\nlast: ret #4');
  assert.equal(run.result, 4);
  assert.deepEqual(run.steps[1].jump, { taken: true, target: 3 });
});

test('the trace records A and X after each instruction, and jump outcomes', () => {
  const run = runOn('ld #1\nldx #2\njgt x, yes, no\nyes: ret #1\nno: ret a');
  assert.deepEqual(
    run.steps.map((s) => ({ pc: s.pc, instruction: s.instruction, a: s.a, x: s.x, jump: s.jump })),
    [
      { pc: 0, instruction: 'ld #1', a: 1, x: 0, jump: undefined },
      { pc: 1, instruction: 'ldx #2', a: 1, x: 2, jump: undefined },
      { pc: 2, instruction: 'jgt x, L3, L4', a: 1, x: 2, jump: { taken: false, target: 4 } },
      { pc: 4, instruction: 'ret a', a: 1, x: 2, jump: undefined },
    ],
  );
  assert.deepEqual(runClassicFilter(accepted('ret #1'), frame, context).steps, []);
});

test('random loads default to a repeatable sequence', () => {
  const program = accepted('ld #rand\nret a');
  const first = runClassicFilter(program, frame, context).result;
  assert.equal(runClassicFilter(program, frame, context).result, first);
});

test('a context pointing before the headroom it gives is a programming error', () => {
  const ctx: FilterContext = { ...rawIpv4SocketContext(), linkOffset: -14 };
  assert.throws(() => runClassicFilter(accepted('ret #1'), frame, ctx), /before the 0 bytes of headroom/);
});
