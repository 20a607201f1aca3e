// The process entry of knr (bundled to dist/knr.js, run by bin/knr). A query command is answered by the
// shared query server of its tree; every other command, and --no-server, loads the whole CLI
// (dist/cli.js) into this process. This file and what it imports stay small: they are all a warm query loads.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { askServer, ServerStartError } from './client';
import { serverPlan, withoutNoServer, type ServerPlan } from './server-plan';
import { UnsafePlaceError } from './socket-place';

const argv = process.argv.slice(2);
const serverScript = join(__dirname, 'query-server.js');

function runInProcess(): void {
  process.argv = [...process.argv.slice(0, 2), ...withoutNoServer(argv)];
  createRequire(__filename)(join(__dirname, 'cli.js'));
}

function startServer(plan: ServerPlan) {
  // The first question waits for the index to load (minutes when the tree was never indexed).
  if (process.stderr.isTTY)
    process.stderr.write(`knr: starting the query server of ${plan.root} (its log: ${plan.place.log})\n`);
  const log = openSync(plan.place.log, 'a', 0o600);
  return spawn(process.execPath, [serverScript, plan.root, plan.cache, plan.build], {
    detached: true,
    stdio: ['ignore', log, log],
  });
}

// A reader that stops reading (`knr definition NULL | head -1`) has all it wants, as in main.ts.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const plan = serverPlan(argv, serverScript);
if (!plan) runInProcess();
else
  askServer(plan.place, { argv }, () => startServer(plan)).then(
    (reply) => {
      for (const [stream, text] of reply.lines)
        process[stream === 'out' ? 'stdout' : 'stderr'].write(text + '\n');
      process.exitCode = reply.code;
    },
    (error: unknown) => {
      if (error instanceof UnsafePlaceError) {
        process.stderr.write(`knr: ${error.message} (--no-server answers in this process)\n`);
        process.exitCode = 1;
      } else if (error instanceof ServerStartError) {
        process.stderr.write(`knr: ${error.message}\nknr: answering in this process\n`);
        runInProcess();
      } else {
        process.stderr.write(`knr: the query server: ${String(error)}\n`);
        process.exitCode = 1;
      }
    },
  );
