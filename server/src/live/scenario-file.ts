// Finds a scenario by path, or by name in the built-in library (scenarios/NAME.c).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scenariosRoot } from './compile';

export function resolveScenarioFile(nameOrPath: string): string {
  if (existsSync(nameOrPath) && statSync(nameOrPath).isFile()) return nameOrPath;
  const library = join(scenariosRoot(), `${nameOrPath.replace(/\.c$/, '')}.c`);
  if (existsSync(library)) return library;
  throw new Error(
    `no scenario file '${nameOrPath}', and no built-in scenario of that name in ${scenariosRoot()}`,
  );
}
