// The shared query server: holds one kernel tree's index open and answers knr's query commands over a
// Unix socket (the node client) and over loopback TCP (bin/knr's shell client, loopback-door.ts), each
// exactly as the command prints it in-process. One server per tree + cache: the lock
// file (created exclusively, holding the pid) says which process owns the socket. It keeps the index in
// step with the tree by repeating the warm start's stat check: over and over while it is in use (a
// check of a whole tree costs about a second of CPU), and before an answer when the last check began
// more than `freshMs` ago. It stops after an idle period.
import { chmodSync } from 'node:fs';
import { basename } from 'node:path';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { defaultArch } from '../../index/definition-rank';
import type { KernelIndex } from '../../index/kernel-index';
import { refreshOpenIndex, type IndexSummary } from '../../index/open';
import { DamagedIndexError } from '../../index/piece-reader';
import { parseArgs, stringFlag } from '../args';
import type { CommandOutput, KernelOpener } from '../command';
import { runKnr } from '../knr';
import { applyArch, openKernelFromArgs } from '../kernel-args';
import { openLoopbackDoor, type LoopbackDoor, type ShellReply, type ShellRequest } from './loopback-door';
import { servedCommands } from './served-commands';
import { shellClientPlan } from './server-plan';
import { releaseLock, removeIfPresent, takeLock } from './server-lock';
import { checkOwnSocket, type ServerPlace } from './socket-place';
import { lineReader, type QueryReply, type QueryRequest } from './wire';

export interface QueryServerOptions {
  /** The kernel tree and the cache folder, absolute. */
  root: string;
  cache: string;
  place: ServerPlace;
  idleMs: number;
  /** Pause between the end of one check of the tree's stat times and the start of the next. */
  checkPauseMs: number;
  /** A request waits for a check of the tree when the last one began longer ago than this. */
  freshMs: number;
  /** Checks repeat only this long after the last request. */
  activeMs: number;
  log: (text: string) => void;
}

/** Serves until idle; 'already running' when another process owns this tree's socket. */
export async function runQueryServer(options: QueryServerOptions): Promise<'stopped' | 'already running'> {
  const { place } = options;
  if (!takeLock(place.lock)) return 'already running';
  try {
    checkOwnSocket(place.socket);
    if (await answers(place.socket)) {
      releaseLock(place.lock);
      return 'already running';
    }
    removeIfPresent(place.socket);
    removeIfPresent(place.port);
  } catch (error) {
    releaseLock(place.lock);
    throw error;
  }
  return new IndexHolder(options).serve();
}

/** How long a server whose tree could not be opened stays, for the clients still connecting. */
const failedOpenGraceMs = 5000;

class IndexHolder {
  private opening: Promise<KernelIndex>;
  /** Set while files found changed are re-indexed; requests wait for it. */
  private updating: Promise<IndexSummary> | undefined;
  /** The check under way, if any, and when the last finished one began. */
  private checking: Promise<void> | undefined;
  private checkedAt = Date.now();
  private lastRequestAt = Date.now();
  private queue: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Requests received and not yet answered. */
  private pending = 0;
  private idleMs: number;
  private resolveStopped: (value: 'stopped') => void = () => {};
  private server: Server | undefined;
  private door: LoopbackDoor | undefined;

  constructor(private readonly options: QueryServerOptions) {
    this.idleMs = options.idleMs;
    this.opening = this.open();
  }

