// Opening a kernel tree: check it, load the persisted index, re-index what changed in parallel
// worker threads (open files first), persist, and report what was found and what was not.
// Long because opening, re-indexing what changed and the summary share one pass over the tree.
import { availableParallelism } from 'node:os';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { toolVersion } from '../version';
import type { ExtractReply, ExtractRequest } from './extract-worker';
import type { ProblemKind } from './file-indexer';
import { KernelIndex } from './kernel-index';
import { checkKernelTree, listSourceFiles, type SourceListing } from './kernel-tree';
import {
  defaultCacheFolder,
  indexFilePath,
  loadPersistedIndex,
  writePersistedIndex,
  type LoadResult,
} from './persist';
import type { FactKind } from './store/fact-schema';
import { DamagedIndexError } from './piece-reader';
import { FactStore } from './store/fact-store';
import { workerScript } from './worker-script';

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
  /**
   * Called when a part of the loaded index that had not been used yet fails its check: the index
   * in use is damaged there (queries that reach it throw DamagedIndexError), and the file is removed,
   * so the next start rebuilds it.
   */
  onDamaged?: (reason: string) => void;
  /**
   * Count function definitions and calls through a field for the summary (`knr index` prints them).
   * Off by default: each count reads every row of its table, and a loaded index keeps the pieces no
   * query has read on disk (piece-reader.ts).
   */
  countFacts?: boolean;
}

export interface IndexSummary {
  root: string;
  version: string;
  files: number;
  /** Files parsed in this run (the rest came from the persisted index). */
  parsed: number;
  reused: number;
  removed: number;
  /** Function definitions; absent when the open did not count them (`countFacts`). */
  functions?: number;
  tables: number;
  slots: number;
  bindings: number;
  registrations: number;
  calls: number;
  /** Calls through a field; absent when the open did not count them (`countFacts`). */
  indirectCalls?: number;
  filesWithParseErrors: number;
  parseErrorNodes: number;
  /** Files of nothing but preprocessor lines (generated register headers), read without parsing. */
  macroOnlyFiles: number;
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

/** Files stat-ed between two returns to the event loop while checking what changed. */
const statsPerTurn = 2000;

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
  // A loaded index answers at once, before the tree is listed and stat-ed against it (a second or more
  // on a whole tree); the files changed since it was saved are re-indexed right after, open ones first.
  const loading: Promise<LoadResult> = options.noCache
    ? Promise.resolve({ status: 'missing' })
    : loadPersistedIndex(cacheFile, root, toolVersion).then((loaded) => {
        if (loaded.status === 'loaded') index.replaceBase(loaded.store);
        return loaded;
      });
  // Listing and stat-ing the tree while the persisted index is read.
  const listing = await listSourceFiles(root);
  // Already known to hold nothing (no index, or one rebuilt): every file is parsed, none compared.
  const settled = await Promise.race([loading, Promise.resolve(undefined)]);
  const compareStats = settled === undefined || settled.status === 'loaded';
  const onDisk = await statFiles(root, compareStats ? listing.files : []);
  const loaded = await loading;
  const tree = { listing, onDisk, cacheFile };
  try {
    const summary = await refresh(index, options, started, tree, loaded);
    if (loaded.status === 'loaded') {
      loaded.checked.catch((error: Error) => {
        // A store compacted while refreshing holds copies of the facts it read, all checked.
        if (error instanceof DamagedIndexError && index.baseStore === loaded.store)
          options.onDamaged?.(error.message);
      });
    }
    return summary;
  } catch (error) {
    if (!(error instanceof DamagedIndexError)) throw error;
    // A part of the loaded index failed its check on first use; the file is gone. Start afresh.
    index.replaceBase(new FactStore());
    return refresh(index, options, started, tree, { status: 'rebuilt', reason: error.message });
  }
}

type FileStats = Map<string, { mtimeMs: number; size: number }>;

