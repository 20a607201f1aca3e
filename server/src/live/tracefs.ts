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
import { join } from 'node:path';
import { registerCleanup } from './cleanup';
import { processAlive } from './namespaces';
import { tryCommand } from './system';

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
function mountedTracefs(): string | undefined {
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n');
  for (const line of mounts) {
    const [, directory, type] = line.split(' ');
    if (type === 'tracefs' && existsSync(join(directory, 'instances'))) return directory;
  }
  return undefined;
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
  const root = mkdtempSync(join(tmpdir(), 'knr-tracefs-'));
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

/** Instances of this naming whose owner process is dead (left by a SIGKILL); returns their names. */
export function sweepStaleInstances(root = mountedTracefs()): string[] {
  if (!root) return [];
  const stale = readdirSync(join(root, 'instances')).filter((name) => {
    const owner = Number(instanceName.exec(name)?.[1]);
    return owner > 0 && owner !== process.pid && !processAlive(owner);
  });
  for (const name of stale) rmdirSync(join(root, 'instances', name));
  return stale;
}

/** The names of the tracing instances of this naming that exist now (for tests and diagnostics). */
export function knrInstances(): string[] {
  const root = mountedTracefs();
  if (!root) return [];
  return readdirSync(join(root, 'instances')).filter((name) => instanceName.test(name));
}

/** Creates and starts a private instance recording `endTracepoints`. */
export function startEndsRecorder(): EndsRecorder {
  const mount = mountTracefs();
  try {
    sweepStaleInstances(mount.root);
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
