// Human-readable text for a scenario run and for a comparison (the --json forms print the data).
import type { ScenarioRun, StatementResult } from '../scenario/result';
import type { KernelPacketEnd } from '../scenario/result';
import { describeDeclaredDifference, describeEndDifference } from './compare-ends';
import type { ScenarioComparison } from './compare-runs';
import { describeDifference } from './diff';

function describeKernelEnd(end: KernelPacketEnd): string {
  const when = end.statement === undefined ? 'after main' : `#${end.statement}`;
  const reason = end.reason ? ` ${end.reason}` : '';
  return `packet ${end.packet} (${when}): ${end.how} at ${end.location}${reason}`;
}

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
  if (run.ends) {
    lines.push(`  packet ends (kernel tracepoints): ${run.ends.length}`);
    for (const end of run.ends) lines.push(`    ${describeKernelEnd(end)}`);
  }
  if (run.endsUnavailable) lines.push(`  packet ends not recorded: ${run.endsUnavailable}`);
  return lines.join('\n');
}

function endLines(outcome: ScenarioComparison): string[] {
  const { ends } = outcome;
  if (ends.unavailable) return [`  packet ends not compared: ${ends.unavailable}`];
  return [
    ...ends.differences.map((difference) => `  end ${describeEndDifference(difference)}`),
    ...ends.declared.map((declared) => `  end ${describeDeclaredDifference(declared)}`),
  ];
}

export function formatComparison(scenario: string, outcome: ScenarioComparison, kernel: string): string {
  const { comparison, ends } = outcome;
  const endCounts = ends.unavailable
    ? ''
    : `, ${ends.compared} packet ends (${ends.differences.length} differ, ${ends.declared.length} declared)`;
  if (outcome.agree) {
    return [
      `${scenario}: the model agrees with live kernel ${kernel} (${comparison.fields} fields${endCounts})`,
      ...endLines(outcome),
    ].join('\n');
  }
  const count = comparison.differences.length;
  const lines =
    count > 0
      ? [
          `${scenario}: ${count} of ${comparison.fields} fields differ between the model and live kernel ${kernel}${endCounts}`,
          ...comparison.differences.map((difference) => `  ${describeDifference(difference)}`),
        ]
      : ends.differences.length > 0
        ? [
            `${scenario}: ${ends.differences.length} of ${ends.compared} packet ends differ between the model and live kernel ${kernel} (the ${comparison.fields} fields are the same)`,
          ]
        : [
            `${scenario}: no agreement with live kernel ${kernel}: the runs stopped before the end of main ` +
              `(the ${comparison.fields} fields up to there are the same)`,
          ];
  lines.push(...endLines(outcome));
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
