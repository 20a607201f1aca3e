// Scratch directories of live runs (the compiled scenario, the compiled harness). Their names carry
// the owning process (knr-live-<pid>-...), so that a later run removes those whose owner died
// without cleaning up: a SIGKILL runs no cleanup.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from './namespaces';

const ownedName = /^knr-live-(\d+)-/;

/** A new directory under the system's temporary directory, named for this process. */
export function createWorkDir(): string {
  return mkdtempSync(join(tmpdir(), `knr-live-${process.pid}-`));
}

/** Every work directory of this naming, with its owner's process id. */
function ownedWorkDirs(): { path: string; owner: number }[] {
  return readdirSync(tmpdir()).flatMap((name) => {
    const owner = ownedName.exec(name)?.[1];
    return owner === undefined ? [] : [{ path: join(tmpdir(), name), owner: Number(owner) }];
  });
}

/** The work directories of the process `pid`. */
export function workDirsOwnedBy(pid: number): string[] {
  return ownedWorkDirs()
    .filter(({ owner }) => owner === pid)
    .map(({ path }) => path);
}

/** Removes work directories whose owner process is dead; returns them. */
export function sweepStaleWorkDirs(): string[] {
  const stale = ownedWorkDirs()
    .filter(({ owner }) => owner !== process.pid && !processAlive(owner))
    .map(({ path }) => path);
  for (const directory of stale) rmSync(directory, { recursive: true, force: true });
  return stale;
}
