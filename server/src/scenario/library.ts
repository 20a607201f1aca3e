// The built-in scenario library: the `.c` files of scenarios/ (next to the bundle in dist/, or at the
// repository root when running from source), each with its name and one-line description.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** A library scenario by name, or undefined. */
export function libraryScenarioFile(name: string): string | undefined {
  const file = join(libraryFolder(), `${name}.c`);
  return existsSync(file) ? file : undefined;
}
