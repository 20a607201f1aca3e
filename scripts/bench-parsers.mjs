// Parser benchmark: the native `tree-sitter` binding against `web-tree-sitter` (WASM, with
// tree-sitter-c's own .wasm) on real kernel files. Each run is a fresh process (bench-parse-run.mjs),
// so its peak RSS is its own; runs of different configurations are interleaved so that load from
// other processes spreads over all of them. Prints medians; method and results: docs/benchmarks.md.
//
// Usage: node scripts/bench-parsers.mjs [--kernel DIR] [--runs N] [--dirs net,include]
//                                       [--big FILE,...] [--walk] [--quick] [--json]
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  checkRun,
  fixed,
  formatTable,
  listCSources,
  median,
  parseOptions,
  positiveInteger,
  repoRoot,
  runMeasured,
} from './bench-lib.mjs';

const usage = `usage: node scripts/bench-parsers.mjs [options]
  --kernel DIR   kernel tree (default .cache/kernels/6.1)
  --runs N       runs per configuration, medians are printed (default 3)
  --dirs A,B     folders parsed as one set, 1 and 2 threads (default net,include)
  --big F,G      single big files, 1 thread each (default: a few of the tree's largest)
  --walk         also visit every node with a tree cursor, as an extractor would
  --quick        net/ipv4 and net/packet, one big file, 2 runs: for trying changes
  --json         print the results as JSON after the table`;

const defaultBigFiles = [
  'net/core/dev.c',
  'net/wireless/nl80211.c',
  'drivers/net/wireless/realtek/rtw89/rtw8852a_table.c',
  'drivers/gpu/drm/amd/include/asic_reg/dcn/dcn_3_2_0_sh_mask.h',
];

function readOptions() {
  const raw = parseOptions(process.argv.slice(2), {
    values: ['kernel', 'runs', 'dirs', 'big'],
    booleans: ['walk', 'quick', 'json', 'help'],
  });
  if (raw.help) {
    console.log(usage);
    process.exit(0);
  }
  const kernel = resolve(raw.kernel ?? join(repoRoot, '.cache', 'kernels', '6.1'));
  if (!existsSync(join(kernel, 'Makefile'))) {
    throw new Error(
      `${kernel} is not a kernel tree (no Makefile); pass --kernel DIR or run scripts/fetch-kernel 6.1`,
    );
  }
  const split = (text) => text.split(',').filter(Boolean);
  return {
    kernel,
    runs: positiveInteger(raw.runs ?? (raw.quick ? '2' : '3'), 'runs'),
    dirs: split(raw.dirs ?? (raw.quick ? 'net/ipv4,net/packet' : 'net,include')),
    bigFiles: split(raw.big ?? (raw.quick ? defaultBigFiles[0] : defaultBigFiles.join(','))),
    walk: raw.walk === true,
    json: raw.json === true,
  };
}

/** The inputs: the folder set (1 and 2 threads) and each big file that exists (1 thread). */
function planInputs(options, scratch) {
  const inputs = [];
  const addInput = (name, paths, threadCounts) => {
    const list = join(scratch, `input-${inputs.length}.txt`);
    writeFileSync(list, paths.join('\n') + '\n');
    const bytes = paths.reduce((sum, path) => sum + statSync(join(options.kernel, path)).size, 0);
    inputs.push({ name, list, files: paths.length, bytes, threadCounts });
  };
  addInput(options.dirs.join(' + '), listCSources(options.kernel, options.dirs), [1, 2]);
  for (const file of options.bigFiles) {
    if (existsSync(join(options.kernel, file))) addInput(file, [file], [1]);
    else console.error(`bench-parsers: skipping ${file}: not in ${options.kernel}`);
  }
  return inputs;
}

async function measure(options, input, parser, threads) {
  const args = [
    join(repoRoot, 'scripts', 'bench-parse-run.mjs'),
    '--parser',
    parser,
    '--threads',
    String(threads),
  ];
  args.push('--root', options.kernel, '--list', input.list);
  if (options.walk) args.push('--walk');
  // A single file is parsed twice: the first parse pays for JIT warm-up, the second is what an
  // editor that re-parses a file on change sees.
  if (input.files === 1) args.push('--passes', '2');
  const run = checkRun(
    await runMeasured(process.execPath, args),
    `${parser} parser, ${threads} thread(s), ${input.name}`,
  );
  return JSON.parse(run.stdout);
}

