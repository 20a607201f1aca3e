// The checker against the rules of net/core/filter.c: each rule at its bound, in the kernel's order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkClassicFilter,
  instruction,
  runClassicFilter,
  packetSocketContext,
  type CheckedProgram,
  type ClassicInstruction,
  type FilterVerdict,
} from '../../../server/src/models/cbpf';
import { assemble } from './fixtures';

function verdictOf(program: string | ClassicInstruction[], options = {}): FilterVerdict {
  return checkClassicFilter(typeof program === 'string' ? assemble(program) : program, options);
}

function assertRejected(
  program: string | ClassicInstruction[],
  expected: { errno: 'EINVAL' | 'ENOMEM'; by: string; index?: number; reason?: RegExp },
  options = {},
) {
  const verdict = verdictOf(program, options);
  assert.equal(verdict.accepted, false, 'expected a rejection');
  if (verdict.accepted) return;
  assert.equal(verdict.errno, expected.errno);
  assert.equal(verdict.errnoValue, expected.errno === 'EINVAL' ? 22 : 12);
  assert.equal(verdict.rejectedBy, expected.by);
  assert.equal(verdict.index, expected.index);
  if (expected.reason) assert.match(verdict.reason, expected.reason);
}

const ret = (k = 0) => instruction(0x06, 0, 0, k);

test('an empty program and one longer than BPF_MAXINSNS fail bpf_check_basics_ok', () => {
  assertRejected([], { errno: 'EINVAL', by: 'bpf_check_basics_ok' });
  const tooLong = Array.from({ length: 4097 }, () => ret());
  assertRejected(tooLong, {
    errno: 'EINVAL',
    by: 'bpf_check_basics_ok',
    index: 4096,
    reason: /4097 instructions/,
  });
});

test('4096 instructions pass the length check; on 6.1 they exceed the 20 KiB option memory', () => {
  const longest = Array.from({ length: 4096 }, () => ret());
  // 3 + 4096 * 2 eBPF instructions: 72 + 8 * 8195 = 65632 bytes.
  const on612 = verdictOf(longest, { kernel: '6.12' });
  assert.ok(on612.accepted);
  assert.equal(on612.ebpfLength, 8195);
  assert.equal(on612.chargedBytes, 65632);
  assertRejected(
    longest,
    { errno: 'ENOMEM', by: '__sk_filter_charge', reason: /optmem_max 20480/ },
    { kernel: '6.1' },
  );
});

test('the option-memory charge is strict: size + in use must stay below optmem_max', () => {
  const program = 'ret #0'; // 3 + 2 eBPF instructions, 112 bytes
  assert.ok(verdictOf(program, { optmemMax: 113 }).accepted);
  assertRejected(program, { errno: 'ENOMEM', by: '__sk_filter_charge' }, { optmemMax: 112 });
  assertRejected(
    program,
    { errno: 'ENOMEM', by: '__sk_filter_charge' },
    { optmemMax: 200, optionMemoryInUse: 88 },
  );
  assert.ok(verdictOf(program, { optmemMax: 200, optionMemoryInUse: 87 }).accepted);
});

test('opcodes outside chk_code_allowed are rejected at their index', () => {
  const seccompLoad = instruction(0x20 | 0x01, 0, 0, 0); // BPF_LDX | BPF_W | BPF_ABS
  for (const code of [0x21, 0x0e, 0x07 | 0x10, 0x84 | 0x08, 0xc4, 0x18, 0xffff]) {
    assertRejected([instruction(code, 0, 0, 0), ret()], {
      errno: 'EINVAL',
      by: 'chk_code_allowed',
      index: 0,
    });
  }
  assertRejected([ret(), seccompLoad, ret()], { errno: 'EINVAL', by: 'chk_code_allowed', index: 1 });
  assertRejected('ld #1\nret x', { errno: 'EINVAL', by: 'chk_code_allowed', index: 1 });
});

test('division and modulo by the constant 0 are rejected; by X are not', () => {
  assertRejected('div #0\nret a', {
    errno: 'EINVAL',
    by: 'bpf_check_classic',
    index: 0,
    reason: /constant 0/,
  });
  assertRejected('mod #0\nret a', { errno: 'EINVAL', by: 'bpf_check_classic', index: 0 });
  assert.ok(verdictOf('div #1\nmod #1\ndiv x\nmod x\nret a').accepted);
});

test('constant shifts must be below 32', () => {
  assert.ok(verdictOf('lsh #31\nrsh #31\nret a').accepted);
  assertRejected('lsh #32\nret a', { errno: 'EINVAL', by: 'bpf_check_classic', index: 0 });
  assertRejected('ld #1\nrsh #32\nret a', { errno: 'EINVAL', by: 'bpf_check_classic', index: 1 });
  assert.ok(verdictOf('lsh x\nret a').accepted);
});

test('scratch memory is M[0..15]', () => {
  assert.ok(verdictOf('st M[15]\nld M[15]\nstx M[15]\nldx M[15]\nret a').accepted);
  for (const program of ['st M[16]\nret a', 'stx M[16]\nret a', 'ld M[16]\nret a', 'ldx M[16]\nret a']) {
    assertRejected(program, { errno: 'EINVAL', by: 'bpf_check_classic', index: 0 });
  }
});

