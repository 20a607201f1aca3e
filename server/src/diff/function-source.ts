// A function's definition in one tree, found through that tree's index by name (not by position, so a
// function that moved file or line still matches): of several definitions, the one in the file the
// caller expects, then the one whose signature matches the other tree's, then the best ranked.
import type { IndexQueries, SymbolLocation } from '../index/queries';
import type { SourceReader } from '../trace/anchors';
import type { FunctionSource } from './path-diff';

export function findFunctionSource(
  index: Pick<IndexQueries, 'definitions'>,
  source: SourceReader,
  name: string,
  hints: { file?: string; signature?: string } = {},
): FunctionSource | undefined {
  const candidates = index
    .definitions(name, hints.file)
    .filter(
      (d): d is SymbolLocation & { extent: NonNullable<SymbolLocation['extent']> } =>
        d.kind === 'function' && d.extent !== undefined,
    );
  const inFile = candidates.filter((d) => d.file === hints.file);
  const pool = inFile.length > 0 ? inFile : candidates;
  const chosen = pool.find((d) => hints.signature !== undefined && d.detail === hints.signature) ?? pool[0];
  if (!chosen) return undefined;
  const lines = source.lines(chosen.file);
  if (!lines) return undefined;
  const { line, column, endLine, endColumn } = chosen.extent;
  const text =
    line === endLine
      ? lines[line].slice(column, endColumn)
      : [
          lines[line].slice(column),
          ...lines.slice(line + 1, endLine),
          lines[endLine].slice(0, endColumn),
        ].join('\n');
  // A name with only prototypes in the tree has no body to compare.
  if (!text.includes('{')) return undefined;
  return { name, file: chosen.file, line: line + 1, signature: chosen.detail, text };
}
