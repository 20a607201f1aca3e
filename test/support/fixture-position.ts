// Positions in fixture files found by the text at them, not by hand-counted columns.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The 0-based line and column where `needle` starts (plus `offset` characters) in `root/file`. */
export function positionOf(
  root: string,
  file: string,
  needle: string,
  offset = 0,
): { line: number; column: number } {
  const text = readFileSync(join(root, file), 'utf8');
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`'${needle}' is not in ${file}`);
  const before = text.slice(0, at + offset);
  const line = before.split('\n').length - 1;
  return { line, column: before.length - before.lastIndexOf('\n') - 1 };
}
