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

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Replaces comments with spaces, keeping every other character (and so every position) in place. */
export function blankComments(text: string, lineComments: RegExp): string {
  const blocks = text.replace(/\/\*[\s\S]*?(\*\/|$)/g, (comment) => comment.replace(/[^\n]/g, ' '));
  return blocks.replace(lineComments, (comment) => ' '.repeat(comment.length));
}
