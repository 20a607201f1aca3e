// `knr diff` as text: the aligned path, each function's status with the diff of a changed one, then
// the ops hops, events and results that differ.
import {
  eventChange,
  filesOf,
  hopText,
  legend,
  resultChange,
  statusMarks,
  statusWords,
  stepMark,
  type SideLabels,
} from './describe';
import type { PathDiff } from './path-diff';

export function renderDiffText(diff: PathDiff): string {
  const labels: SideLabels = { old: diff.old.kernel, new: diff.new.kernel };
  const statuses = new Map(diff.functions.map((f) => [f.name, f]));
  const lines = [
    `${diff.kind} ${diff.subject}: ${labels.old} -> ${labels.new}`,
    `(${legend(labels)})`,
    '',
    'Path:',
  ];
  let statement = -1;
  for (const step of diff.path) {
    if (diff.kind === 'scenario' && step.statement !== statement) {
      statement = step.statement;
      lines.push(`  [${statement}]`);
    }
    lines.push(`  ${stepMark(step, statuses)} ${'  '.repeat(step.depth)}${step.function}`);
  }
  lines.push('', 'Functions:');
  for (const comparison of diff.functions) {
    lines.push(
      `  ${statusMarks[comparison.status]} ${comparison.name}  ${filesOf(comparison)}  ${statusWords(comparison, labels)}`,
    );
    for (const line of comparison.diff ?? []) lines.push(`      ${line}`);
  }
  lines.push('', 'Ops hops that changed:');
  if (diff.hops.length === 0) lines.push('  none');
  for (const hop of diff.hops) {
    const where =
      diff.kind === 'scenario'
        ? `[${hop.statement}] ${hop.function} at ${hop.anchor}`
        : `${hop.function} -> ${hop.anchor}`;
    lines.push(`  ${where}: ${hopText(hop.old)} -> ${hopText(hop.new)}`);
  }
  if (diff.kind === 'scenario') {
    lines.push('', 'Values and branches that differ:');
    if (diff.events.length === 0) lines.push('  none');
    for (const event of diff.events)
      lines.push(
        `  [${event.statement}] ${event.function} at ${event.anchor}: ${eventChange(event, labels)}`,
      );
    lines.push('', 'Results that differ:');
    if (diff.results.length === 0) lines.push('  none');
    for (const result of diff.results)
      lines.push(`  line ${result.line} ${result.call}(): ${resultChange(result, labels)}`);
  }
  return lines.join('\n');
}
