// Opening a kernel tree: check it, load the persisted index, re-index what changed in parallel
// worker threads (open files first), persist, and report what was found and what was not.
import { availableParallelism } from 'node:os';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { toolVersion } from '../version';
import type { ExtractReply, ExtractRequest } from './extract-worker';
import type { ProblemKind } from './file-indexer';
import { KernelIndex } from './kernel-index';
import { callStride, remapPacked } from './packed';
import { checkKernelTree, listSourceFiles } from './kernel-tree';
import {
  defaultCacheFolder,
  indexFilePath,
  loadPersistedIndex,
  writePersistedIndex,
  type LoadResult,
  type PersistedFile,
} from './persist';

export interface OpenOptions {
  /** Cache folder (default: KNR_CACHE, else ~/.cache/kernel-net-reader). */
  cache?: string;
  /** Called as files are indexed: files done (reused or parsed) of the total. */
  onProgress?: (done: number, total: number) => void;
  /** Files (relative paths) to index before the rest, e.g. the editor's open documents. */
  priorityFiles?: readonly string[];
  /** Worker threads (default: one per core, at most 4). */
  workers?: number;
  /** Skip reading and writing the persisted index. */
  noCache?: boolean;
}

export interface IndexSummary {
  root: string;
  version: string;
  files: number;
  /** Files parsed in this run (the rest came from the persisted index). */
  parsed: number;
  reused: number;
  removed: number;
  functions: number;
  tables: number;
  slots: number;
  bindings: number;
  registrations: number;
  calls: number;
  indirectCalls: number;
  filesWithParseErrors: number;
  parseErrorNodes: number;
  /** Files skipped or indexed partially, by reason, with a few examples each. */
  problems: Partial<Record<ProblemKind, { count: number; examples: string[] }>>;
  symlinksSkipped: number;
  unreadableFolders: number;
  /** What happened to the persisted index: loaded, missing, or rebuilt and why. */
  cache: string;
  cacheFile?: string;
  timeMs: number;
  peakRssMb: number;
}

export interface IndexSession {
  index: KernelIndex;
  /** Resolves when every file is indexed (and the index persisted). */
  ready: Promise<IndexSummary>;
}

function workerScript(): { path: string; execArgv?: string[] } {
  // From source (tests, tsx) the worker is TypeScript and needs the same loader.
  if (__filename.endsWith('.ts'))
    return { path: join(__dirname, 'extract-worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
  return { path: join(__dirname, 'extract-worker.js') };
}

/** Reads the peak resident set size of this process (VmHWM) in MB. */
export function peakRssMb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kilobytes = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    if (kilobytes) return Math.round(+kilobytes / 1024);
  } catch {
    // not Linux: fall back to the current figure
  }
  return Math.round(process.memoryUsage().rss / 1048576);
}

/** Starts indexing `root`; the returned index answers from what is indexed so far. */
export function startIndex(rootPath: string, options: OpenOptions = {}): IndexSession {
  const started = Date.now();
  const version = checkKernelTree(rootPath);
  const root = realpathSync(rootPath);
  const index = new KernelIndex(root, version.text);
  const ready = buildInto(index, options, started);
  return { index, ready };
}

export async function openIndex(root: string, options: OpenOptions = {}): Promise<KernelIndex> {
  const session = startIndex(root, options);
  await session.ready;
  return session.index;
}

/** Opens and waits, returning the summary too. */
export async function openIndexWithSummary(
  root: string,
  options: OpenOptions = {},
): Promise<{ index: KernelIndex; summary: IndexSummary }> {
  const session = startIndex(root, options);
  const summary = await session.ready;
  return { index: session.index, summary };
}

