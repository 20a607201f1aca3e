// Cursor positions for tests come from markers in the fixture text: `/*@name*/` right after an
// identifier marks the identifier's first character. No hand-counted columns. (After, not before:
// a comment between `.` and a designator's name, or in a signature, would change what is indexed.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lineAndColumn } from '../../support/fixture-position';
import { repoRoot } from '../../support/prerequisites';

export interface Position {
  line: number;
  character: number;
}

export const miniKernel = join(repoRoot, 'test', 'fixtures', 'mini-kernel');

export function markersIn(text: string): Map<string, Position> {
  const found = new Map<string, Position>();
  text.split('\n').forEach((line, lineNumber) => {
    for (const match of line.matchAll(/([A-Za-z_]\w*)\/\*@(\w+)\*\//g)) {
      const character = match.index ?? 0;
      const name = match[2];
      if (found.has(name)) throw new Error(`marker ${name} appears twice`);
      found.set(name, { line: lineNumber, character });
    }
  });
  return found;
}

export interface MarkedFile {
  uri: string;
  text: string;
  at(marker: string): Position;
}

export function markedFile(root: string, file: string): MarkedFile {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const markers = markersIn(text);
  return {
    uri: pathToFileURL(path).href,
    text,
    at(marker) {
      const position = markers.get(marker);
      if (!position) throw new Error(`no marker /*@${marker}*/ in ${file}`);
      return position;
    },
  };
}

/** The position of the `offset`-th character of the first `needle` at or after the first `after`. */
export function positionOf(
  text: string,
  needle: string,
  options: { after?: string; offset?: number } = {},
): Position {
  const start = options.after === undefined ? 0 : text.indexOf(options.after);
  if (start < 0) throw new Error(`"${options.after}" not found`);
  const at = text.indexOf(needle, start);
  if (at < 0) throw new Error(`"${needle}" not found after "${options.after ?? ''}"`);
  const { line, column } = lineAndColumn(text, at + (options.offset ?? 0));
  return { line, character: column };
}
