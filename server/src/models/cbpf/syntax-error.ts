// Errors in program text, with the 1-based line and column they are about.

export class ProgramSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${line}:${column}: ${problem}`);
    this.name = 'ProgramSyntaxError';
  }
}

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * The 1-based position of any offset in `text`: its line starts are found once and each offset is
 * looked up by binary search, so a program of 65,536 lines is not read again for every instruction.
 */
export function positionsIn(text: string): (offset: number) => SourcePosition {
  const lineStarts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  return (offset) => {
    const within = Math.min(offset, text.length);
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= within) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low] + 1 };
  };
}

/** Replaces comments with spaces, keeping every other character (and so every position) in place. */
export function blankComments(text: string, lineComments: RegExp): string {
  const blocks = text.replace(/\/\*[\s\S]*?(\*\/|$)/g, (comment) => comment.replace(/[^\n]/g, ' '));
  return blocks.replace(lineComments, (comment) => ' '.repeat(comment.length));
}
