// A program read from text, with where each instruction was written.
import type { ClassicInstruction } from './opcodes';
import type { SourcePosition } from './syntax-error';

export type ProgramFormat = 'c-array' | 'decimal' | 'asm';

export interface ParsedProgram {
  readonly format: ProgramFormat;
  readonly instructions: ClassicInstruction[];
  /** positions[i] is where instruction i starts in the text. */
  readonly positions: SourcePosition[];
}