async function statFiles(root: string, files: readonly string[]): Promise<FileStats> {
  const onDisk: FileStats = new Map();
  for (const [i, file] of files.entries()) {
    // A server answers requests between chunks: opened documents are indexed first.
    if (i % statsPerTurn === 0) await new Promise((resolve) => setImmediate(resolve));
    try {
      const { mtimeMs, size } = statSync(join(root, file));
      onDisk.set(file, { mtimeMs, size });
    } catch {
      // vanished since listing: re-indexing reports it
    }
  }
  return onDisk;
}

/** The listed files whose stat times differ from the index's, and the indexed files no longer listed. */
function changedFiles(index: KernelIndex, listing: SourceListing, onDisk: FileStats) {
  const base = index.baseStore;
  const stale = listing.files.filter((file) => {
    const slot = base.slotOf(file);
    if (slot === undefined) return true;
    const saved = base.savedStat(slot);
    const stat = onDisk.get(file);
    return stat?.mtimeMs !== saved.mtimeMs || stat.size !== saved.size;
  });
  const listed = new Set(listing.files);
  const removed = [...base.files()].filter((file) => !listed.has(file));
  return { stale, removed };
}

/**
 * For an index kept open (the query server): the warm start's check again, the tree's stat times
 * against the index's. Undefined when nothing changed; else the re-indexing of what did (saved as a
 * warm start saves), which the caller awaits before it answers from the index.
 */
export async function refreshOpenIndex(
  index: KernelIndex,
  options: OpenOptions = {},
): Promise<{ reindexed: Promise<IndexSummary> } | undefined> {
  const started = Date.now();
  const listing = await listSourceFiles(index.root);
  const onDisk = await statFiles(index.root, listing.files);
  const { stale, removed } = changedFiles(index, listing, onDisk);
  if (stale.length === 0 && removed.length === 0) return undefined;
  const cacheFile = indexFilePath(options.cache ?? defaultCacheFolder(), index.root);
  return { reindexed: refresh(index, options, started, { listing, onDisk, cacheFile }, { status: 'open' }) };
}

