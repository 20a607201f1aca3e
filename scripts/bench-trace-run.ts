// Trace latency once the index is loaded, measured in one process (run by scripts/bench-traces.mjs
// through tsx, which summarises): opens the persisted index, then traces every built-in scenario
// `--repeat` times the way `knr trace` does (parse, check, run the models, read the source lines), and
// prints one JSON object: { loadMs, scenarios: [{ name, samplesMs, events, failure? }] }.
//
// Usage: node --import tsx scripts/bench-trace-run.ts --kernel DIR --cache DIR [--repeat N]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openIndex } from '../server/src/index/open';
import { listLibrary } from '../server/src/scenario/library';
import { traceScenarioFile, type ScenarioOutcome } from '../server/src/trace/api';

/** Why a trace is not a full run of its scenario, or undefined when it is. */
function failureOf(outcome: ScenarioOutcome): string | undefined {
  const error = outcome.diagnostics.find((d) => d.severity === 'error');
  if (error) return `line ${error.span.line + 1}: ${error.message}`;
  if (!outcome.trace) return 'no trace';
  if (outcome.trace.stopped)
    return `stopped at line ${outcome.trace.stopped.line}: ${outcome.trace.stopped.message}`;
  return undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { kernel: { type: 'string' }, cache: { type: 'string' }, repeat: { type: 'string' } },
  });
  if (!values.kernel || !values.cache) throw new Error('--kernel DIR and --cache DIR are required');
  const repeat = Number(values.repeat ?? '5');
  if (!Number.isInteger(repeat) || repeat < 1) {
    throw new Error(`--repeat must be a positive integer, got '${values.repeat}'`);
  }

  const loadStarted = performance.now();
  const index = await openIndex(values.kernel, { cache: values.cache });
  const loadMs = performance.now() - loadStarted;

  const scenarios = [];
  for (const scenario of await listLibrary()) {
    const samplesMs: number[] = [];
    let outcome: ScenarioOutcome | undefined;
    for (let round = 0; round < repeat; round++) {
      const started = performance.now();
      outcome = await traceScenarioFile(scenario.file, index);
      samplesMs.push(performance.now() - started);
    }
    scenarios.push({
      name: scenario.name,
      samplesMs,
      events: outcome?.trace?.events.length ?? 0,
      failure: outcome ? failureOf(outcome) : 'not run',
    });
  }
  process.stdout.write(JSON.stringify({ loadMs, scenarios }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-trace-run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
