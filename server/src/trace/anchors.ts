// Resolving the models' anchors against the indexed tree: the function's definition from the index,
// then the anchor's pattern searched in the function's own lines with whitespace folded. An anchor
// that no longer resolves means the model drifted from the source (knr check-models reports it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexQueries } from '../index/queries';
import type { FunctionFact } from '../index/facts';
import { kernelSeries, type KernelSeries, type ModelDefinition } from '../models';

/** Source lines of kernel files, by path relative to the kernel root. */
export interface SourceReader {
  lines(file: string): readonly string[] | undefined;
}

/** Reads each file once: make a new reader when the files may have changed (api.ts keeps one per index generation). */
export function fileSourceReader(root: string): SourceReader {
  const cache = new Map<string, readonly string[] | undefined>();
  return {
    lines(file) {
      if (!cache.has(file)) {
        try {
          cache.set(file, readFileSync(join(root, file), 'utf8').split('\n'));
        } catch {
          cache.set(file, undefined);
        }
      }
      return cache.get(file);
    },
  };
}

export type AnchorIndex = Pick<IndexQueries, 'version' | 'generation' | 'facts'>;

export type AnchorResolution =
  | { status: 'resolved'; file: string; line: number; text: string }
  /** Absent in this series by design: the model declares the construct (or function) for other versions only. */
  | { status: 'not-in-version'; file: string; series: KernelSeries }
  | { status: 'unresolved'; file: string; reason: string; functionLine?: number };

const fold = (text: string): string => text.replace(/\s+/g, ' ');

export class AnchorResolver {
  readonly series: KernelSeries;
  private readonly functions = new Map<string, FunctionFact | undefined>();
  /** Resolutions are kept: a resolver stands for one state of the sources (make a new one after edits). */
  private readonly resolutions = new Map<string, AnchorResolution>();

  constructor(
    private readonly index: AnchorIndex,
    private readonly source: SourceReader,
  ) {
    this.series = kernelSeries(index.version);
  }

  /** The model's kernel function as the index knows it: its definition in the model's file. */
  definitionOf(model: ModelDefinition): FunctionFact | undefined {
    const key = `${model.file}:${model.name}`;
    if (!this.functions.has(key)) {
      const facts = this.index.facts(model.file);
      this.functions.set(
        key,
        facts?.functions.find((f) => f.name === model.name && f.isDefinition),
      );
    }
    return this.functions.get(key);
  }

  /** 0-based line of the function's name, or undefined when the tree has no such definition. */
  functionLine(model: ModelDefinition): number | undefined {
    return this.definitionOf(model)?.nameSpan.line;
  }

  resolve(model: ModelDefinition, anchorKey: string): AnchorResolution {
    const key = `${model.file}:${model.name}:${anchorKey}`;
    let resolution = this.resolutions.get(key);
    if (!resolution) {
      resolution = this.resolveNow(model, anchorKey);
      this.resolutions.set(key, resolution);
    }
    return resolution;
  }

  private resolveNow(model: ModelDefinition, anchorKey: string): AnchorResolution {
    const file = model.file;
    if (model.only && !model.only.includes(this.series))
      return { status: 'not-in-version', file, series: this.series };
    const anchor = anchorKey === 'enter' ? undefined : model.anchors[anchorKey];
    if (anchor?.only && !anchor.only.includes(this.series))
      return { status: 'not-in-version', file, series: this.series };
    const fact = this.definitionOf(model);
    if (!fact)
      return {
        status: 'unresolved',
        file,
        reason: `the index has no definition of ${model.name} in ${file}`,
      };
    if (anchorKey === 'enter') {
      return {
        status: 'resolved',
        file,
        line: fact.nameSpan.line,
        text: this.lineText(file, fact.nameSpan.line),
      };
    }
    if (!anchor)
      return {
        status: 'unresolved',
        file,
        reason: `no anchor '${anchorKey}'`,
        functionLine: fact.nameSpan.line,
      };
    const lines = this.source.lines(file);
    if (!lines)
      return { status: 'unresolved', file, reason: `cannot read ${file}`, functionLine: fact.nameSpan.line };
    const line = findPattern(lines, fact.span.line, fact.span.endLine, fold(anchor.pattern).trim());
    if (line === undefined) {
      return {
        status: 'unresolved',
        file,
        reason: `'${anchor.pattern}' is not in ${model.name}`,
        functionLine: fact.nameSpan.line,
      };
    }
    return { status: 'resolved', file, line, text: lines[line] };
  }

  private lineText(file: string, line: number): string {
    return this.source.lines(file)?.[line] ?? '';
  }
}

/** The 0-based line where `pattern` starts within lines first..last, comparing with whitespace folded. */
export function findPattern(
  lines: readonly string[],
  first: number,
  last: number,
  pattern: string,
): number | undefined {
  let text = '';
  const starts: { offset: number; line: number }[] = [];
  for (let line = first; line <= last && line < lines.length; line++) {
    const folded = fold(lines[line]).trim();
    if (folded === '') continue;
    if (text !== '') text += ' ';
    starts.push({ offset: text.length, line });
    text += folded;
  }
  const at = text.indexOf(pattern);
  if (at < 0) return undefined;
  let found = starts[0].line;
  for (const start of starts) if (start.offset <= at) found = start.line;
  return found;
}
