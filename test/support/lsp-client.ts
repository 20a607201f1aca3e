// A real JSON-RPC client that drives `knr lsp --stdio` in a child process, as an editor would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from './prerequisites';

export interface LspSession {
  connection: MessageConnection;
  process: ChildProcessWithoutNullStreams;
  stderr: () => string;
  close(): Promise<void>;
}

/** knr's node client, run as `node knrBinary() ...` (bin/knr is a shell script that runs it). */
export function knrBinary(): string {
  return join(repoRoot, 'dist', 'knr.js');
}

/** bin/knr itself, run as a user runs it: asks a running query server without node when it can. */
export function knrScript(): string {
  return join(repoRoot, 'bin', 'knr');
}

export function startLspServer(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): LspSession {
  const child = spawn(process.execPath, [knrBinary(), 'lsp', '--stdio', ...extraArgs], {
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.listen();
  return {
    connection,
    process: child,
    stderr: () => stderr,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        try {
          await connection.sendRequest('shutdown');
          await connection.sendNotification('exit');
        } catch {
          child.kill();
        }
        await exited;
      }
      connection.dispose();
    },
  };
}
