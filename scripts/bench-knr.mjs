// Running the built knr CLI (dist/cli.js) from the benchmarks: which commands exist, and one measured
// run of a command with --json.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkRun, repoRoot, runMeasured } from './bench-lib.mjs';

export const knrBundle = join(repoRoot, 'dist', 'cli.js');

export function requireBuiltKnr() {
  if (!existsSync(knrBundle)) throw new Error(`${knrBundle} is missing: run \`npm run build\` first`);
}

/** The names among `names` that this build of knr does not have yet. */
export function missingKnrCommands(names) {
  return names.filter((name) => {
    const probe = spawnSync(process.execPath, [knrBundle, name, '--help'], { encoding: 'utf8' });
    return probe.status !== 0 || probe.stderr.includes('unknown command');
  });
}

/**
 * Runs `knr <args> --json` and returns the measured run with its parsed output (`json`). A failing
 * command or output that is not JSON is an error naming the command line.
 */
export async function runKnrJson(args, { timeoutMs } = {}) {
  const commandLine = `knr ${args.join(' ')} --json`;
  const run = checkRun(
    await runMeasured(process.execPath, [knrBundle, ...args, '--json'], { timeoutMs }),
    commandLine,
  );
  try {
    return { ...run, json: JSON.parse(run.stdout) };
  } catch {
    throw new Error(`${commandLine} printed no JSON:\n${run.stdout.slice(0, 500)}`);
  }
}

/** A duration the command reports about itself (`timeMs`, or another `*Ms` field named in `keys`). */
export function reportedMs(json, keys = ['timeMs']) {
  for (const key of keys) {
    if (json && typeof json[key] === 'number') return json[key];
  }
  return undefined;
}
