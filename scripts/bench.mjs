// `npm run bench`: knr's index against universal-ctags on the same tree, in the same run; warm start;
// query latency once the index is loaded; warm queries as whole processes through the query server,
// beside node's own start and GNU global; optionally trace latency. Prints medians; asserts nothing
// beyond sanity (a command that fails or is missing makes the exit code non-zero). Method, expected
// durations and recorded figures: docs/benchmarks.md. Needs `npm run build` first.
//
// Usage: npm run bench -- [--kernel DIR] [--runs N] [--budget MIN] [--quick | --subset A,B] [--traces]
//                          [--warm-cache DIR] [--json]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  Budget,
  checkRun,
  fixed,
  formatTable,
  median,
  parseOptions,
  percentile,
  positiveInteger,
  repoRoot,
  runMeasured,
} from './bench-lib.mjs';
import {
  missingKnrCommands,
  reportedMs,
  requireBuiltKnr,
  runInProcessScript,
  runKnrJson,
} from './bench-knr.mjs';
import { benchmarkTree, quickSubset } from './bench-tree.mjs';
import { benchmarkServerQueries } from './bench-server.mjs';
import { benchmarkTraces } from './bench-traces.mjs';

const usage = `usage: npm run bench -- [options]
  --kernel DIR   kernel tree (default .cache/kernels/6.1)
  --runs N       runs of each measurement; medians are printed (default 3)
  --budget MIN   repeat no measurement when another run would end after MIN minutes (each
                 runs at least once), and kill any one command that runs longer (default 30)
  --quick        only net/ and include/ (a copy under .cache/bench/), for fast iteration
  --subset A,B   only these top-level folders (a copy under .cache/bench/)
  --traces       also time \`knr trace\` on every built-in scenario
  --warm-cache DIR  measure the queries only, on this cache holding the tree's index already (no
                 ctags, no cold or warm index runs)
  --json         print every figure as JSON after the tables`;

const queryCommands = ['impls', 'resolve', 'tables'];

function readOptions() {
  const raw = parseOptions(process.argv.slice(2), {
    values: ['kernel', 'runs', 'subset', 'budget', 'warm-cache'],
    booleans: ['quick', 'traces', 'json', 'help'],
  });
  if (raw.help) {
    console.log(usage);
    process.exit(0);
  }
  if (raw.quick && raw.subset)
    throw new Error('--quick and --subset exclude each other (--quick is --subset net,include)');
  const subset = raw.subset ? raw.subset.split(',').filter(Boolean) : raw.quick ? quickSubset : undefined;
  const budgetMs = positiveInteger(raw.budget ?? '30', 'budget') * 60_000;
  return {
    kernel: resolve(raw.kernel ?? join(repoRoot, '.cache', 'kernels', '6.1')),
    subset,
    runs: positiveInteger(raw.runs ?? '3', 'runs'),
    budgetMs,
    budget: new Budget(budgetMs),
    traces: raw.traces === true,
    warmCache: raw['warm-cache'] && resolve(raw['warm-cache']),
    json: raw.json === true,
  };
}

/** `ctags -R` over the whole tree, as a user would run it; the tags file goes to the scratch folder. */
async function runCtags(tree, tagsFile, { timeoutMs }) {
  const run = await runMeasured('ctags', ['-R', '-f', tagsFile, '.'], { cwd: tree, timeoutMs });
  return checkRun(run, `ctags -R in ${tree}`);
}

/** Function definitions ctags found in .c/.h files (kind f), for comparison with knr's count. */
function ctagsFunctionCount(tagsFile) {
  const grep = spawnSync('grep', ['-c', '-P', '^[^\\t]+\\t[^\\t]+\\.[ch]\\t.*;"\\tf(\\t|$)', tagsFile], {
    encoding: 'utf8',
  });
  return Number(grep.stdout.trim());
}

function summarizeRuns(runs) {
  const reported = runs.map((run) => reportedMs(run.json)).filter((ms) => ms !== undefined);
  const reportedRss = runs.map((run) => run.json?.peakRssMb).filter((mb) => typeof mb === 'number');
  return {
    runs: runs.length,
    wallMs: median(runs.map((run) => run.wallMs)),
    wallMsAll: runs.map((run) => Math.round(run.wallMs)),
    peakRssMb: median(runs.map((run) => run.peakRssMb)),
    reportedTimeMs: reported.length > 0 ? median(reported) : undefined,
    reportedPeakRssMb: reportedRss.length > 0 ? median(reportedRss) : undefined,
  };
}

