// The query server's loopback door, for bin/knr's shell client: bash can open TCP (/dev/tcp), not a Unix
// socket. It listens on 127.0.0.1 only, on a port the system picks, and publishes the port with two
// secrets, fresh for each server, in a file only the user can read (mode 0600 in the private folder).
// Anyone local can connect to the port, so each side proves itself before the other says anything:
// the client shows the client secret, and a connection that does not gets nothing and is closed; the
// server then shows the server secret, and the client sends its request (argv, folder, environment)
// only to a peer that did: a dead server's port may since be another user's.
//
//   client: "knr-hello <client secret>\n"      server: "knr-server <server secret>\n"
//   client: NUL-ended fields: "knr-request-1", the script as run ($0), the working folder (physical),
//           the argument count, the arguments, NAME=VALUE for each variable sent, then "" (the end)
//   server: "answer <exit status>\n", then "out <n>\n" or "err <n>\n" each followed by n bytes for that
//           stream, in the order printed, then "end\n"; or "fallback\n" (the node client answers it);
//           or "elsewhere <key>\n" (the server of <key>.port in the same folder answers it)
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { removeIfPresent } from './server-lock';
import type { QueryReply } from './wire';

export interface ShellRequest {
  /** bin/knr's path as it was run, maybe relative to `cwd`. */
  script: string;
  cwd: string;
  argv: string[];
  /** The variables the client sent (the ones a plan reads); a variable not sent is unset. */
  env: Record<string, string>;
}

export type ShellReply = { answer: QueryReply } | { fallback: true } | { elsewhere: string };

export interface LoopbackDoor {
  /** Stops listening and removes the port file. */
  close(): void;
}

export const requestVersion = 'knr-request-1';
/** A connection that has not sent its whole request by then is closed. */
const requestTimeoutMs = 10_000;
const helloLimit = 256;
const requestLimit = 1 << 20;

/** Listens on 127.0.0.1 and writes the port file; `answer` replies to each proven client's request. */
export async function openLoopbackDoor(
  portFile: string,
  answer: (request: ShellRequest) => Promise<ShellReply>,
): Promise<LoopbackDoor> {
  const clientSecret = randomBytes(32).toString('hex');
  const serverSecret = randomBytes(32).toString('hex');
  const hello = Buffer.from(`knr-hello ${clientSecret}`);
  const server = createServer((socket) => serveConnection(socket, hello, serverSecret, answer));
  await listenOnLoopback(server);
  const { port } = server.address() as AddressInfo;
  try {
    writePrivateFile(portFile, `${port} ${clientSecret} ${serverSecret}\n`);
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    close() {
      server.close();
      removeIfPresent(portFile);
    },
  };
}

function listenOnLoopback(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Written beside and renamed into place, so a reader never sees half of it. */
function writePrivateFile(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  removeIfPresent(temporary);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

function serveConnection(
  socket: Socket,
  hello: Buffer,
  serverSecret: string,
  answer: (request: ShellRequest) => Promise<ShellReply>,
): void {
  let received = Buffer.alloc(0);
  let proven = false;
  let answering = false;
  const timer = setTimeout(() => socket.destroy(), requestTimeoutMs);
  socket.on('close', () => clearTimeout(timer));
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    if (answering) return;
    received = Buffer.concat([received, chunk]);
    if (!proven) {
      const end = received.indexOf(10);
      if (end < 0) {
        if (received.length > helloLimit) socket.destroy();
        return;
      }
      const line = received.subarray(0, end);
      if (line.length !== hello.length || !timingSafeEqual(line, hello)) {
        socket.destroy();
        return;
      }
      proven = true;
      socket.write(`knr-server ${serverSecret}\n`);
      received = received.subarray(end + 1);
    }
    if (received.length > requestLimit) {
      socket.destroy();
      return;
    }
    const request = readRequest(received);
    if (request === 'incomplete') return;
    answering = true;
    clearTimeout(timer);
    const reply =
      request === 'unreadable' ? Promise.resolve<ShellReply>({ fallback: true }) : answer(request);
    void reply.then(
      (settled) => socket.end(encodeReply(settled)),
      () => socket.end(encodeReply({ fallback: true })),
    );
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request once every field has come; 'unreadable' for anything malformed, and for a field that is
 * not UTF-8 (the node client would read such an argument otherwise: it answers those itself).
 */
export function readRequest(bytes: Buffer): ShellRequest | 'incomplete' | 'unreadable' {
  const fields: string[] = [];
  let start = 0;
  let end: number;
  try {
    while ((end = bytes.indexOf(0, start)) >= 0) {
      fields.push(utf8.decode(bytes.subarray(start, end)));
      start = end + 1;
    }
  } catch {
    return 'unreadable';
  }
  const [version, script, cwd, count] = fields;
  if (version === undefined) return 'incomplete';
  if (version !== requestVersion) return 'unreadable';
  if (count === undefined) return 'incomplete';
  const argc = Number(count);
  if (!/^\d+$/.test(count) || script === '' || cwd === '') return 'unreadable';
  const argv = fields.slice(4, 4 + argc);
  if (argv.length < argc) return 'incomplete';
  const env: Record<string, string> = {};
  for (const field of fields.slice(4 + argc)) {
    if (field === '') return { script, cwd, argv, env };
    const eq = field.indexOf('=');
    if (eq <= 0) return 'unreadable';
    env[field.slice(0, eq)] = field.slice(eq + 1);
  }
  return 'incomplete';
}

/** The reply as the shell client reads it; a stream's consecutive lines go as one chunk. */
export function encodeReply(reply: ShellReply): Buffer {
  if ('fallback' in reply) return Buffer.from('fallback\n');
  if ('elsewhere' in reply) return Buffer.from(`elsewhere ${reply.elsewhere}\n`);
  const parts = [Buffer.from(`answer ${reply.answer.code}\n`)];
  const lines = reply.answer.lines;
  for (let first = 0; first < lines.length;) {
    const stream = lines[first][0];
    let next = first;
    let text = '';
    while (next < lines.length && lines[next][0] === stream) text += lines[next++][1] + '\n';
    const bytes = Buffer.from(text, 'utf8');
    parts.push(Buffer.from(`${stream} ${bytes.length}\n`), bytes);
    first = next;
  }
  parts.push(Buffer.from('end\n'));
  return Buffer.concat(parts);
}