test('jumps must land inside the program, at the bound exactly', () => {
  // ja k is allowed while k < len - pc - 1.
  assert.ok(verdictOf([instruction(0x05, 0, 0, 1), ret(), ret()]).accepted);
  assertRejected([instruction(0x05, 0, 0, 2), ret(), ret()], {
    errno: 'EINVAL',
    by: 'bpf_check_classic',
    index: 0,
  });
  // jt/jf: pc + off + 1 < len.
  assert.ok(verdictOf([instruction(0x15, 1, 0, 0), ret(), ret()]).accepted);
  assertRejected([instruction(0x15, 2, 0, 0), ret(), ret()], {
    errno: 'EINVAL',
    by: 'bpf_check_classic',
    index: 0,
  });
  assertRejected([instruction(0x1d, 0, 2, 0), ret(), ret()], {
    errno: 'EINVAL',
    by: 'bpf_check_classic',
    index: 0,
  });
  // The longest conditional jump, 255, in a program long enough for it.
  const long = [instruction(0x45, 255, 255, 1), ...Array.from({ length: 256 }, () => ret())];
  assert.ok(verdictOf(long).accepted);
  assertRejected(long.slice(0, 256), { errno: 'EINVAL', by: 'bpf_check_classic', index: 0 });
});

test('a huge ja is rejected even though it would wrap', () => {
  assertRejected([instruction(0x05, 0, 0, 0xffffffff), ret()], {
    errno: 'EINVAL',
    by: 'bpf_check_classic',
    index: 0,
  });
});

test('the last instruction must be a return', () => {
  assertRejected('ld #1', { errno: 'EINVAL', by: 'bpf_check_classic', index: 0, reason: /not a return/ });
  assertRejected('ret #1\ntax', { errno: 'EINVAL', by: 'bpf_check_classic', index: 1 });
  assert.ok(verdictOf('ret a').accepted);
});

test('instruction errors are found in program order before the last-instruction check', () => {
  assertRejected('div #0\nlsh #40\ntax', { errno: 'EINVAL', by: 'bpf_check_classic', index: 0 });
});

test('absolute loads at SKF_AD_OFF and above must name a known ancillary load', () => {
  assert.ok(verdictOf('ld [-4096]\nret a').accepted); // SKF_AD_OFF + 0: protocol
  assert.ok(verdictOf('ldb [-4036]\nret a').accepted); // + 60: vlan_tpid
  assertRejected('ld [-4032]\nret a', {
    errno: 'EINVAL',
    by: 'bpf_check_classic',
    index: 0,
    reason: /SKF_AD_OFF \+ 64/,
  });
  assertRejected('ld [-4095]\nret a', { errno: 'EINVAL', by: 'bpf_check_classic', index: 0 });
  assertRejected('ld [-1]\nret a', { errno: 'EINVAL', by: 'bpf_check_classic', index: 0 });
  // Below SKF_AD_OFF (network and link-layer offsets) and indirect loads are not checked.
  assert.ok(verdictOf('ld [-4097]\nret a').accepted);
  assert.ok(verdictOf('ld [x + -1]\nret a').accepted);
  assert.ok(verdictOf('ldxb 4*([-1]&0xf)\nret a').accepted);
});

test('a scratch cell must be written on every path before it is read', () => {
  assertRejected('ld M[0]\nret a', { errno: 'EINVAL', by: 'check_load_and_stores', index: 0 });
  assertRejected('st M[1]\nld M[0]\nret a', { errno: 'EINVAL', by: 'check_load_and_stores', index: 1 });
  const oneBranch = 'jeq #1, yes, no\nyes: st M[3]\nno: ld M[3]\nret a';
  assertRejected(oneBranch, { errno: 'EINVAL', by: 'check_load_and_stores', index: 2 });
  const bothBranches = 'st M[3]\njeq #1, yes, no\nyes: ldx M[3]\nno: ld M[3]\nret a';
  assert.ok(verdictOf(bothBranches).accepted);
  // After a jump the kernel treats the fall-through position as reachable only by jumps.
  assert.ok(verdictOf('ja skip\nld M[5]\nskip: ret a').accepted);
});

test('a jump placed beyond eBPF instruction 32767 after conversion fails bpf_convert_filter', () => {
  // ld [0]: 13 eBPF instructions each (no offset subtraction, no wide offset).
  const loads = (n: number) => [
    ...Array.from({ length: n }, () => instruction(0x20, 0, 0, 0)),
    instruction(0x15, 0, 0, 1),
    ret(),
  ];
  // 7 + 13 * 2520 = 32767: the jump sits at 32767, its first-pass offset -32768 still fits.
  assert.ok(verdictOf(loads(2520), { optmemMax: 1 << 20 }).accepted);
  assertRejected(
    loads(2521),
    { errno: 'EINVAL', by: 'bpf_convert_filter', index: 2521 },
    { optmemMax: 1 << 20 },
  );
  // With 6.12's default option memory, conversion still comes before the charge: EINVAL, then ENOMEM.
  assertRejected(loads(2521), { errno: 'EINVAL', by: 'bpf_convert_filter', index: 2521 });
  assertRejected(loads(2520), { errno: 'ENOMEM', by: '__sk_filter_charge' });
});

test('a checked program is frozen, and only checked programs run', () => {
  const verdict = verdictOf('ret #7');
  assert.ok(verdict.accepted);
  assert.ok(Object.isFrozen(verdict.program.instructions));
  const forged = { instructions: [ret(7)], kernel: '6.12' } as unknown as CheckedProgram;
  const packet = new Uint8Array(14);
  assert.throws(
    () => runClassicFilter(forged, packet, packetSocketContext(packet)),
    /accepted by checkClassicFilter/,
  );
  assert.equal(runClassicFilter(verdict.program, packet, packetSocketContext(packet)).result, 7);
});

test('fields are taken as struct sock_filter stores them: u16 code, u8 jumps, u32 k', () => {
  const verdict = verdictOf([{ code: 0x10006, jt: 0, jf: 0x100, k: -1 }]);
  assert.ok(verdict.accepted);
  assert.deepEqual(verdict.program.instructions, [instruction(0x06, 0, 0, 0xffffffff)]);
});
