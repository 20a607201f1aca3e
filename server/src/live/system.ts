// Running the system tools a live run needs (ip, sysctl, gcc), synchronously, with errors that name
// the command and what it printed; killing processes and waiting until they are gone.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

/** How long killAndWait waits for the processes it killed to die. */
const killWaitMilliseconds = 2000;

/**
 * Sends SIGKILL to each process and waits, synchronously (this runs from signal handlers), until none
 * runs any more: SIGKILL takes effect when a process next runs, which on a busy machine can be after
 * the caller (knr itself) has exited.
 */
export function killAndWait(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + killWaitMilliseconds;
  while (pids.some(isRunning) && Date.now() < deadline) pauseSync(5);
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms`: for waits inside synchronous clean-up, which cannot yield. */
export function pauseSync(ms: number): void {
  Atomics.wait(pauseCell, 0, 0, ms);
}

/** Whether a process exists and has not exited: a zombie waits only for its parent to reap it. */
function isRunning(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