async function benchmarkIndex(options, tree, scratch, problems) {
  const limit = { timeoutMs: options.budgetMs };
  const indexMissing = missingKnrCommands(['index']).length > 0;
  if (indexMissing) problems.push('knr has no `index` command yet: only ctags was measured');
  const cacheOf = (round) => join(scratch, `cache-${round}`);
  const rounds = await options.budget.repeat(
    options.runs,
    'cold rounds (ctags + knr index)',
    async (round) => {
      progress(`round ${round}/${options.runs}: ctags -R`);
      const ctags = await runCtags(tree, join(scratch, 'tags'), limit);
      if (indexMissing) return { ctags };
      progress(`round ${round}/${options.runs}: knr index (cold)`);
      const cold = await runKnrJson(['index', '--kernel', tree, '--cache', cacheOf(round)], limit);
      // Only the last round's cache is needed (for the warm start); the others would fill the disk.
      if (round > 1) rmSync(cacheOf(round - 1), { recursive: true, force: true });
      return { ctags, cold };
    },
  );
  const ctagsRuns = rounds.map((round) => round.ctags);
  const coldRuns = rounds.map((round) => round.cold);
  const result = {
    ctags: { ...summarizeRuns(ctagsRuns), functions: ctagsFunctionCount(join(scratch, 'tags')) },
  };
  if (indexMissing) return { result, cache: undefined };
  const cache = cacheOf(rounds.length);
  const warmRuns = await options.budget.repeat(options.runs, 'warm starts', (round) => {
    progress(`warm start ${round}/${options.runs}`);
    return runKnrJson(['index', '--kernel', tree, '--cache', cache], limit);
  });
  const summary = coldRuns[coldRuns.length - 1].json;
  result.knrCold = { ...summarizeRuns(coldRuns), summary, indexFileMb: fileMegabytes(summary?.cacheFile) };
  result.knrWarm = summarizeRuns(warmRuns);
  result.coldOverCtags = result.knrCold.wallMs / result.ctags.wallMs;
  return { result, cache };
}

function fileMegabytes(path) {
  if (!path) return undefined;
  try {
    return statSync(path).size / 1048576;
  } catch {
    return undefined;
  }
}

/** Query latency measured inside one process that has loaded the index (scripts/bench-queries.ts). */
function benchmarkQueriesInProcess(options, tree, cache, problems) {
  progress('queries (in process)');
  const measured = runInProcessScript('bench-queries.ts', tree, cache, options.budgetMs, problems);
  if (!measured) return undefined;
  return {
    loadMs: measured.loadMs,
    queries: measured.queries.map(({ query, samplesMs, firstCallsMs }) => ({
      query,
      samples: samplesMs.length,
      medianMs: median(samplesMs),
      p95Ms: percentile(samplesMs, 95),
      maxMs: percentile(samplesMs, 100),
      firstCallMaxMs: percentile(firstCallsMs, 100),
    })),
  };
}

/**
 * A warm language-server start: `knr lsp --stdio` started as an editor starts it, on the persisted
 * index, until the first answers on the open net/socket.c (scripts/bench-lsp.ts, a new server each run).
 */
function benchmarkLspStart(options, tree, cache, problems) {
  progress('language server: warm starts');
  const measured = runInProcessScript('bench-lsp.ts', tree, cache, options.budgetMs, problems, [
    '--no-cold',
    '--no-latency',
    '--json',
    '--starts',
    String(options.runs),
  ]);
  if (!measured) return undefined;
  const medianOf = (key) => {
    const values = measured.warm.map((start) => start[key]).filter((ms) => ms !== undefined);
    return values.length === measured.warm.length ? median(values) : undefined;
  };
  return {
    runs: measured.warm.length,
    ownFileHoverMs: medianOf('ownFileHoverMs'),
    indexHoverMs: medianOf('indexHoverMs'),
    indexReadyMs: medianOf('indexReadyMs'),
  };
}

