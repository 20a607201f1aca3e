// The shape of a knr subcommand. Each lives in commands/<name>.ts and is listed in commands/index.ts.
import type { KernelIndex } from '../index/kernel-index';
import { booleanFlag, type ParsedArgs } from './args';

export interface CommandOutput {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (progress is shown only there, and never with --json). */
  isTTY: boolean;
}

/**
 * How a query command gets its index: opened from --kernel and --cache (`openKernelFromArgs`), or the
 * one the query server holds open.
 */
export type KernelOpener = (args: ParsedArgs, output: CommandOutput) => Promise<{ index: KernelIndex }>;

export interface Command {
  name: string;
  /** One line for `knr --help`. */
  summary: string;
  /** Full usage text for `knr <name> --help`. */
  usage: string;
  /** Flags that take no value. */
  booleans: readonly string[];
  /** Returns the process exit code. `open` is used by the query commands (default: open from the flags). */
  run(argv: string[], output: CommandOutput, open?: KernelOpener): Promise<number>;
}

/** With `--json`, `value` as JSON; otherwise the text `text` makes of it. */
export function printJsonOrText(
  args: ParsedArgs,
  output: CommandOutput,
  value: unknown,
  text: () => string,
): void {
  output.out(booleanFlag(args, 'json') ? JSON.stringify(value, null, 2) : text());
}
