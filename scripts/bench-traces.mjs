// `npm run bench -- --traces`: trace latency of every built-in scenario once the index is loaded
// (scripts/bench-trace-run.ts, in one process), and one `knr trace --json` as a process, end to end.
import { median, percentile } from './bench-lib.mjs';
import { missingKnrCommands, runInProcessScript, runKnrJson } from './bench-knr.mjs';

export async function benchmarkTraces({ budgetMs }, tree, cache, problems, progress) {
  const missing = missingKnrCommands(['scenarios', 'trace']);
  if (missing.length > 0) {
    problems.push(`--traces: knr has no ${missing.map((m) => `\`${m}\``).join(', ')} command yet`);
    return undefined;
  }
  progress('traces (in process)');
  const measured = runInProcessScript('bench-trace-run.ts', tree, cache, budgetMs, problems);
  if (!measured) return undefined;
  const scenarios = measured.scenarios.map(({ name, samplesMs, events, failure }) => {
    if (failure) problems.push(`scenario ${name} does not run to the end on ${tree}: ${failure}`);
    return {
      scenario: name,
      events,
      samples: samplesMs.length,
      firstMs: samplesMs[0],
      medianMs: median(samplesMs),
      maxMs: percentile(samplesMs, 100),
    };
  });
  progress('knr trace (as a process)');
  const first = scenarios[0]?.scenario;
  const command = first
    ? await runKnrJson(['trace', first, '--kernel', tree, '--cache', cache], { timeoutMs: budgetMs })
    : undefined;
  return {
    loadMs: measured.loadMs,
    scenarios,
    command: command && {
      command: `knr trace ${first}`,
      wallMs: command.wallMs,
      peakRssMb: command.peakRssMb,
    },
  };
}