/** End-to-end latency of each query command as a process: start, load the persisted index, answer. */
async function benchmarkQueryCommands(options, tree, cache, problems) {
  const missing = missingKnrCommands(queryCommands);
  if (missing.length > 0)
    problems.push(`knr has no ${missing.map((m) => `\`${m}\``).join(', ')} command yet`);
  const resolveTarget = findIndirectCall(tree);
  const argumentsOf = {
    impls: ['proto_ops.recvmsg'],
    resolve: resolveTarget ? [resolveTarget] : undefined,
    tables: ['packet_recvmsg'],
  };
  const results = [];
  for (const name of queryCommands.filter((command) => !missing.includes(command))) {
    if (!argumentsOf[name]) {
      problems.push(`knr ${name}: no input found in ${tree}`);
      continue;
    }
    const runs = await options.budget.repeat(options.runs, `knr ${name}`, (round) => {
      progress(`knr ${name} ${round}/${options.runs}`);
      return runKnrJson([name, ...argumentsOf[name], '--kernel', tree, '--cache', cache], {
        timeoutMs: options.budgetMs,
      });
    });
    const reported = runs
      .map((run) => reportedMs(run.json, ['queryMs', 'timeMs']))
      .filter((ms) => ms !== undefined);
    results.push({
      command: `knr ${name} ${argumentsOf[name].join(' ')}`,
      ...summarizeRuns(runs),
      reportedTimeMs: reported.length > 0 ? median(reported) : undefined,
    });
  }
  return results;
}

/** `net/socket.c:LINE:COL` of the `recvmsg` in `sock->ops->recvmsg`, found in this tree's text. */
function findIndirectCall(tree) {
  const file = 'net/socket.c';
  const grep = spawnSync('grep', ['-n', '-m', '1', 'sock->ops->recvmsg', join(tree, file)], {
    encoding: 'utf8',
  });
  const match = /^(\d+):(.*)$/m.exec(grep.stdout);
  if (!match) return undefined;
  const column = match[2].indexOf('sock->ops->recvmsg') + 'sock->ops->'.length + 1;
  return `${file}:${match[1]}:${column}`;
}

function progress(text) {
  if (process.stderr.isTTY) process.stderr.write(`\r${text}`.padEnd(80));
}

function clearProgress() {
  if (process.stderr.isTTY) process.stderr.write('\r'.padEnd(80) + '\r');
}

const seconds = (ms) => (ms === undefined ? '-' : `${fixed(ms / 1000, 2)}`);
const megabytes = (mb) => (mb === undefined ? '-' : fixed(mb, 0));

function printIndex(index) {
  const rows = [['ctags -R', index.ctags]];
  if (index.knrCold) rows.push(['knr index (cold)', index.knrCold], ['knr index (warm)', index.knrWarm]);
  console.log(
    formatTable(
      ['command', 'runs', 'wall s', 'reported s', 'peak RSS MB', 'reported RSS MB', 'wall s per run'],
      rows.map(([name, r]) => [
        name,
        r.runs,
        seconds(r.wallMs),
        seconds(r.reportedTimeMs),
        megabytes(r.peakRssMb),
        megabytes(r.reportedPeakRssMb),
        r.wallMsAll.map((ms) => (ms / 1000).toFixed(1)).join(' '),
      ]),
    ),
  );
  if (index.knrCold) {
    console.log(`cold knr index / ctags -R (median wall): ${fixed(index.coldOverCtags, 2)}x`);
    console.log(
      `index file: ${megabytes(index.knrCold.indexFileMb)} MB (${index.knrCold.summary?.cacheFile})`,
    );
    const summary = index.knrCold.summary;
    const counts = Object.entries(summary ?? {}).filter(
      ([key, value]) => typeof value === 'number' && !/Ms$|Mb$/.test(key),
    );
    if (counts.length > 0)
      console.log(`knr index found: ${counts.map(([key, value]) => `${key} ${value}`).join(', ')}`);
  }
  console.log(`ctags found ${index.ctags.functions} function definitions (kind f) in .c/.h files`);
}

/** Issues 3, 5, 21 and 24's targets beside what was measured: for the reader, not an assertion. */
function printGoals(index, inProcess, traces, served, lspStart) {
  const lines = [];
  const goal = (name, text, met) => lines.push(`  ${met ? 'met   ' : 'missed'}  ${name}: ${text}`);
  if (index?.knrCold) {
    const ratio = `${fixed(index.coldOverCtags, 2)}x`;
    goal('cold index within 2x of ctags (issue 3)', ratio, index.coldOverCtags <= 2);
    goal('cold index at most 1.61x ctags (issue 21)', ratio, index.coldOverCtags <= 1.61);
    goal('cold index at most 1.0x ctags (issue 24)', ratio, index.coldOverCtags <= 1);
    goal('warm start under 3 s', `${seconds(index.knrWarm.wallMs)} s`, index.knrWarm.wallMs < 3000);
    const peak = Math.max(index.knrCold.peakRssMb, index.knrWarm.peakRssMb);
    goal('index peak RSS under 1.5 GB (issue 3)', `${megabytes(peak)} MB`, peak < 1536);
    goal('index peak RSS at most 800 MB (issue 24; cold and warm)', `${megabytes(peak)} MB`, peak <= 800);
    const fileMb = index.knrCold.indexFileMb;
    goal('index file at most 400 MB (issue 24)', `${megabytes(fileMb)} MB`, fileMb <= 400);
  }
  if (inProcess) {
    const slowest = Math.max(...inProcess.queries.map((q) => q.p95Ms));
    goal('a query under 50 ms once loaded (worst p95)', `${fixed(slowest, 2)} ms`, slowest < 50);
  }
  if (traces && traces.scenarios.length > 0) {
    const slowest = Math.max(...traces.scenarios.map((t) => t.medianMs));
    goal(
      'a trace under 100 ms once loaded (slowest scenario, median)',
      `${fixed(slowest, 1)} ms`,
      slowest < 100,
    );
  }
  const knrRows = served?.rows.filter((row) => row.command.startsWith('knr ')) ?? [];
  if (knrRows.length > 0) {
    const slowest = Math.max(...knrRows.map((row) => row.wallMs));
    const largest = Math.max(...knrRows.map((row) => row.peakRssMb));
    goal(
      'a warm query as a process under 100 ms (slowest command, median)',
      `${fixed(slowest, 0)} ms`,
      slowest < 100,
    );
    goal('and under 100 MB (largest peak RSS, median)', `${megabytes(largest)} MB`, largest < 100);
    const serverPeak = served.serverPeakRssMb;
    goal('query server peak RSS at most 800 MB (issue 24)', `${megabytes(serverPeak)} MB`, serverPeak <= 800);
  }
  if (lspStart) {
    const ms = lspStart.indexHoverMs;
    goal(
      'a warm language-server start to the first answer from the index under 0.5 s (median)',
      `${fixed(ms, 0)} ms`,
      ms < 500,
    );
  }
  if (lines.length > 0)
    console.log(`\ngoals (whole-tree runs are what they are about):\n${lines.join('\n')}`);
}

function printQueries(inProcess, commands) {
  if (inProcess) {
    console.log('\nquery latency once the index is loaded (in process, ms):');
    console.log(
      formatTable(
        ['query', 'samples', 'median', 'p95', 'max', 'first call max'],
        inProcess.queries.map((q) => [
          q.query,
          q.samples,
          fixed(q.medianMs, 3),
          fixed(q.p95Ms, 3),
          fixed(q.maxMs, 2),
          fixed(q.firstCallMaxMs, 2),
        ]),
      ),
    );
    console.log(`index load in that process: ${seconds(inProcess.loadMs)} s`);
  }
  if (commands.length > 0) {
    console.log('\nquery commands as processes (start + load + answer):');
    console.log(
      formatTable(
        ['command', 'runs', 'wall s', 'reported ms', 'peak RSS MB'],
        commands.map((c) => [
          c.command,
          c.runs,
          seconds(c.wallMs),
          fixed(c.reportedTimeMs, 1),
          megabytes(c.peakRssMb),
        ]),
      ),
    );
  }
}

function printServed(served) {
  console.log('\nwarm queries as processes through the query server (the client process; ms, MB):');
  console.log(
    formatTable(
      ['command', 'runs', 'wall ms', 'peak RSS MB', 'wall ms per run'],
      served.rows.map((row) => [
        row.command,
        row.runs,
        fixed(row.wallMs, 0),
        megabytes(row.peakRssMb),
        row.wallMsAll.join(' '),
      ]),
    ),
  );
  console.log(
    `the first call (starts the server, which loads the index): ${seconds(served.firstCallMs)} s; ` +
      `the server's RSS after the runs: ${megabytes(served.serverRssMb)} MB, ` +
      `its peak RSS (VmHWM): ${megabytes(served.serverPeakRssMb)} MB`,
  );
}

