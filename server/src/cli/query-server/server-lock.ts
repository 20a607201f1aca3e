// The query server's lock file: created exclusively with the owner's pid, so one server answers for
// a tree and cache; a lock whose process is gone, or that stayed empty, is stale and taken over.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

/** Removes `path`; one already gone is no error. */
export function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Creates the lock holding our pid; a lock whose process is gone is stale and taken over. */
export function takeLock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (isAlive(lockHolder(path)) && !abandonedWhileWritten(path)) return false;
    removeIfPresent(path);
  }
  return false;
}

function lockHolder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A lock still empty seconds after its creation: its server died between creating and writing it. */
function abandonedWhileWritten(path: string): boolean {
  try {
    return lockHolder(path) === undefined && Date.now() - statSync(path).mtimeMs > 5000;
  } catch {
    return false;
  }
}

/** An unreadable or empty lock is being written by a starting server: alive. */
function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the lock if it is ours. */
export function releaseLock(path: string): void {
  if (lockHolder(path) === process.pid) removeIfPresent(path);
}
