// `knr check-models`: resolves every anchor of every model against an indexed tree. Anchors declared
// for other versions only are listed as known per-version differences; anything else that does not
// resolve is drift between a model and the kernel source.
import { allModelDefinitions } from '../models';
import { AnchorResolver, type AnchorIndex, type SourceReader } from './anchors';

export interface AnchorReport {
  function: string;
  file: string;
  anchor: string;
  pattern: string;
  /** 1-based, when resolved. */
  line?: number;
  reason?: string;
}

export interface ModelCheck {
  kernel: string;
  series: string;
  models: number;
  anchors: number;
  resolved: AnchorReport[];
  unresolved: AnchorReport[];
  knownDifferences: AnchorReport[];
}

export function checkModels(index: AnchorIndex, source: SourceReader): ModelCheck {
  const resolver = new AnchorResolver(index, source);
  const report: ModelCheck = {
    kernel: index.version,
    series: resolver.series,
    models: 0,
    anchors: 0,
    resolved: [],
    unresolved: [],
    knownDifferences: [],
  };
  for (const model of allModelDefinitions()) {
    report.models++;
    for (const [anchor, spec] of [
      ['enter', { pattern: model.name }] as const,
      ...Object.entries(model.anchors),
    ]) {
      report.anchors++;
      const entry: AnchorReport = { function: model.name, file: model.file, anchor, pattern: spec.pattern };
      const resolution = resolver.resolve(model, anchor);
      if (resolution.status === 'resolved') report.resolved.push({ ...entry, line: resolution.line + 1 });
      else if (resolution.status === 'not-in-version') {
        report.knownDifferences.push({
          ...entry,
          reason: `declared for other versions than ${resolution.series}`,
        });
      } else report.unresolved.push({ ...entry, reason: resolution.reason });
    }
  }
  return report;
}
