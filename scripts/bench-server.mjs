// Warm query commands as whole processes through the shared query server, beside node's own start and
// GNU global's query as processes. bin/knr is run as a user runs it, the executable itself: a bash
// script that asks a running server directly (dist/knr.js, the node client, starts it). The server is
// started once, untimed, in a folder of its own, and stopped at the end; wall time and peak RSS are
// the client process's, which is what a script or a git hook pays per question. The server's own RSS
// and peak RSS (VmRSS, VmHWM) are read once, after the runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { checkRun, median, repoRoot, runMeasured } from './bench-lib.mjs';

const knrBin = join(repoRoot, 'bin', 'knr');

/** Each served command with an argument this tree has (`resolve`'s call position found in its text). */
function questions(resolveTarget) {
  return [
    ['impls', 'proto_ops.recvmsg'],
    ...(resolveTarget ? [['resolve', resolveTarget]] : []),
    ['callers', 'sock_recvmsg'],
    ['callees', 'packet_recvmsg'],
    ['definition', 'packet_recvmsg'],
  ];
}

export async function benchmarkServerQueries(options, tree, cache, resolveTarget, problems, progress) {
  const folder = mkdtempSync(join(tmpdir(), 'knr-bench-servers-'));
  const env = { ...process.env, KNR_SERVER_DIR: folder, KNR_SERVER_IDLE: '600' };
  delete env.KNR_NO_SERVER;
  const knrArgs = (question) => [...question, '--kernel', tree, '--cache', cache, '--json'];
  const limit = { env, timeoutMs: options.budgetMs };
  try {
    progress('query server: starting it (untimed)');
    const startedAt = performance.now();
    checkRun(await runMeasured(knrBin, knrArgs(questions(resolveTarget)[0]), limit), 'knr impls');
    const startMs = performance.now() - startedAt;
    const rows = [];
    const measure = async (label, command, args, runEnv) => {
      const runs = await options.budget.repeat(options.runs * 3, label, (round) => {
        progress(`${label} ${round}/${options.runs * 3}`);
        return runMeasured(command, args, { ...limit, env: runEnv });
      });
      for (const run of runs) checkRun(run, label);
      rows.push({
        command: label,
        runs: runs.length,
        wallMs: median(runs.map((run) => run.wallMs)),
        wallMsAll: runs.map((run) => Math.round(run.wallMs)),
        peakRssMb: median(runs.map((run) => run.peakRssMb)),
      });
    };
    await measure('node -e 0 (node alone)', process.execPath, ['-e', '0'], env);
    for (const question of questions(resolveTarget))
      await measure(`knr ${question.join(' ')} --json`, knrBin, knrArgs(question), env);
    const gtags = globalDatabase(tree, problems);
    if (gtags)
      await measure('global -x packet_recvmsg', 'global', ['-x', 'packet_recvmsg'], {
        ...process.env,
        GTAGSROOT: tree,
        GTAGSDBPATH: gtags,
      });
    return {
      rows,
      firstCallMs: startMs,
      serverRssMb: serverMemory(folder, 'VmRSS'),
      serverPeakRssMb: serverMemory(folder, 'VmHWM'),
    };
  } finally {
    stopServers(folder);
    rmSync(folder, { recursive: true, force: true });
  }
}

/** GNU global's tag files for the tree, built once under .cache/bench (as bench:nav builds them). */
function globalDatabase(tree, problems) {
  const probe = spawnSync('global', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    problems.push('GNU global is not installed: its query was not measured');
    return undefined;
  }
  const db = join(repoRoot, '.cache', 'bench', `gtags-${basename(tree)}`);
  if (existsSync(join(db, 'GTAGS'))) return db;
  mkdirSync(db, { recursive: true });
  const built = spawnSync('gtags', [db], {
    cwd: tree,
    encoding: 'utf8',
    env: { ...process.env, GTAGSROOT: tree },
  });
  if (built.status !== 0) {
    problems.push(`gtags in ${tree} failed: ${built.stderr.slice(0, 300)}`);
    return undefined;
  }
  return db;
}

const lockPids = (folder) =>
  readdirSync(folder)
    .filter((name) => name.endsWith('.lock'))
    .map((name) => Number(readFileSync(join(folder, name), 'utf8')));

/** `field` of the server's /proc status (VmRSS now, VmHWM its peak), in MB. */
function serverMemory(folder, field) {
  const [pid] = lockPids(folder);
  try {
    const kilobytes = new RegExp(`${field}:\\s+(\\d+)`).exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    )?.[1];
    return kilobytes ? Math.round(+kilobytes / 1024) : undefined;
  } catch {
    return undefined;
  }
}

function stopServers(folder) {
  for (const pid of lockPids(folder)) {
    try {
      process.kill(pid);
    } catch {
      // already stopped
    }
  }
}
