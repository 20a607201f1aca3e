// Positions in fixture files found by the text at them, not by hand-counted columns.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The 0-based line and column of character `at` of `text`. */
export function lineAndColumn(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  return { line: before.split('\n').length - 1, column: before.length - before.lastIndexOf('\n') - 1 };
}

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
  return lineAndColumn(text, at + offset);
}

/** `positionOf` as compilers print it: `file:line:column`, 1-based. */
export function filePosition(root: string, file: string, needle: string, offset = 0): string {
  const { line, column } = positionOf(root, file, needle, offset);
  return `${file}:${line + 1}:${column + 1}`;
}
