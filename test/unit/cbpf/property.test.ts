// Thousands of random programs from a seeded generator: the checker never throws, accepted programs
// always run to an end within one pass, rejected ones can never be run, and every program
// disassembles to text that reads back to the same instructions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkClassicFilter,
  disassemble,
  instruction,
  parseProgram,
  runClassicFilter,
  type CheckedProgram,
  type ClassicInstruction,
  type FilterContext,
} from '../../../server/src/models/cbpf';

const PROGRAMS = 5000;
const TIME_BUDGET_MS = 20_000;

/** mulberry32: small, seedable, good enough to spread test inputs. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const allowed = [
  0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x94, 0x9c, 0x54, 0x5c, 0x44, 0x4c, 0xa4, 0xac, 0x64, 0x6c,
  0x74, 0x7c, 0x84, 0x20, 0x28, 0x30, 0x80, 0x40, 0x48, 0x50, 0x00, 0x60, 0x81, 0xb1, 0x01, 0x61, 0x02, 0x03,
  0x07, 0x87, 0x06, 0x16, 0x05, 0x15, 0x1d, 0x35, 0x3d, 0x25, 0x2d, 0x45, 0x4d,
];

const interestingK = [
  0,
  1,
  2,
  4,
  12,
  14,
  15,
  16,
  23,
  31,
  32,
  0x7fff,
  0x8000,
  0xffffffff,
  0xfff00009,
  0xffe0000c,
  0xffdfffff,
  0x80000000,
  0xfffff040,
  0xfffff001,
  // Every ancillary load: SKF_AD_OFF + 0, 4, ..., 60.
  ...Array.from({ length: 16 }, (_, i) => (0xfffff000 + 4 * i) >>> 0),
];

/** Mostly a k the checker allows for this opcode, so that many programs get as far as running. */
function plausibleK(code: number, random: () => number): number | undefined {
  if (random() < 0.2) return undefined;
  if ([0x60, 0x61, 0x02, 0x03].includes(code)) return Math.floor(random() * 16);
  if ([0x64, 0x74].includes(code)) return Math.floor(random() * 32);
  if ([0x34, 0x94].includes(code)) return 1 + Math.floor(random() * 10);
  return undefined;
}

function randomInstruction(random: () => number, remaining: number): ClassicInstruction {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const code = random() < 0.97 ? pick(allowed) : Math.floor(random() * 0x10000);
  const k =
    plausibleK(code, random) ?? (random() < 0.7 ? pick(interestingK) : Math.floor(random() * 0x100000000));
  const offset = () =>
    random() < 0.9 ? Math.floor(random() * Math.max(1, remaining)) : Math.floor(random() * 256);
  const jumpK = code === 0x05 && random() < 0.9 ? offset() : k;
  return instruction(code, offset(), offset(), jumpK);
}

function randomProgram(random: () => number): ClassicInstruction[] {
  const length = random() < 0.02 ? 0 : 1 + Math.floor(random() * (random() < 0.9 ? 12 : 60));
  const program = Array.from({ length }, (_, i) => randomInstruction(random, length - i - 1));
  if (length > 0 && random() < 0.8) program[length - 1] = instruction(random() < 0.5 ? 0x06 : 0x16, 0, 0, 1);
  return program;
}

function randomContext(random: () => number, packetLength: number): FilterContext {
  const headroom = new Uint8Array(random() < 0.5 ? 14 : 0).map(() => Math.floor(random() * 256));
  return {
    protocol: Math.floor(random() * 0x10000),
    pktType: Math.floor(random() * 8),
    device: random() < 0.8 ? { ifindex: 1 + Math.floor(random() * 10), hatype: 1 } : null,
    networkOffset: headroom.length > 0 ? 0 : Math.min(14, packetLength),
    linkOffset: headroom.length > 0 ? -14 : random() < 0.5 ? 0 : undefined,
    headroom,
    vlan: random() < 0.3 ? { tci: Math.floor(random() * 0x10000), tpid: 0x8100 } : undefined,
    hash: Math.floor(random() * 0x100000000),
  };
}

test(`${PROGRAMS} random programs: checker total, interpreter terminating, only accepted programs run`, () => {
  const random = prng(20261126);
  const started = Date.now();
  let acceptedCount = 0;
  let runs = 0;
  const ends = new Map<string, number>();
  for (let n = 0; n < PROGRAMS && Date.now() - started < TIME_BUDGET_MS; n++) {
    const program = randomProgram(random);
    const kernel = random() < 0.5 ? '6.1' : '6.12';
    const verdict = checkClassicFilter(program, { kernel });
    assert.deepEqual(parseProgram(disassemble(program), 'asm').instructions, program, disassemble(program));
    if (!verdict.accepted) {
      assert.ok(verdict.errno === 'EINVAL' || verdict.errno === 'ENOMEM');
      assert.ok(verdict.index === undefined || (verdict.index >= 0 && verdict.index <= program.length));
      const forged = { instructions: program, kernel } as unknown as CheckedProgram;
      assert.throws(() => runClassicFilter(forged, new Uint8Array(60), randomContext(random, 60)), TypeError);
      continue;
    }
    acceptedCount++;
    for (let p = 0; p < 3; p++) {
      const packet = new Uint8Array(Math.floor(random() * 80)).map(() => Math.floor(random() * 256));
      const run = runClassicFilter(verdict.program, packet, randomContext(random, packet.length), {
        trace: true,
      });
      runs++;
      ends.set(run.end.cause, (ends.get(run.end.cause) ?? 0) + 1);
      assert.ok(run.steps.length <= program.length, 'every jump is forward: at most one pass');
      run.steps.forEach((step, i) => i > 0 && assert.ok(step.pc > run.steps[i - 1].pc));
      assert.equal(run.steps.at(-1)?.pc, run.end.pc);
      if (run.result !== null)
        assert.ok(Number.isInteger(run.result) && run.result >= 0 && run.result <= 0xffffffff);
      for (const step of run.steps)
        assert.ok(step.a >= 0 && step.a <= 0xffffffff && step.x >= 0 && step.x <= 0xffffffff);
    }
  }
  // The generator must reach the interpreter often enough for the property to mean something.
  assert.ok(acceptedCount > PROGRAMS / 10, `only ${acceptedCount} of ${PROGRAMS} programs were accepted`);
  for (const cause of ['return', 'load-failed', 'division-by-zero', 'no-device', 'unsupported']) {
    assert.ok((ends.get(cause) ?? 0) > 0, `no run ended by ${cause}: ${JSON.stringify([...ends])}`);
  }
  assert.ok(runs >= acceptedCount * 3);
});
