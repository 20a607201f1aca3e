// Whether knr's command line goes to the query server, and which server: the tree and cache resolved
// the way the command itself resolves them (--kernel/KNR_KERNEL, --cache/KNR_CACHE, the default cache).
import { realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultCacheFolder } from '../../index/cache-folder';
import { parseArgs, stringFlag } from '../args';
import { noServerFlag, noServerVariable, servedCommands } from './served-commands';
import type { ShellRequest } from './loopback-door';
import { currentUid, serverBuild, serverFolder, serverPlace, type ServerPlace } from './socket-place';

/** What a command line's plan depends on besides the line: the environment and working folder. */
export interface PlanContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface ServerPlan {
  root: string;
  cache: string;
  build: string;
  place: ServerPlace;
}

/**
 * The server to ask, or undefined to run in this process: a command the server does not answer, help,
 * --no-server or KNR_NO_SERVER=1, and every line the command would reject or fail to open (no tree,
 * a bad flag), so that its error reads as it always did.
 */
export function serverPlan(
  argv: readonly string[],
  serverScript: string,
  { env, cwd }: PlanContext = { env: process.env, cwd: process.cwd() },
): ServerPlan | undefined {
  const [name, ...rest] = argv;
  if (name === undefined || !servedCommands.includes(name)) return undefined;
  if (rest.some((arg) => arg === '--help' || arg === '-h' || arg === noServerFlag)) return undefined;
  if (env[noServerVariable] === '1') return undefined;
  try {
    const args = parseArgs(rest, ['json']);
    const kernel = stringFlag(args, 'kernel', 'KNR_KERNEL', env);
    if (!kernel) return undefined;
    const root = realpathSync(resolve(cwd, kernel));
    const cache = absolute(
      resolve(cwd, stringFlag(args, 'cache', 'KNR_CACHE', env) ?? defaultCacheFolder(env)),
    );
    const build = serverBuild(serverScript);
    return { root, cache, build, place: serverPlace(root, cache, build, serverFolder(currentUid(), env)) };
  } catch {
    return undefined;
  }
}

/** The variables a plan reads, which bin/knr's shell client sends with its request. */
export const planVariables: readonly string[] = [
  noServerVariable,
  'KNR_KERNEL',
  'KNR_CACHE',
  'HOME',
  'XDG_CACHE_HOME',
  'KNR_SERVER_DIR',
  'XDG_RUNTIME_DIR',
  'TMPDIR',
  'TMP',
  'TEMP',
];

/**
 * The plan of the node client that bin/knr's shell client would run (dist/knr.js beside the script's
 * real path), with the shell's arguments, folder and variables; undefined when it cannot be known here.
 * That client's server folder may come from its temporary folder, which `tmpdir()` reads from this
 * process's environment: then only a client with the same TMPDIR, TMP and TEMP is planned.
 */
export function shellClientPlan(request: ShellRequest): ServerPlan | undefined {
  const { cwd } = request;
  const env = Object.fromEntries(
    planVariables.filter((name) => name in request.env).map((name) => [name, request.env[name]]),
  );
  if (!env.KNR_SERVER_DIR && !env.XDG_RUNTIME_DIR) {
    if (['TMPDIR', 'TMP', 'TEMP'].some((name) => env[name] !== process.env[name])) return undefined;
  }
  if (env.HOME === undefined) return undefined;
  let script: string;
  try {
    script = realpathSync(resolve(cwd, request.script));
  } catch {
    return undefined;
  }
  return serverPlan(request.argv, join(dirname(script), '..', 'dist', 'query-server.js'), { env, cwd });
}

function absolute(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return folder;
  }
}

/** The command line for the in-process CLI: --no-server is the client's flag alone. */
export function withoutNoServer(argv: readonly string[]): string[] {
  return argv.filter((arg) => arg !== noServerFlag);
}
