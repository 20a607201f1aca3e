// Runs the compiled scenario inside its namespace (`ip netns exec`), collecting what it prints, with a
// time limit; a registered cleanup kills it if knr itself is interrupted.
import { spawn } from 'node:child_process';
import { registerCleanup } from './cleanup';
import { killAndWait } from './system';

export interface ProgramOutcome {
  stdout: string;
  stderr: string;
  /** Exit status, or the signal that ended the program. */
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

export function runInNamespace(
  namespace: string,
  program: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ProgramOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', namespace, program], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const unregister = registerCleanup(`scenario program in ${namespace}`, () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) killAndWait([child.pid]);
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      unregister();
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      unregister();
      resolve({ stdout, stderr, status, signal, timedOut });
    });
  });
}
