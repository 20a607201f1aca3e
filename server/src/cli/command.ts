// The shape of a knr subcommand. Each lives in commands/<name>.ts and is listed in commands/index.ts.

export interface CommandOutput {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (progress is shown only there, and never with --json). */
  isTTY: boolean;
}

export interface Command {
  name: string;
  /** One line for `knr --help`. */
  summary: string;
  /** Full usage text for `knr <name> --help`. */
  usage: string;
  /** Flags that take no value. */
  booleans: readonly string[];
  /** Returns the process exit code. */
  run(argv: string[], output: CommandOutput): Promise<number>;
}