async function buildInto(index: KernelIndex, options: OpenOptions, started: number): Promise<IndexSummary> {
  // Return to the caller first: it holds the (empty) index and may answer before the load is done.
  await new Promise((resolve) => setImmediate(resolve));
  const root = index.root;
  const cacheFile = indexFilePath(options.cache ?? defaultCacheFolder(), root);
  const loaded: LoadResult = options.noCache
    ? { status: 'missing' }
    : loadPersistedIndex(cacheFile, root, toolVersion);
  if (loaded.status === 'loaded') index.strings.restore(loaded.index.strings);
  const previous = new Map<string, PersistedFile>();
  if (loaded.status === 'loaded') for (const entry of loaded.index.files) previous.set(entry.file, entry);

  const listing = listSourceFiles(root);
  const current = new Map<string, PersistedFile>();
  const stale: string[] = [];
  for (const file of listing.files) {
    const old = previous.get(file);
    if (old) {
      try {
        const stat = statSync(join(root, file));
        if (stat.mtimeMs === old.mtimeMs && stat.size === old.size) {
          current.set(file, old);
          if (old.packed) index.setPackedFile(old.packed);
          continue;
        }
      } catch {
        // vanished since listing: re-indexing reports it
      }
    }
    stale.push(file);
  }
  const removed = [...previous.keys()].filter(
    (file) => !current.has(file) && !listing.files.includes(file),
  ).length;
  const total = listing.files.length;
  options.onProgress?.(current.size, total);

  const priority = new Set(options.priorityFiles ?? []);
  stale.sort((a, b) => Number(priority.has(b)) - Number(priority.has(a)));
  await indexInWorkers(root, stale, options.workers, (reply) => {
    for (const outcome of reply.outcomes) {
      if (outcome.packed) {
        remapPacked(outcome.packed, reply.strings, index.strings);
        index.setPackedFile(outcome.packed);
      } else {
        index.removeFile(outcome.file);
      }
      current.set(outcome.file, outcome);
    }
    options.onProgress?.(current.size, total);
  });

  let cacheState: string = loaded.status === 'rebuilt' ? `rebuilt: ${loaded.reason}` : loaded.status;
  if (!options.noCache && (stale.length > 0 || removed > 0 || loaded.status !== 'loaded')) {
    try {
      writePersistedIndex(cacheFile, root, toolVersion, {
        strings: index.strings.strings,
        files: [...current.values()],
      });
      cacheState += stale.length > 0 ? `, saved (${stale.length} files re-indexed)` : ', saved';
    } catch (error) {
      cacheState += `, not saved: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return summarize(index, current, {
    parsed: stale.length,
    removed,
    symlinksSkipped: listing.symlinksSkipped,
    unreadableFolders: listing.unreadableFolders.length,
    cache: cacheState,
    cacheFile: options.noCache ? undefined : cacheFile,
    timeMs: Date.now() - started,
  });
}

function indexInWorkers(
  root: string,
  files: string[],
  workerCount: number | undefined,
  onReply: (reply: ExtractReply) => void,
): Promise<void> {
  if (files.length === 0) return Promise.resolve();
  const count = Math.max(
    1,
    Math.min(workerCount ?? Math.min(availableParallelism(), 4), Math.ceil(files.length / 8)),
  );
  const batchSize = 16;
  let next = 0;
  const script = workerScript();
  return new Promise<void>((resolve, reject) => {
    let running = 0;
    const startWorker = () => {
      const worker = new Worker(script.path, { execArgv: script.execArgv });
      running++;
      const feed = () => {
        if (next >= files.length) {
          void worker.terminate();
          return;
        }
        const batch = files.slice(next, next + batchSize);
        next += batch.length;
        worker.postMessage({ root, files: batch } satisfies ExtractRequest);
      };
      worker.on('message', (reply: ExtractReply) => {
        onReply(reply);
        feed();
      });
      worker.on('error', (error) => reject(new Error(`index worker failed: ${error.message}`)));
      worker.on('exit', () => {
        running--;
        if (running === 0) resolve();
      });
      feed();
    };
    for (let i = 0; i < count; i++) startWorker();
  });
}

function summarize(
  index: KernelIndex,
  current: Map<string, PersistedFile>,
  run: Pick<
    IndexSummary,
    'parsed' | 'removed' | 'symlinksSkipped' | 'unreadableFolders' | 'cache' | 'cacheFile' | 'timeMs'
  >,
): IndexSummary {
  const summary: IndexSummary = {
    root: index.root,
    version: index.version,
    files: current.size,
    reused: current.size - run.parsed,
    functions: 0,
    tables: 0,
    slots: 0,
    bindings: 0,
    registrations: 0,
    calls: 0,
    indirectCalls: 0,
    filesWithParseErrors: 0,
    parseErrorNodes: 0,
    problems: {},
    peakRssMb: 0,
    ...run,
  };
  for (const entry of current.values()) {
    if (entry.problem) {
      const bucket = (summary.problems[entry.problem.kind] ??= { count: 0, examples: [] });
      bucket.count++;
      if (bucket.examples.length < 3) bucket.examples.push(`${entry.file}: ${entry.problem.detail}`);
    }
    const packed = entry.packed;
    if (!packed) continue;
    const facts = packed.facts;
    summary.functions += facts.functions.filter((f) => f.isDefinition).length;
    summary.tables += facts.tables.length;
    summary.slots += facts.slots.length;
    summary.bindings += facts.bindings.length;
    summary.registrations += facts.registrations.length;
    summary.calls += packed.calls.length / callStride;
    summary.indirectCalls += packed.receivers.length;
    if (facts.parseErrors > 0) summary.filesWithParseErrors++;
    summary.parseErrorNodes += facts.parseErrors;
  }
  summary.peakRssMb = peakRssMb();
  return summary;
}
