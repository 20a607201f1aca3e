// `npm run bench -- --traces`: `knr trace` on every built-in scenario (`knr scenarios --json`), with
// the time the command reports for the trace itself (the index already loaded) and its process wall.
import { median } from './bench-lib.mjs';
import { missingKnrCommands, reportedMs, runKnrJson } from './bench-knr.mjs';

/** The scenario names from `knr scenarios --json`: an array of names or of `{ name }` objects. */
function scenarioNames(json) {
  const list = Array.isArray(json) ? json : json?.scenarios;
  if (!Array.isArray(list)) throw new Error('knr scenarios --json printed no list of scenarios');
  return list.map((entry) => (typeof entry === 'string' ? entry : entry.name));
}

export async function benchmarkTraces({ runs, budgetMs }, tree, cache, problems, progress) {
  const limit = { timeoutMs: budgetMs };
  const missing = missingKnrCommands(['scenarios', 'trace']);
  if (missing.length > 0) {
    problems.push(`--traces: knr has no ${missing.map((m) => `\`${m}\``).join(', ')} command yet`);
    return undefined;
  }
  const listing = await runKnrJson(['scenarios', '--kernel', tree, '--cache', cache], limit);
  const scenarios = [];
  for (const scenario of scenarioNames(listing.json)) {
    const samples = [];
    for (let round = 1; round <= runs; round++) {
      progress(`knr trace ${scenario} ${round}/${runs}`);
      samples.push(await runKnrJson(['trace', scenario, '--kernel', tree, '--cache', cache], limit));
    }
    const reported = samples
      .map((s) => reportedMs(s.json, ['traceMs', 'timeMs']))
      .filter((ms) => ms !== undefined);
    if (reported.length === 0) problems.push(`knr trace ${scenario} --json reports no traceMs or timeMs`);
    scenarios.push({
      scenario,
      runs: samples.length,
      reportedTimeMs: reported.length > 0 ? median(reported) : undefined,
      wallMs: median(samples.map((s) => s.wallMs)),
    });
  }
  return { scenarios };
}
