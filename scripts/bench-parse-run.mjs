// One parser measurement in a fresh process (bench-parsers.mjs starts one per run, so peak RSS belongs
// to that run alone). Parses every file of a list with the native `tree-sitter` binding or with
// `web-tree-sitter` (WASM), on the main thread or in worker threads, and prints one JSON line:
// { files, bytes, filesWithErrors, nodes, setupMs, wallMs, warmWallMs, peakRssMb }.
//
// Usage: node scripts/bench-parse-run.mjs --parser native|wasm --threads N --root DIR --list FILE
//                                         [--passes N] [--walk]
//   --list   a file of paths relative to --root, one per line
//   --passes parse the list N times on one thread; warmWallMs is the last pass
//   --walk   also visit every node with a tree cursor (an index has to walk the tree; parsing alone
//            does not show what crossing the JS <-> native or JS <-> WASM boundary per node costs)
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseOptions, positiveInteger } from './bench-lib.mjs';

const require = createRequire(import.meta.url);

/** Returns `parseFile(text) -> { hasError, nodes }` for the chosen binding. */
async function loadParser(kind, walk) {
  if (kind === 'native') {
    const NativeParser = require('tree-sitter');
    const parser = new NativeParser();
    parser.setLanguage(require('tree-sitter-c'));
    // The binding frees a tree when it is garbage-collected; there is no explicit delete.
    return (text) => {
      const tree = parser.parse(text);
      return { hasError: tree.rootNode.hasError, nodes: walk ? countNodes(tree.walk()) : 0 };
    };
  }
  if (kind === 'wasm') {
    const { Language, Parser } = await import('web-tree-sitter');
    await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
    const parser = new Parser();
    parser.setLanguage(await Language.load(require.resolve('tree-sitter-c/tree-sitter-c.wasm')));
    return (text) => {
      const tree = parser.parse(text);
      try {
        return { hasError: tree.rootNode.hasError, nodes: walk ? countNodes(tree.walk()) : 0 };
      } finally {
        tree.delete(); // WASM memory is not garbage-collected
      }
    };
  }
  throw new Error(`--parser must be native or wasm, got '${kind}'`);
}

/** Pre-order walk with a cursor, reading each node's type as an extractor would. */
function countNodes(cursor) {
  let nodes = 0;
  let typeLength = 0;
  for (;;) {
    nodes++;
    typeLength += cursor.nodeType.length;
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        if (typeLength === 0) throw new Error('tree cursor returned no node types');
        if (typeof cursor.delete === 'function') cursor.delete();
        return nodes;
      }
    }
  }
}

function emptyTotals() {
  return { files: 0, bytes: 0, filesWithErrors: 0, nodes: 0 };
}

function parseInto(totals, parseFile, root, relativePath) {
  const text = readFileSync(join(root, relativePath), 'utf8');
  const result = parseFile(text);
  totals.files++;
  totals.bytes += Buffer.byteLength(text);
  totals.nodes += result.nodes;
  if (result.hasError) totals.filesWithErrors++;
}

/** Worker thread: asks for batches of paths until the coordinator sends an empty one. */
async function workerMain() {
  const { parser: kind, walk, root } = workerData;
  const parseFile = await loadParser(kind, walk);
  const totals = emptyTotals();
  parentPort.on('message', (batch) => {
    if (batch.length === 0) {
      parentPort.postMessage({ done: totals });
      return;
    }
    for (const path of batch) parseInto(totals, parseFile, root, path);
    parentPort.postMessage({ next: true });
  });
  parentPort.postMessage({ next: true });
}

// Small batches keep both threads busy to the end even when one gets a 500 kB file.
const batchSize = 8;

async function parseInWorkers(options, paths) {
  const setupStart = performance.now();
  let wallStart = 0;
  let nextIndex = 0;
  const workers = [];
  const results = await new Promise((resolveAll, reject) => {
    const finished = [];
    // Each worker's first request means its parser is loaded; work (and the clock) starts when all are.
    const waitingForStart = [];
    const sendBatch = (worker) => {
      const batch = paths.slice(nextIndex, nextIndex + batchSize);
      nextIndex += batch.length;
      worker.postMessage(batch);
    };
    for (let i = 0; i < options.threads; i++) {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { parser: options.parser, walk: options.walk, root: options.root },
      });
      workers.push(worker);
      worker.on('error', reject);
      worker.on('message', (message) => {
        if (message.done) {
          finished.push(message.done);
          if (finished.length === options.threads) resolveAll(finished);
        } else if (wallStart > 0) {
          sendBatch(worker);
        } else if (waitingForStart.push(worker) === options.threads) {
          wallStart = performance.now();
          waitingForStart.forEach(sendBatch);
        }
      });
    }
  });
  const wallMs = performance.now() - wallStart;
  await Promise.all(workers.map((worker) => worker.terminate()));
  const totals = emptyTotals();
  for (const result of results) for (const key of Object.keys(totals)) totals[key] += result[key];
  return { ...totals, setupMs: wallStart - setupStart, wallMs };
}

async function parseOnMainThread(options, paths) {
  const setupStart = performance.now();
  const parseFile = await loadParser(options.parser, options.walk);
  const wallStart = performance.now();
  const totals = emptyTotals();
  for (const path of paths) parseInto(totals, parseFile, options.root, path);
  const wallMs = performance.now() - wallStart;
  // Later passes show the steady state of a long-lived process (JIT warm, WASM tiered up).
  let warmWallMs;
  for (let pass = 2; pass <= options.passes; pass++) {
    const passStart = performance.now();
    for (const path of paths) parseInto(emptyTotals(), parseFile, options.root, path);
    warmWallMs = performance.now() - passStart;
  }
  return { ...totals, setupMs: wallStart - setupStart, wallMs, warmWallMs };
}

async function main() {
  const raw = parseOptions(process.argv.slice(2), {
    values: ['parser', 'threads', 'root', 'list', 'passes'],
    booleans: ['walk'],
  });
  for (const required of ['parser', 'root', 'list']) {
    if (raw[required] === undefined) throw new Error(`--${required} is required`);
  }
  const options = {
    parser: raw.parser,
    threads: positiveInteger(raw.threads ?? '1', 'threads'),
    root: raw.root,
    walk: raw.walk === true,
    passes: positiveInteger(raw.passes ?? '1', 'passes'),
  };
  if (options.passes > 1 && options.threads > 1) throw new Error('--passes above 1 needs --threads 1');
  const paths = readFileSync(raw.list, 'utf8').split('\n').filter(Boolean);
  const result =
    options.threads === 1 ? await parseOnMainThread(options, paths) : await parseInWorkers(options, paths);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ...result, peakRssMb }) + '\n');
}

if (isMainThread) {
  main().catch((error) => {
    process.stderr.write(`bench-parse-run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  workerMain();
}
