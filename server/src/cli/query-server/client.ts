// knr's side of the query server: ask the server of this tree + cache, starting it when none answers.
// Kept small (no index code): it is what a warm query's process loads.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { checkOwnSocket, preparePrivateFolder, type ServerPlace } from './socket-place';
import { lineReader, type QueryReply, type QueryRequest } from './wire';

/** The server did not come up; the caller answers in its own process instead. */
export class ServerStartError extends Error {}

/** How long a started server may take to listen (it listens before it opens the index). */
const startTimeoutMs = 30_000;
const retryMs = 20;

export async function askServer(
  place: ServerPlace,
  request: QueryRequest,
  startServer: () => ChildProcess,
): Promise<QueryReply> {
  preparePrivateFolder(place.folder);
  checkOwnSocket(place.socket);
  const first = await exchange(place.socket, request);
  if (first !== 'no server') return first;
  const child = startServer();
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code ?? 1));
  child.unref();
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, retryMs));
    checkOwnSocket(place.socket);
    const reply = await exchange(place.socket, request);
    if (reply !== 'no server') return reply;
    // Exit 0: another process won the race to start and is about to listen.
    if ((exitCode !== null && exitCode !== 0) || Date.now() > deadline)
      throw new ServerStartError(
        `the query server did not start${exitCode ? ` (exit status ${exitCode})` : ''}; its log: ${place.log}${logTail(place.log)}`,
      );
  }
}

function logTail(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    return '\n' + lines.slice(-5).join('\n');
  } catch {
    return '';
  }
}

/**
 * Sends the request and reads the reply; 'no server' when nothing listens (no socket, or one left by a
 * dead server). A server that dies while answering is an error, not a reason to ask again.
 */
function exchange(path: string, request: QueryRequest): Promise<QueryReply | 'no server'> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let connected = false;
    let replied = false;
    socket.once('connect', () => {
      connected = true;
      socket.write(JSON.stringify(request) + '\n');
    });
    socket.on(
      'data',
      lineReader((line) => {
        replied = true;
        socket.end();
        resolve(JSON.parse(line) as QueryReply);
      }),
    );
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (!connected && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')) resolve('no server');
      else reject(error);
    });
    socket.once('close', () => {
      if (connected && !replied)
        reject(new Error('the query server closed the connection without an answer'));
    });
  });
}
