// The built-in scenario library: the `.c` files of scenarios/ (next to the bundle in dist/, or at the
// repository root when running from source), each with its name and one-line description.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from './parse';

export interface LibraryScenario {
  name: string;
  description: string;
  /** Absolute path of the scenario file. */
  file: string;
}

export function libraryFolder(): string {
  const candidates = [join(__dirname, '..', 'scenarios'), join(__dirname, '..', '..', '..', 'scenarios')];
  const found = candidates.find((folder) => existsSync(join(folder, 'include', 'knr_scenario.h')));
  if (!found)
    throw new Error(`the built-in scenarios are not installed (looked in ${candidates.join(', ')})`);
  return found;
}

export async function listLibrary(): Promise<LibraryScenario[]> {
  const folder = libraryFolder();
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.c'))
    .sort();
  const scenarios: LibraryScenario[] = [];
  for (const name of files) {
    const file = join(folder, name);
    const parsed = await parseScenario(readFileSync(file, 'utf8'), file);
    scenarios.push({ name: name.replace(/\.c$/, ''), description: parsed.program?.description ?? '', file });
  }
  return scenarios;
}

/** A scenario file by path, or a built-in scenario by name (with or without `.c`). */
export function resolveScenarioPath(nameOrPath: string): string {
  if (existsSync(nameOrPath) && statSync(nameOrPath).isFile()) return nameOrPath;
  const file = join(libraryFolder(), `${nameOrPath.replace(/\.c$/, '')}.c`);
  if (existsSync(file)) return file;
  throw new Error(
    `no scenario file '${nameOrPath}', and no built-in scenario of that name (knr scenarios lists them)`,
  );
}