function printLspStart(lspStart) {
  console.log(
    `\nwarm language-server start (knr lsp --stdio on the persisted index, ${lspStart.runs} starts, medians, ` +
      `ms after the process started): a hover answered from the open net/socket.c ${fixed(lspStart.ownFileHoverMs, 0)}; ` +
      `a hover on sock->ops->recvmsg listing packet_recvmsg (from the tree's index) ${fixed(lspStart.indexHoverMs, 0)}; ` +
      `the whole index checked against the tree ${fixed(lspStart.indexReadyMs, 0)}`,
  );
}

function printTraces(traces) {
  console.log('\ntrace latency once the index is loaded (in process, ms; knr trace per built-in scenario):');
  console.log(
    formatTable(
      ['scenario', 'events', 'samples', 'first', 'median', 'max'],
      traces.scenarios.map((t) => [
        t.scenario,
        t.events,
        t.samples,
        fixed(t.firstMs, 1),
        fixed(t.medianMs, 1),
        fixed(t.maxMs, 1),
      ]),
    ),
  );
  const medians = traces.scenarios.map((t) => t.medianMs);
  console.log(
    `median over scenarios: ${fixed(median(medians), 1)} ms, slowest scenario ${fixed(Math.max(...medians), 1)} ms; ` +
      `index load in that process: ${seconds(traces.loadMs)} s`,
  );
  if (traces.command) {
    console.log(
      `${traces.command.command} as a process: ${seconds(traces.command.wallMs)} s wall, ${megabytes(traces.command.peakRssMb)} MB peak RSS`,
    );
  }
}

