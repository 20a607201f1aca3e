// Thousands of random programs from a seeded generator: the checker never throws, accepted programs
// always run to an end within one pass, rejected ones can never be run, and every program
// disassembles to text that reads back to the same instructions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkClassicFilter,
  disassemble,
  parseProgram,
  runClassicFilter,
  type CheckedProgram,
  type FilterContext,
} from '../../../server/src/models/cbpf';
import { prng, randomProgram } from './random-programs';

const PROGRAMS = 5000;
const TIME_BUDGET_MS = 20_000;

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
