// `knr diff --svg`: both paths as one diagram (the trace renderer's, over the merged trace), with the
// changed functions and those on one path only marked.
import { renderTraceSvg, type BoxMark } from '../trace/render-svg';
import type { Trace } from '../trace/trace';
import type { FunctionStatus, PathDiff } from './path-diff';

const markOf: Partial<Record<FunctionStatus, BoxMark>> = {
  changed: 'changed',
  'only-old': 'removed',
  'only-new': 'added',
};

export function renderDiffSvg(diff: PathDiff, merged: Trace): string {
  const marks = new Map<string, BoxMark>();
  for (const comparison of diff.functions) {
    const mark = markOf[comparison.status];
    if (mark) marks.set(comparison.name, mark);
  }
  return renderTraceSvg(merged, {
    marks,
    title: `${diff.subject}: ${diff.old.kernel} -> ${diff.new.kernel}`,
    legend: {
      changed: 'changed',
      removed: `only in ${diff.old.kernel}`,
      added: `only in ${diff.new.kernel}`,
    },
  });
}