/** Brings a loaded index (or none, or the one already open) up to date with the listed tree, saves it and summarises it. */
async function refresh(
  index: KernelIndex,
  options: OpenOptions,
  started: number,
  tree: { listing: SourceListing; onDisk: FileStats; cacheFile: string },
  loaded: LoadResult | { status: 'open' },
): Promise<IndexSummary> {
  const { listing, onDisk, cacheFile } = tree;
  const root = index.root;
  const fromDisk = loaded.status === 'loaded' || loaded.status === 'open';

  const { stale, removed } = changedFiles(index, listing, onDisk);
  for (const file of removed) index.removeFromBase(file);
  const total = listing.files.length;
  let done = total - stale.length;
  options.onProgress?.(done, total);

  const priority = new Set(options.priorityFiles ?? []);
  stale.sort((a, b) => Number(priority.has(b)) - Number(priority.has(a)));
  await indexInWorkers(root, stale, options.workers, (reply) => {
    index.appendToBase(new FactStore(reply.sections));
    done += reply.files;
    options.onProgress?.(done, total);
  });

  let cacheState: string = loaded.status === 'rebuilt' ? `rebuilt: ${loaded.reason}` : loaded.status;
  if (!options.noCache && (stale.length > 0 || removed.length > 0 || !fromDisk)) {
    try {
      // Replaced files leave dead rows behind; past a quarter of the store they are dropped.
      if (index.baseStore.deadShare() > 0.25) index.replaceBase(index.baseStore.compact());
      await writePersistedIndex(cacheFile, root, toolVersion, index.baseStore);
      cacheState += stale.length > 0 ? `, saved (${stale.length} files re-indexed)` : ', saved';
    } catch (error) {
      if (error instanceof DamagedIndexError) throw error;
      cacheState += `, not saved: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return summarize(index, options.countFacts ?? false, {
    parsed: stale.length,
    removed: removed.length,
    symlinksSkipped: listing.symlinksSkipped,
    unreadableFolders: listing.unreadableFolders.length,
    cache: cacheState,
    cacheFile: options.noCache ? undefined : cacheFile,
    timeMs: Date.now() - started,
  });
}

/**
 * Files per batch: big batches cost less per file (one message, one store, strings shared), small ones
 * near the end let the workers finish together.
 */
const batchSizeFor = (remaining: number, workers: number): number =>
  Math.max(4, Math.min(64, Math.floor(remaining / (workers * 16))));

const workerYoungGenerationMb = 16;

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
  let next = 0;
  const script = workerScript('extract-worker');
  return new Promise<void>((resolve, reject) => {
    let running = 0;
    const startWorker = () => {
      const worker = new Worker(script.path, {
        execArgv: script.execArgv,
        // Each file's syntax tree and facts die young; a young generation smaller than the default
        // (48 MB) keeps the workers' heaps smaller beside the whole tree's facts. At 6 MB the peak
        // of a cold 6.1 index fell a further 60-80 MB but its CPU time rose a tenth (benchmarks.md).
        resourceLimits: { maxYoungGenerationSizeMb: workerYoungGenerationMb },
      });
      running++;
      let inFlight = 0;
      const feed = () => {
        if (next >= files.length) {
          if (inFlight === 0) void worker.terminate();
          return;
        }
        const batch = files.slice(next, next + batchSizeFor(files.length - next, count));
        next += batch.length;
        inFlight++;
        worker.postMessage({ root, files: batch } satisfies ExtractRequest);
      };
      worker.on('message', (reply: ExtractReply) => {
        inFlight--;
        onReply(reply);
        feed();
      });
      worker.on('error', (error) => reject(new Error(`index worker failed: ${error.message}`)));
      worker.on('exit', () => {
        running--;
        if (running === 0) resolve();
      });
      // Two batches in flight, so a worker never waits for the main thread to hand it the next one.
      feed();
      feed();
    };
    for (let i = 0; i < count; i++) startWorker();
  });
}

function summarize(
  index: KernelIndex,
  countFacts: boolean,
  run: Pick<
    IndexSummary,
    'parsed' | 'removed' | 'symlinksSkipped' | 'unreadableFolders' | 'cache' | 'cacheFile' | 'timeMs'
  >,
): IndexSummary {
  const store = index.baseStore;
  const summary: IndexSummary = {
    root: index.root,
    version: index.version,
    files: 0,
    reused: 0,
    functions: countFacts ? 0 : undefined,
    tables: 0,
    slots: 0,
    bindings: 0,
    registrations: 0,
    calls: 0,
    indirectCalls: countFacts ? 0 : undefined,
    filesWithParseErrors: 0,
    parseErrorNodes: 0,
    problems: {},
    macroOnlyFiles: 0,
    peakRssMb: 0,
    ...run,
  };
  const rows = (slot: number, kind: FactKind) => {
    const [start, end] = store.rows(slot, kind);
    return end - start;
  };
  const isTrue = (value: number) => value === 1;
  const isPresent = (value: number) => value >= 0;
  for (const slot of store.liveSlots()) {
    summary.files++;
    const entry = store.entry(slot, false);
    if (entry.problem) {
      const bucket = (summary.problems[entry.problem.kind] ??= { count: 0, examples: [] });
      bucket.count++;
      if (bucket.examples.length < 3) bucket.examples.push(`${entry.file}: ${entry.problem.detail}`);
    }
    if (entry.macroOnly) summary.macroOnlyFiles++;
    if (!store.hasFacts(slot)) continue;
    if (countFacts) {
      summary.functions! += store.countRows(
        'functions',
        'isDefinition',
        ...store.rows(slot, 'functions'),
        isTrue,
      );
      summary.indirectCalls! += store.countRows('calls', 'receiver', ...store.rows(slot, 'calls'), isPresent);
    }
    summary.tables += rows(slot, 'tables');
    summary.slots += rows(slot, 'slots');
    summary.bindings += rows(slot, 'bindings');
    summary.registrations += rows(slot, 'registrations');
    summary.calls += rows(slot, 'calls');
    const errors = store.parseErrors(slot);
    if (errors > 0) summary.filesWithParseErrors++;
    summary.parseErrorNodes += errors;
  }
  summary.reused = summary.files - run.parsed;
  summary.peakRssMb = peakRssMb();
  return summary;
}
