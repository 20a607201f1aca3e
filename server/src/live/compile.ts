// Compiles an instrumented scenario with gcc against knr_scenario.h and the C side of the live runner
// (scenarios/live/). The C side is compiled once per process into a temporary directory.
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { libraryFolder } from '../scenario/library';
import { registerCleanup } from './cleanup';
import { tryCommand } from './system';
import { createWorkDir } from './work-dirs';

const harnessSources = ['knr_record.c', 'knr_helpers.c', 'knr_json.c'];
const compilerFlags = ['-std=gnu11', '-O1', '-Wall', '-Werror=implicit-function-declaration'];

export class CompileError extends Error {}

let harness: { dir: string; objects: string[] } | undefined;

function includeFlags(root: string): string[] {
  return ['-I', join(root, 'include'), '-I', join(root, 'live')];
}

function gcc(args: string[], what: string): void {
  const result = tryCommand(['gcc', ...args], 120_000);
  if (result.status !== 0) throw new CompileError(`gcc could not compile ${what}:\n${result.stderr.trim()}`);
}

function compiledHarness(root: string): string[] {
  if (harness) return harness.objects;
  const dir = createWorkDir();
  registerCleanup(`compiled live harness ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  const objects = harnessSources.map((source) => {
    const object = join(dir, source.replace(/\.c$/, '.o'));
    gcc([...compilerFlags, ...includeFlags(root), '-c', join(root, 'live', source), '-o', object], source);
    return object;
  });
  harness = { dir, objects };
  return objects;
}

/**
 * Writes the instrumented source into `workDir` and links it with the harness; returns the program's
 * path. `#line` keeps the scenario's own file name and lines in compiler messages.
 */
export function compileScenario(instrumented: string, scenarioFile: string, workDir: string): string {
  const root = libraryFolder();
  const objects = compiledHarness(root);
  const source = join(workDir, 'scenario.c');
  const program = join(workDir, 'scenario');
  writeFileSync(source, `#line 1 ${JSON.stringify(resolve(scenarioFile))}\n${instrumented}`);
  gcc(
    [
      ...compilerFlags,
      ...includeFlags(root),
      '-include',
      join(root, 'live', 'knr_live.h'),
      source,
      ...objects,
      '-o',
      program,
    ],
    scenarioFile,
  );
  return program;
}
