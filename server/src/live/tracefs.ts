// A private tracing instance (tracefs `instances/knr-<pid>-<random>`) that records the tracepoints of
// packet ends during one live run: never the top-level buffer, which other tools may be using. The
// instance (and tracefs, when this run mounted it) is removed on every path out: by the caller, by the
// cleanup registry on a signal or exit, or, after a SIGKILL, by a later run that finds an instance of
// this naming whose owner process is dead.
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { registerCleanup } from './cleanup';
import { processAlive } from './namespaces';
import { pauseSync, tryCommand } from './system';

/** The tracepoints a run enables: the ends, the devices' transmit and receive, and NAPI polls. */
export const endTracepoints = [
  'skb/kfree_skb',
  'skb/consume_skb',
  'net/net_dev_queue',
  'net/netif_rx',
  'net/netif_receive_skb',
  'napi/napi_poll',
] as const;

const instanceName = /^knr-(\d+)-[0-9a-f]+$/;
/** Per CPU: a scenario's few hundred events fit many times over. */
const bufferSizeKb = 4096;

export interface EndsRecorder {
  /** The instance's trace_marker, for the scenario program. */
  readonly marker: string;
  /** Stops recording and returns the trace's text; throws when the buffer lost events. */
  read(): string;
  /** Removes the instance (and tracefs if this run mounted it); idempotent. */
  remove(): void;
}

export class TracefsUnavailableError extends Error {}

/** Where tracefs is mounted, from /proc/mounts. */
function tracefsMounts(): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([, directory, type]) => type === 'tracefs' && existsSync(join(directory, 'instances')))
    .map(([, directory]) => directory);
}

/** A tracefs mount point a run made: knr-tracefs-<pid>-<random> in the temporary directory. */
const ownMountName = /^knr-tracefs-(\d+)-/;

function mountOwner(directory: string): number | undefined {
  if (dirname(directory) !== tmpdir()) return undefined;
  const owner = ownMountName.exec(basename(directory))?.[1];
  return owner === undefined ? undefined : Number(owner);
}

/** The system's tracefs, when mounted; another run's own mount is never shared (it unmounts it). */
function mountedTracefs(): string | undefined {
  return tracefsMounts().find((directory) => mountOwner(directory) === undefined);
}

function deadOwner(owner: number | undefined): boolean {
  return owner !== undefined && owner > 0 && owner !== process.pid && !processAlive(owner);
}

interface TracefsMount {
  root: string;
  /** Unmounts tracefs when this run mounted it; a no-op otherwise. */
  release(): void;
}

function mountTracefs(): TracefsMount {
  const existing = mountedTracefs();
  if (existing) return { root: existing, release: () => undefined };
  if (process.getuid?.() !== 0) {
    throw new TracefsUnavailableError('recording packet ends needs root to mount tracefs');
  }
  const root = mkdtempSync(join(tmpdir(), `knr-tracefs-${process.pid}-`));
  const mounted = tryCommand(['mount', '-t', 'tracefs', 'nodev', root]);
  if (mounted.status !== 0) {
    rmdirSync(root);
    throw new TracefsUnavailableError(`tracefs could not be mounted: ${mounted.stderr.trim()}`);
  }
  const release = registerCleanup(`tracefs mounted at ${root}`, () => {
    tryCommand(['umount', root]);
    rmdirSync(root);
  });
  return { root, release };
}

/**
 * Removes what a killed run (SIGKILL) left: instances of this naming whose owner process is dead, in
 * every tracefs mount, then the tracefs mounts such a run made. Returns what it removed.
 */
export function sweepStaleTracing(): string[] {
  const removed: string[] = [];
  for (const root of tracefsMounts()) {
    for (const name of readdirSync(join(root, 'instances'))) {
      const owner = instanceName.exec(name)?.[1];
      if (owner === undefined || !deadOwner(Number(owner))) continue;
      if (removeReleasedInstance(join(root, 'instances', name))) removed.push(join(root, 'instances', name));
    }
    if (deadOwner(mountOwner(root)) && tryCommand(['umount', root]).status === 0) {
      rmdirSync(root);
      removed.push(root);
    }
  }
  return removed;
}

/** How long a sweep waits for a dead run's instance to be let go before leaving it to the next sweep. */
const releaseWaitMilliseconds = 3000;

/**
 * Removes a dead run's instance. The kernel refuses (EBUSY) while the instance's files are still held:
 * for a moment after the owner is killed, its last references are dropped after it is reported dead.
 * False when still held after the wait; the next run's sweep removes it.
 */
function removeReleasedInstance(path: string): boolean {
  const deadline = Date.now() + releaseWaitMilliseconds;
  for (;;) {
    try {
      rmdirSync(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EBUSY') throw error;
      if (Date.now() >= deadline) return false;
      pauseSync(20);
    }
  }
}

/** The tracing instances of this naming in every tracefs mount, and the mounts runs made (for tests). */
export function knrTracingState(): { instances: string[]; mounts: string[] } {
  const mounts = tracefsMounts();
  return {
    instances: mounts.flatMap((root) =>
      readdirSync(join(root, 'instances')).filter((name) => instanceName.test(name)),
    ),
    mounts: mounts.filter((directory) => mountOwner(directory) !== undefined),
  };
}

/** Creates and starts a private instance recording `endTracepoints`. */
export function startEndsRecorder(): EndsRecorder {
  if (process.getuid?.() === 0) sweepStaleTracing();
  const mount = mountTracefs();
  try {
    const name = `knr-${process.pid}-${randomBytes(4).toString('hex')}`;
    const directory = join(mount.root, 'instances', name);
    try {
      mkdirSync(directory);
    } catch (error) {
      throw new TracefsUnavailableError(`no tracing instance could be created: ${String(error)}`);
    }
    const removeInstance = registerCleanup(`tracing instance ${name}`, () => {
      if (existsSync(directory)) rmdirSync(directory);
    });
    const remove = () => {
      removeInstance();
      mount.release();
    };
    try {
      writeFileSync(join(directory, 'trace_clock'), 'global');
      writeFileSync(join(directory, 'buffer_size_kb'), String(bufferSizeKb));
      for (const tracepoint of endTracepoints) {
        const enable = join(directory, 'events', tracepoint, 'enable');
        if (!existsSync(enable)) {
          throw new TracefsUnavailableError(`this kernel has no tracepoint ${tracepoint.replace('/', ':')}`);
        }
        writeFileSync(enable, '1');
      }
      writeFileSync(join(directory, 'tracing_on'), '1');
    } catch (error) {
      remove();
      throw error;
    }
    return {
      marker: join(directory, 'trace_marker'),
      read() {
        writeFileSync(join(directory, 'tracing_on'), '0');
        const lost = lostEvents(directory);
        if (lost > 0) throw new TracefsUnavailableError(`the tracing buffer lost ${lost} events`);
        return readFileSync(join(directory, 'trace'), 'utf8');
      },
      remove,
    };
  } catch (error) {
    mount.release();
    throw error;
  }
}

function lostEvents(directory: string): number {
  let lost = 0;
  for (const cpu of readdirSync(join(directory, 'per_cpu'))) {
    const stats = readFileSync(join(directory, 'per_cpu', cpu, 'stats'), 'utf8');
    lost += Number(/^overrun: (\d+)/m.exec(stats)?.[1] ?? 0);
  }
  return lost;
}
