// Human-readable text for a scenario run and for a comparison (the --json forms print the data).
import type { ScenarioRun, StatementResult } from '../scenario/result';
import type { ScenarioComparison } from './compare-runs';
import { describeDifference } from './diff';

function resultDetails(result: StatementResult): string[] {
  const details: string[] = [];
  if (result.bytes !== undefined) details.push(`bytes ${result.bytes}`);
  if (result.msgFlags && result.msgFlags.length > 0) details.push(`msg_flags ${result.msgFlags.join('|')}`);
  if (result.source) details.push(`from ${JSON.stringify(result.source)}`);
  for (const message of result.control ?? []) details.push(`cmsg ${JSON.stringify(message)}`);
  if (result.data) details.push(`data ${result.data}`);
  return details;
}

export function formatRun(run: ScenarioRun): string {
  const lines = [`${run.scenario} on ${run.engine} kernel ${run.kernel}: ${run.results.length} results`];
  for (const result of run.results) {
    const outcome = result.errno ? `-1 ${result.errno}` : String(result.return);
    lines.push(`  #${result.step} ${result.line}:${result.column} ${result.call} -> ${outcome}`);
    for (const detail of resultDetails(result)) lines.push(`      ${detail}`);
  }
  if (run.stopped) {
    lines.push(`  stopped at ${run.stopped.line}:${run.stopped.column}: ${run.stopped.message}`);
  }
  return lines.join('\n');
}

export function formatComparison(scenario: string, outcome: ScenarioComparison, kernel: string): string {
  const { comparison } = outcome;
  if (outcome.agree) {
    return `${scenario}: the model agrees with live kernel ${kernel} (${comparison.fields} fields)`;
  }
  const count = comparison.differences.length;
  const lines =
    count > 0
      ? [
          `${scenario}: ${count} of ${comparison.fields} fields differ between the model and live kernel ${kernel}`,
          ...comparison.differences.map((difference) => `  ${describeDifference(difference)}`),
        ]
      : [
          `${scenario}: no agreement with live kernel ${kernel}: the runs stopped before the end of main ` +
            `(the ${comparison.fields} fields up to there are the same)`,
        ];
  for (const [who, run] of [
    ['model', outcome.model],
    ['live', outcome.live],
  ] as const) {
    if (run.stopped)
      lines.push(
        `  the ${who} run stopped at ${run.stopped.line}:${run.stopped.column}: ${run.stopped.message}`,
      );
  }
  return lines.join('\n');
}
