// Private network namespaces for live runs: created with unique names (knr-<pid>-<n>), made quiet
// (loopback up, IPv6 off so no router solicitations or DAD frames reach a packet socket), and always
// deleted: by the caller, by the cleanup registry on a signal or exit, or by a later sweep when the
// owning process died. Every command here runs inside a namespace (`ip -n NAME`, `ip netns exec`);
// nothing configures the host's own network namespace.
import { registerCleanup } from './cleanup';
import { killAndWait, runCommand, tryCommand } from './system';

export const namespacePrefix = 'knr-';
const ownedName = /^knr-(\d+)-(\d+)$/;

export interface LiveNamespace {
  readonly name: string;
  /** Kills what still runs inside and deletes the namespace (idempotent). */
  delete(): void;
}

let created = 0;

export function createNamespace(): LiveNamespace {
  const name = `${namespacePrefix}${process.pid}-${created++}`;
  runCommand(['ip', 'netns', 'add', name]);
  const release = registerCleanup(`network namespace ${name}`, () => deleteNamespace(name));
  try {
    runCommand(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
    disableIpv6(name);
  } catch (error) {
    release();
    throw error;
  }
  return { name, delete: release };
}

function disableIpv6(name: string): void {
  // Without IPv6 in the kernel there is nothing to switch off.
  if (tryCommand(['ip', 'netns', 'exec', name, 'test', '-d', '/proc/sys/net/ipv6']).status !== 0) return;
  runCommand([
    'ip',
    'netns',
    'exec',
    name,
    'sysctl',
    '-q',
    '-w',
    'net.ipv6.conf.all.disable_ipv6=1',
    'net.ipv6.conf.default.disable_ipv6=1',
  ]);
}

/** Kills the processes inside a namespace (their sockets close with them), then deletes it. */
export function deleteNamespace(name: string): void {
  const pids = tryCommand(['ip', 'netns', 'pids', name]).stdout.split(/\s+/).filter(Boolean);
  killAndWait(pids.map(Number));
  const result = tryCommand(['ip', 'netns', 'del', name]);
  if (result.status !== 0 && listNamespaces().includes(name)) {
    throw new Error(`could not delete network namespace ${name}: ${result.stderr.trim()}`);
  }
}

export function listNamespaces(): string[] {
  return tryCommand(['ip', 'netns', 'list'])
    .stdout.split('\n')
    .map((line) => line.split(' ')[0])
    .filter(Boolean);
}

/** Namespaces this tool created (knr-<pid>-<n>), whoever owns them. */
export function listKnrNamespaces(): string[] {
  return listNamespaces().filter((name) => ownedName.test(name));
}

/** The namespaces that the process `pid` created (knr-<pid>-<n>). */
export function namespacesOwnedBy(pid: number): string[] {
  return listKnrNamespaces().filter((name) => name.startsWith(`${namespacePrefix}${pid}-`));
}

/** Whether a process exists (EPERM: it exists but belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes knr namespaces whose owner process is dead (left by a crash or SIGKILL); returns them. */
export function sweepStaleNamespaces(): string[] {
  const stale = listKnrNamespaces().filter((name) => {
    const owner = Number(ownedName.exec(name)?.[1]);
    return owner !== process.pid && !processAlive(owner);
  });
  for (const name of stale) deleteNamespace(name);
  return stale;
}
