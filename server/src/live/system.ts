// Running the system tools a live run needs (ip, sysctl, gcc), synchronously, with errors that name
// the command and what it printed.
import { spawnSync } from 'node:child_process';

export class SystemCommandError extends Error {}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function tryCommand(argv: readonly string[], timeoutMs = 30_000): CommandResult {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: timeoutMs });
  if (result.error) return { status: null, stdout: '', stderr: result.error.message };
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command and returns its stdout; throws with the command line and its stderr on failure. */
export function runCommand(argv: readonly string[], timeoutMs?: number): string {
  const result = tryCommand(argv, timeoutMs);
  if (result.status !== 0) {
    const detail = result.stderr.trim() || `exit status ${String(result.status)}`;
    throw new SystemCommandError(`'${argv.join(' ')}' failed: ${detail}`);
  }
  return result.stdout;
}

/** Whether an executable is on PATH. */
export function haveExecutable(name: string): boolean {
  return tryCommand(['sh', '-c', `command -v ${name}`]).status === 0;
}