  async serve(): Promise<'stopped'> {
    const { place, log } = this.options;
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    try {
      await listen(server, place.socket);
      // The folder already keeps others out; the socket says so too.
      chmodSync(place.socket, 0o600);
    } catch (error) {
      releaseLock(place.lock);
      throw error;
    }
    try {
      this.door = await openLoopbackDoor(place.port, (request) => this.answerShell(request));
    } catch (error) {
      // The shell client then runs the node client, which uses the socket.
      log(`no loopback door: ${error instanceof Error ? error.message : String(error)}`);
    }
    log(`serving ${this.options.root} (cache ${this.options.cache}) on ${place.socket}, pid ${process.pid}`);
    const stopped = new Promise<'stopped'>((resolve) => (this.resolveStopped = resolve));
    // Ended by a signal, it leaves no socket, lock or port file behind, as when it stops idle.
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => this.stop());
    this.restartIdleTimer();
    this.opening.then(
      () => this.scheduleCheck(),
      (error: unknown) => {
        // Nothing to serve but the error, as the command words it, to the clients that started this
        // server and are still connecting: stay a few seconds for them, not the whole idle period.
        this.options.log(`opening failed: ${error instanceof Error ? error.message : String(error)}`);
        this.idleMs = Math.min(this.idleMs, failedOpenGraceMs);
        this.restartIdleTimer();
      },
    );
    return stopped;
  }

  private open(): Promise<KernelIndex> {
    const args = parseArgs(['--kernel', this.options.root, '--cache', this.options.cache], []);
    const quiet: CommandOutput = { out: () => {}, err: () => {}, isTTY: false };
    const opening = openKernelFromArgs(args, quiet).then(({ index }) => index);
    opening.catch(() => {});
    return opening;
  }

  private accept(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    socket.on(
      'data',
      lineReader((line) => {
        void this.enqueue(() => this.answer(line)).then((reply) => {
          if (!socket.destroyed) socket.end(JSON.stringify(reply) + '\n');
        });
      }),
    );
  }

  /** bin/knr's shell client: answered here only if the node client it stands for would ask this server. */
  private async answerShell(request: ShellRequest): Promise<ShellReply> {
    const own = this.options.place;
    const plan = shellClientPlan(request);
    if (!plan || plan.place.folder !== own.folder) return { fallback: true };
    if (plan.place.socket !== own.socket) return { elsewhere: basename(plan.place.port, '.port') };
    return { answer: await this.enqueue(() => this.answerArgv(request.argv)) };
  }

  /** Requests are answered one at a time, in the order they came. */
  private enqueue(ask: () => Promise<QueryReply>): Promise<QueryReply> {
    this.pending++;
    const reply = this.queue.then(ask).catch((error: unknown): QueryReply => ({
      lines: [
        ['err', `knr: the query server failed: ${error instanceof Error ? error.message : String(error)}`],
      ],
      code: 1,
    }));
    this.queue = reply.then(() => {
      this.pending--;
      this.restartIdleTimer();
    });
    return reply;
  }

  private answer(line: string): Promise<QueryReply> {
    let request: QueryRequest;
    try {
      request = JSON.parse(line) as QueryRequest;
      if (!Array.isArray(request.argv) || !request.argv.every((arg) => typeof arg === 'string'))
        throw new Error('no argv');
    } catch {
      return Promise.resolve({
        lines: [['err', 'knr: the query server got a request it cannot read']],
        code: 2,
      });
    }
    return this.answerArgv(request.argv);
  }

  /** One request at a time: `--arch` is set on the shared index for the length of a query. */
  private async answerArgv(argv: string[]): Promise<QueryReply> {
    const lines: QueryReply['lines'] = [];
    const output: CommandOutput = {
      out: (text) => lines.push(['out', text]),
      err: (text) => lines.push(['err', text]),
      isTTY: false,
    };
    const [name] = argv;
    if (!servedCommands.includes(name ?? ''))
      return { lines: [['err', `knr: the query server does not answer '${name}'`]], code: 2 };
    const code = await runKnr(argv, output, this.opener());
    return { lines, code };
  }

  /** The index for one request; asked twice, the first answer met a damaged piece: open afresh. */
  private opener(): KernelOpener {
    let calls = 0;
    return async (args) => {
      if (calls++ > 0) this.opening = this.open();
      const index = await this.opening;
      this.lastRequestAt = Date.now();
      if (Date.now() - this.checkedAt > this.options.freshMs) await this.checkTree();
      else this.scheduleCheck();
      await this.updating;
      const arch = stringFlag(args, 'arch');
      if (arch === undefined) index.setPreferredArch(defaultArch);
      else applyArch(index, arch);
      return { index };
    };
  }

  /** The next check, unless one is under way or due, or the server has not been asked for a while. */
  private scheduleCheck(): void {
    if (this.stopped || this.checking || this.checkTimer) return;
    if (Date.now() - this.lastRequestAt > this.options.activeMs) return;
    this.checkTimer = setTimeout(() => {
      this.checkTimer = undefined;
      void this.checkTree();
    }, this.options.checkPauseMs);
  }

  /** The warm start's stat check, repeated: what changed is re-indexed before the next answer. */
  private checkTree(): Promise<void> {
    clearTimeout(this.checkTimer);
    this.checkTimer = undefined;
    this.checking ??= this.checkOnce().finally(() => {
      this.checking = undefined;
      this.scheduleCheck();
    });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    const began = Date.now();
    try {
      const index = await this.opening;
      const changed = await refreshOpenIndex(index, { cache: this.options.cache });
      if (changed) {
        this.updating = changed.reindexed;
        const summary = await changed.reindexed;
        this.options.log(`tree changed: ${summary.parsed} files re-indexed, ${summary.removed} removed`);
      }
      this.checkedAt = began;
    } catch (error) {
      this.options.log(`checking the tree failed: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof DamagedIndexError) this.opening = this.open();
    } finally {
      this.updating = undefined;
    }
  }

  /** Idle: no request waiting or answered for `idleMs` (the end of each answer restarts the count). */
  private restartIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending === 0) this.stop();
    }, this.idleMs);
  }

  /** Stops accepting, removes the socket while the lock is still held, then releases the lock. */
  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.checkTimer);
    this.server?.close();
    this.door?.close();
    removeIfPresent(this.options.place.socket);
    releaseLock(this.options.place.lock);
    this.options.log('stopped');
    this.resolveStopped('stopped');
  }
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Whether a server answers on `path` (a socket left by a dead one refuses the connection). */
export function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
