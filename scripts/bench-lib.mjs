// Helpers shared by the benchmark scripts (bench.mjs, bench-parsers.mjs): options, statistics, tables,
// source file listing, and running a command while measuring its wall time and peak RSS.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Parses `--name value`, `--name=value` and boolean `--name` (names in `booleans`). Unknown options
 * are an error naming the option, so a typo never silently runs the wrong benchmark.
 */
export function parseOptions(argv, { values = [], booleans = [] }) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (booleans.includes(name) && eq < 0) options[name] = true;
    else if (values.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new Error(`option --${name} needs a value`);
      options[name] = value;
    } else throw new Error(`unknown option --${name}`);
  }
  return options;
}

export function positiveInteger(text, name) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got '${text}'`);
  return value;
}

/** The middle sample, or the mean of the two middle samples for an even count. */
export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Formats rows of cells as an aligned text table; numeric-looking cells are right-aligned. */
export function formatTable(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const isNumeric = (text) => /^[-+]?[\d.,]+(x| ms| s| MB| MB\/s)?$/.test(text);
  const line = (row) =>
    row
      .map((cell, column) => (isNumeric(cell) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

export const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** Every .c and .h file under `dirs` of `root` (relative paths, sorted), not following symlinks. */
export function listCSources(root, dirs) {
  const found = [];
  const walk = (relative) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && /\.[ch]$/.test(entry.name)) found.push(path);
    }
  };
  for (const dir of dirs) {
    if (!existsSync(join(root, dir))) throw new Error(`no folder ${dir} in ${root}`);
    walk(dir);
  }
  return found.sort();
}

/**
 * The time a whole benchmark may take. Repeated measurements stop early rather than pass it; the
 * first run of each measurement always happens, so every figure gets at least one sample.
 */
export class Budget {
  constructor(ms) {
    this.ms = ms;
    this.started = performance.now();
  }

  /** Runs `measure(round)` up to `runs` times, while one more run of the average length fits. */
  async repeat(runs, label, measure) {
    const results = [];
    const phaseStarted = performance.now();
    for (let round = 1; round <= runs; round++) {
      const now = performance.now();
      const average = (now - phaseStarted) / (round - 1);
      if (round > 1 && now - this.started + average > this.ms) {
        console.error(`bench: ${label}: ${round - 1} of ${runs} runs; another would pass the --budget`);
        break;
      }
      results.push(await measure(round));
    }
    return results;
  }
}

const gnuTime = '/usr/bin/time';

/** Process groups of the commands running now: ended with the benchmark on Ctrl-C or SIGTERM. */
const runningGroups = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const group of runningGroups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    process.exit(130);
  });
}

/**
 * Runs a command to completion and returns its exit code, output, wall time and peak RSS (MB).
 * Peak RSS comes from GNU time when installed (exact), else from polling VmHWM in /proc (the
 * high-water mark, so a missed poll loses at most the growth of the last interval). With `timeoutMs`,
 * the command is killed when it runs longer, and the run fails.
 */
export async function runMeasured(command, args, { cwd = repoRoot, env = process.env, timeoutMs } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'knr-bench-'));
  const timeOutput = join(scratch, 'time');
  const useGnuTime = existsSync(gnuTime);
  const [file, argv] = useGnuTime
    ? [gnuTime, ['-f', '%M', '-o', timeOutput, '--', command, ...args]]
    : [command, args];
  const started = performance.now();
  // Its own process group, so a timeout ends the command and not only GNU time in front of it.
  const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  runningGroups.add(child.pid);
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          process.kill(-child.pid, 'SIGKILL');
        }, timeoutMs);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let polledKb = 0;
  const poll = useGnuTime
    ? undefined
    : setInterval(() => (polledKb = Math.max(polledKb, readHighWaterKb(child.pid))), 20);
  const code = await new Promise((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolveExit(exitCode ?? (signal ? 128 : 1)));
  });
  const wallMs = performance.now() - started;
  if (poll) clearInterval(poll);
  if (timer) clearTimeout(timer);
  runningGroups.delete(child.pid);
  if (timedOut) stderr += `\n(killed after the ${Math.round(timeoutMs / 1000)} s time limit)`;
  let peakKb = polledKb;
  if (useGnuTime && existsSync(timeOutput)) {
    // GNU time prefixes "Command exited with non-zero status N" on failure; %M is the last line.
    const lines = readFileSync(timeOutput, 'utf8').trim().split('\n');
    peakKb = Number(lines[lines.length - 1]);
  }
  rmSync(scratch, { recursive: true, force: true });
  return { code, stdout, stderr, wallMs, peakRssMb: peakKb / 1024 };
}

function readHighWaterKb(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // the process has already exited
  }
}

/** Throws with the command line and its stderr when a measured run failed. */
export function checkRun(run, description) {
  if (run.code !== 0) {
    const tail = run.stderr.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${description} failed with exit code ${run.code}\n${tail}`);
  }
  return run;
}
