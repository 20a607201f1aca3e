// What the commands that run one scenario (trace, live, compare) share: their one SCENARIO argument,
// and the exit status of a run that stopped before the end of main.
import { resolveScenarioPath } from '../scenario/library';
import type { RunStop } from '../scenario/result';
import { UsageError, type ParsedArgs } from './args';
import type { CommandOutput } from './command';

/** The scenario file the one positional argument names (a file, or a built-in scenario's name). */
export function scenarioArgument(args: ParsedArgs, command: string): string {
  if (args.positional.length !== 1) throw new UsageError(`knr ${command} needs exactly one SCENARIO`);
  return resolveScenarioPath(args.positional[0]);
}

/** 1 with where and why, for a run that stopped before the end of main (whatever it printed); else 0. */
export function stoppedStatus(file: string, stopped: RunStop | undefined, output: CommandOutput): number {
  if (!stopped) return 0;
  output.err(`${file}:${stopped.line}:${stopped.column}: error: ${stopped.message}`);
  return 1;
}
