// Runs the compiled scenario inside its namespace (`ip netns exec`), collecting what it prints, with a
// limit per statement; a registered cleanup kills it if knr itself is interrupted.
import { spawn } from 'node:child_process';
import { registerCleanup } from './cleanup';
import { killAndWait } from './system';

/**
 * How long a live program may go without finishing a statement (each prints its record as it ends).
 * The slowest statement a scenario can write waits about half a second (knr_send on a busy machine;
 * a receive on an empty queue waits its 100 ms timeout), so every run within the step bound fits,
 * however long it is in total, and a program that hangs is stopped within this time.
 */
export const liveStatementLimitMs = 30_000;

export interface ProgramOutcome {
  stdout: string;
  stderr: string;
  /** Exit status, or the signal that ended the program. */
  status: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program was killed for finishing no statement in this many milliseconds. */
  stoppedAfterQuietMs?: number;
}

export function runInNamespace(
  namespace: string,
  program: string,
  env: NodeJS.ProcessEnv,
  statementLimitMs = liveStatementLimitMs,
): Promise<ProgramOutcome> {
  return runWithStatementLimit(['ip', 'netns', 'exec', namespace, program], env, statementLimitMs);
}

/** Runs `argv`, killing it when `statementLimitMs` pass without output. */
export function runWithStatementLimit(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  statementLimitMs: number,
): Promise<ProgramOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const unregister = registerCleanup(`scenario program ${argv.join(' ')}`, () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) killAndWait([child.pid]);
    });
    let stdout = '';
    let stderr = '';
    let stoppedAfterQuietMs: number | undefined;
    const stopWhenQuiet = () =>
      setTimeout(() => {
        stoppedAfterQuietMs = statementLimitMs;
        child.kill('SIGKILL');
      }, statementLimitMs);
    let timer = stopWhenQuiet();
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      clearTimeout(timer);
      timer = stopWhenQuiet();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      unregister();
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      unregister();
      const outcome: ProgramOutcome = { stdout, stderr, status, signal };
      if (stoppedAfterQuietMs !== undefined) outcome.stoppedAfterQuietMs = stoppedAfterQuietMs;
      resolve(outcome);
    });
  });
}
