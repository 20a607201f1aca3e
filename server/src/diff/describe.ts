// The words and symbols the text and Markdown renderings of a path diff share.
import type { EventValue, OpsHop } from '../models';
import type { StatementResult } from '../scenario/result';
import type {
  EventDifference,
  FunctionComparison,
  FunctionSource,
  PathStep,
  ResultDifference,
} from './path-diff';

/** What the two sides are called in the output: their versions, or their series. */
export interface SideLabels {
  old: string;
  new: string;
}

export const statusMarks = {
  unchanged: '=',
  changed: '~',
  'only-old': '-',
  'only-new': '+',
  'not-found': '?',
} as const;

export function legend(labels: SideLabels): string {
  return `= unchanged, ~ changed, - only in ${labels.old}, + only in ${labels.new}, ? not defined in an index`;
}

export function statusWords(comparison: FunctionComparison, labels: SideLabels): string {
  switch (comparison.status) {
    case 'only-old':
      return `only in ${labels.old}`;
    case 'only-new':
      return `only in ${labels.new}`;
    case 'not-found':
      return `no definition in ${comparison.missing === 'both' ? 'either index' : labels[comparison.missing!]}`;
    default:
      return comparison.status;
  }
}

/** The mark of a path step: its side when on one path only, else its function's status. */
export function stepMark(step: PathStep, statuses: ReadonlyMap<string, FunctionComparison>): string {
  if (step.side === 'old') return '-';
  if (step.side === 'new') return '+';
  return statusMarks[statuses.get(step.function)?.status ?? 'unchanged'];
}

/** `net/socket.c`, or `net/a.c -> net/b.c` when the function moved. */
export function filesOf(comparison: FunctionComparison): string {
  const files = [comparison.old, comparison.new]
    .filter((s): s is FunctionSource => s !== undefined)
    .map((s) => s.file);
  return [...new Set(files)].join(' -> ');
}

export const hopText = (hop: OpsHop | undefined): string =>
  hop ? `${hop.struct}.${hop.field} in ${hop.table} = ${hop.target}` : '(no hop)';

const valueText = (value: EventValue | undefined): string =>
  value === undefined ? '(none)' : JSON.stringify(value);

export function eventChange(difference: EventDifference, labels: SideLabels): string {
  if (!difference.new) return `only in ${labels.old}: ${valuesText(difference.old!)}`;
  if (!difference.old) return `only in ${labels.new}: ${valuesText(difference.new)}`;
  const parts = difference.keys.map(
    (key) => `${key}: ${valueText(difference.old!.values[key])} -> ${valueText(difference.new!.values[key])}`,
  );
  if (difference.old.branch !== difference.new.branch)
    parts.push(`branch: ${difference.old.branch ?? '(none)'} -> ${difference.new.branch ?? '(none)'}`);
  return parts.join('; ');
}

function valuesText(side: { values: Record<string, EventValue>; branch?: string }): string {
  const parts = Object.entries(side.values).map(([key, value]) => `${key} = ${valueText(value)}`);
  if (side.branch) parts.push(`-> ${side.branch}`);
  return parts.length > 0 ? parts.join('; ') : 'reached';
}

const resultField = (result: StatementResult | undefined, field: string): string =>
  valueText((result as unknown as Record<string, EventValue> | undefined)?.[field]);

export function resultChange(difference: ResultDifference, labels: SideLabels): string {
  if (!difference.new) return `only in ${labels.old}`;
  if (!difference.old) return `only in ${labels.new}`;
  return difference.fields
    .map(
      (field) => `${field}: ${resultField(difference.old, field)} -> ${resultField(difference.new, field)}`,
    )
    .join('; ');
}
