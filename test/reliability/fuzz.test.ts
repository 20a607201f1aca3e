// A few seconds of scripts/fuzz.ts (random and mutated C into the indexer, random and mutated
// scenarios and random frames into the parser, checker, admission and models): nothing may throw
// outside a reported error and no input may run past its time bound. A new seed each run, printed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFuzz, targets } from '../../scripts/fuzz';

test(
  'fuzzing the indexer, the scenario parser and the models for 8 s finds no failure or hang',
  { timeout: 60000 },
  async (t) => {
    const seed = Number(process.env.KNR_FUZZ_SEED ?? Math.floor(Math.random() * 1e9));
    const report = await runFuzz({ seconds: 8, seed, inputMs: 10000 });
    t.diagnostic(`seed ${seed} (replay: KNR_FUZZ_SEED=${seed}): ${JSON.stringify(report.tried)}`);
    const findings = [...report.failures, ...report.hangs].map(
      (f) => `${f.target} input ${f.input} of seed ${seed}: ${f.error}\n${f.excerpt ?? ''}`,
    );
    assert.deepEqual(findings, []);
    for (const target of targets) assert.ok(report.tried[target] > 0, `${target} was tried`);
  },
);
