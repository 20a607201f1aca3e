// Whether knr's command line goes to the query server, and which server: the tree and cache resolved
// the way the command itself resolves them (--kernel/KNR_KERNEL, --cache/KNR_CACHE, the default cache).
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultCacheFolder } from '../../index/cache-folder';
import { parseArgs, stringFlag } from '../args';
import { noServerFlag, noServerVariable, servedCommands } from './served-commands';
import { serverBuild, serverPlace, type ServerPlace } from './socket-place';

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
export function serverPlan(argv: readonly string[], serverScript: string): ServerPlan | undefined {
  const [name, ...rest] = argv;
  if (name === undefined || !servedCommands.includes(name)) return undefined;
  if (rest.some((arg) => arg === '--help' || arg === '-h' || arg === noServerFlag)) return undefined;
  if (process.env[noServerVariable] === '1') return undefined;
  try {
    const args = parseArgs(rest, ['json']);
    const kernel = stringFlag(args, 'kernel', 'KNR_KERNEL');
    if (!kernel) return undefined;
    const root = realpathSync(kernel);
    const cache = absolute(stringFlag(args, 'cache', 'KNR_CACHE') ?? defaultCacheFolder());
    const build = serverBuild(serverScript);
    return { root, cache, build, place: serverPlace(root, cache, build) };
  } catch {
    return undefined;
  }
}

function absolute(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return resolve(folder);
  }
}

/** The command line for the in-process CLI: --no-server is the client's flag alone. */
export function withoutNoServer(argv: readonly string[]): string[] {
  return argv.filter((arg) => arg !== noServerFlag);
}