async function main() {
  const options = readOptions();
  const scratch = mkdtempSync(join(tmpdir(), 'knr-bench-parsers-'));
  try {
    const inputs = planInputs(options, scratch);
    const configs = inputs.flatMap((input) =>
      ['native', 'wasm'].flatMap((parser) =>
        input.threadCounts.map((threads) => ({ input, parser, threads, samples: [] })),
      ),
    );
    const loadBefore = loadavg()[0];
    for (let round = 1; round <= options.runs; round++) {
      for (const config of configs) {
        if (process.stderr.isTTY)
          process.stderr.write(
            `\rround ${round}/${options.runs}: ${config.parser} x${config.threads} ${config.input.name}`.padEnd(
              100,
            ),
          );
        config.samples.push(await measure(options, config.input, config.parser, config.threads));
      }
    }
    if (process.stderr.isTTY) process.stderr.write('\r'.padEnd(100) + '\r');
    const results = configs.map(summarize);
    printTable(options, results, loadBefore);
    reportDisagreements(results);
    if (options.json) console.log(JSON.stringify(results, null, 2));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function summarize({ input, parser, threads, samples }) {
  const wallMs = median(samples.map((s) => s.wallMs));
  return {
    input: input.name,
    parser,
    threads,
    files: input.files,
    megabytes: input.bytes / 1e6,
    filesWithErrors: samples[0].filesWithErrors,
    nodes: samples[0].nodes,
    runs: samples.length,
    wallMs,
    wallMsAll: samples.map((s) => Math.round(s.wallMs)),
    megabytesPerSecond: input.bytes / 1e6 / (wallMs / 1000),
    warmWallMs: input.files === 1 ? median(samples.map((s) => s.warmWallMs)) : undefined,
    setupMs: median(samples.map((s) => s.setupMs)),
    peakRssMb: median(samples.map((s) => s.peakRssMb)),
  };
}

function printTable(options, results, loadBefore) {
  console.log(`kernel: ${options.kernel}`);
  console.log(
    `${options.walk ? 'parse + cursor walk' : 'parse only'}; median of ${options.runs} runs; ` +
      `1-minute load average before: ${loadBefore.toFixed(2)}, after: ${loadavg()[0].toFixed(2)}`,
  );
  const headers = [
    'input',
    'parser',
    'threads',
    'files',
    'MB',
    'error files',
    'wall s',
    'MB/s',
    'warm s',
    'peak RSS MB',
    'setup ms',
  ];
  const rows = results.map((r) => [
    r.input,
    r.parser,
    r.threads,
    r.files,
    fixed(r.megabytes),
    r.filesWithErrors,
    fixed(r.wallMs / 1000, 2),
    fixed(r.megabytesPerSecond, 2),
    r.warmWallMs === undefined ? '-' : fixed(r.warmWallMs / 1000, 2),
    fixed(r.peakRssMb, 0),
    fixed(r.setupMs, 0),
  ]);
  console.log(formatTable(headers, rows));
}

/** Both bindings run the same grammar version, so their error counts should match; say when not. */
function reportDisagreements(results) {
  // Thread counts parse the same files, so one comparison per input is enough.
  for (const native of results.filter((r) => r.parser === 'native' && r.threads === 1)) {
    const wasm = results.find((r) => r.parser === 'wasm' && r.input === native.input && r.threads === 1);
    if (wasm && (wasm.filesWithErrors !== native.filesWithErrors || wasm.nodes !== native.nodes)) {
      console.log(
        `note: ${native.input}: native and wasm trees differ ` +
          `(files with errors ${native.filesWithErrors} vs ${wasm.filesWithErrors}, nodes ${native.nodes} vs ${wasm.nodes})`,
      );
    }
  }
}

main().catch((error) => {
  console.error(`bench-parsers: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
