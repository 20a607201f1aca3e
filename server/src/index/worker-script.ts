// Where a worker thread's script is: the bundle beside this one, or, run from source (tests, tsx), the
// TypeScript file with the same loader.
import { join } from 'node:path';

export function workerScript(name: string): { path: string; execArgv?: string[] } {
  if (__filename.endsWith('.ts'))
    return { path: join(__dirname, `${name}.ts`), execArgv: ['--require', 'tsx/cjs'] };
  return { path: join(__dirname, `${name}.js`) };
}
