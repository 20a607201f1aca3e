// The query server's process (bundled to dist/query-server.js), started by knr's client, detached:
// `node query-server.js ROOT CACHE BUILD` (BUILD as `serverBuild` gives it for this script), its output
// going to the log beside the socket.
import {
  activeVariable,
  checkPauseVariable,
  defaultActiveMs,
  defaultCheckPauseMs,
  defaultFreshMs,
  defaultIdleSeconds,
  freshVariable,
  idleVariable,
} from './served-commands';
import { setFlagsFromString } from 'node:v8';
import { runQueryServer } from './server';
import { preparePrivateFolder, serverPlace } from './socket-place';

// The tree is checked every 2 s while the server is in use, and each check leaves its listing and
// stats behind (tens of MB). By default the heap may grow to about twice its live size before a full
// collection: 110 MB of swing on the 6.1 tree. At 15% it stays near its live size. Set here, not on
// the command line, where a flag a later node drops would stop it from starting.
setFlagsFromString('--heap-growing-percent=15');

function setting(variable: string, fallback: number): number {
  const value = process.env[variable];
  const number = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(number) && number >= 0 ? number : fallback;
}

const [root, cache, build] = process.argv.slice(2);
const log = (text: string) => process.stdout.write(`${new Date().toISOString()} ${text}\n`);
if (!root || !cache || !build) {
  log('usage: query-server.js ROOT CACHE BUILD');
  process.exit(2);
}
const place = serverPlace(root, cache, build);
preparePrivateFolder(place.folder);
runQueryServer({
  root,
  cache,
  place,
  idleMs: setting(idleVariable, defaultIdleSeconds) * 1000,
  checkPauseMs: setting(checkPauseVariable, defaultCheckPauseMs),
  freshMs: setting(freshVariable, defaultFreshMs),
  activeMs: setting(activeVariable, defaultActiveMs),
  log,
}).then(
  (outcome) => {
    if (outcome === 'already running') log('another server holds this tree; exiting');
    process.exit(0);
  },
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
