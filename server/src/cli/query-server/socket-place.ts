// Where a user's query servers listen: one private folder per user (mode 0700, owned by the user), one
// socket per kernel tree + cache folder in it, with the lock and log of that server beside it. A folder
// or socket another user owns, or a folder others may enter, is refused: its server could answer with
// anything, or read what we ask.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, statSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class UnsafePlaceError extends Error {}

export interface ServerPlace {
  folder: string;
  socket: string;
  /** Holds the pid of the server that owns the socket (created exclusively). */
  lock: string;
  log: string;
  /**
   * For bin/knr's shell client: the server's loopback port and its two secrets (mode 0600); present
   * while the server listens.
   */
  port: string;
}

/**
 * KNR_SERVER_DIR, else $XDG_RUNTIME_DIR/knr, else the temporary folder's knr-<uid> (this process's
 * temporary folder: `tmpdir()` reads TMPDIR, TMP and TEMP from its own environment).
 */
export function serverFolder(uid: number = currentUid(), env: NodeJS.ProcessEnv = process.env): string {
  if (env.KNR_SERVER_DIR) return env.KNR_SERVER_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'knr');
  return join(tmpdir(), `knr-${uid}`);
}

/** Which build of the server a script is: its modification time. */
export function serverBuild(script: string): string {
  return String(statSync(script).mtimeMs);
}

export function currentUid(): number {
  return process.getuid?.() ?? 0;
}

/**
 * The server's files for the tree at `root` with its index in `cache` (both absolute, real paths),
 * run by the server script `build` (a rebuilt knr starts its own server; the old one stops when idle).
 */
export function serverPlace(
  root: string,
  cache: string,
  build: string,
  folder: string = serverFolder(),
): ServerPlace {
  const key = createHash('sha256').update(`${root}\0${cache}\0${build}`).digest('hex').slice(0, 16);
  const base = join(folder, key);
  return {
    folder,
    socket: `${base}.sock`,
    lock: `${base}.lock`,
    log: `${base}.log`,
    port: `${base}.port`,
  };
}

/** Creates the folder if missing (0700) and checks that it is ours alone. */
export function preparePrivateFolder(folder: string, uid: number = currentUid()): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  checkPrivateFolder(folder, lstatSync(folder), uid);
}

function checkPrivateFolder(folder: string, stat: Stats, uid: number): void {
  if (!stat.isDirectory())
    throw new UnsafePlaceError(`refusing ${folder}: not a folder (a query server's folder must be one)`);
  if (stat.uid !== uid)
    throw new UnsafePlaceError(`refusing ${folder}: it is owned by uid ${stat.uid}, not by you (uid ${uid})`);
  if ((stat.mode & 0o077) !== 0)
    throw new UnsafePlaceError(
      `refusing ${folder}: its mode is ${(stat.mode & 0o777).toString(8)}, others may enter it (it must be 700)`,
    );
}

/** A socket at `path` that is not ours is refused; a missing one is fine (the server is not running). */
export function checkOwnSocket(path: string, uid: number = currentUid()): void {
  let stat: Stats;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new UnsafePlaceError(`refusing ${path}: not a socket`);
  if (stat.uid !== uid)
    throw new UnsafePlaceError(`refusing ${path}: it is owned by uid ${stat.uid}, not by you (uid ${uid})`);
}