async function main() {
  const options = readOptions();
  requireBuiltKnr();
  const tree = benchmarkTree(options.kernel, options.subset);
  const scratch = mkdtempSync(join(tmpdir(), 'knr-bench-'));
  const problems = [];
  const loadBefore = loadavg()[0];
  try {
    const { result: index, cache } = options.warmCache
      ? { result: undefined, cache: options.warmCache }
      : await benchmarkIndex(options, tree, scratch, problems);
    const inProcess = cache ? benchmarkQueriesInProcess(options, tree, cache, problems) : undefined;
    const commands = cache ? await benchmarkQueryCommands(options, tree, cache, problems) : [];
    const served = cache
      ? await benchmarkServerQueries(options, tree, cache, findIndirectCall(tree), problems, progress)
      : undefined;
    const lspStart = cache ? benchmarkLspStart(options, tree, cache, problems) : undefined;
    const traces =
      options.traces && cache ? await benchmarkTraces(options, tree, cache, problems, progress) : undefined;
    clearProgress();
    console.log(`tree: ${tree}${options.subset ? ` (subset: ${options.subset.join(', ')})` : ''}`);
    console.log(
      `median of up to ${options.runs} runs (--budget may cut repeats); 1-minute load average before: ${loadBefore.toFixed(2)}, after: ${loadavg()[0].toFixed(2)}\n`,
    );
    if (index) printIndex(index);
    else console.log(`index: not measured (--warm-cache ${options.warmCache}); no ctags run`);
    printQueries(inProcess, commands);
    if (served) printServed(served);
    if (lspStart) printLspStart(lspStart);
    if (traces) printTraces(traces);
    printGoals(index, inProcess, traces, served, lspStart);
    if (options.json)
      console.log(
        JSON.stringify(
          { tree, runs: options.runs, index, inProcess, commands, served, lspStart, traces },
          null,
          2,
        ),
      );
  } finally {
    clearProgress();
    rmSync(scratch, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.error(`\nbench: not everything was measured:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  clearProgress();
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
