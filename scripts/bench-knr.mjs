// Running knr from the benchmarks: the built CLI (dist/cli.js: which commands exist, one measured run
// of a command with --json), and the in-process measurement scripts over the sources (through tsx).
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

/**
 * Runs `scripts/<script> --kernel TREE --cache CACHE [...extraArgs]` through tsx (it opens the index, or
 * starts the server, and times calls) and returns its JSON, or undefined after recording why in `problems`.
 */
export function runInProcessScript(script, tree, cache, timeoutMs, problems, extraArgs = []) {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'scripts', script), '--kernel', tree, '--cache', cache, ...extraArgs],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    },
  );
  if (run.status !== 0) {
    const why = run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
    problems.push(`scripts/${script} failed (${why}):\n${run.stderr.trim().slice(-2000)}`);
    return undefined;
  }
  return JSON.parse(run.stdout);
}
