// workspace/didChangeWatchedFiles: C sources and headers changed outside the editor are re-indexed.
// A client that does not watch files gets the same from the server's own polling (tree-poll.ts).
import {
  DidChangeWatchedFilesNotification,
  type Connection,
  type DidChangeWatchedFilesParams,
} from 'vscode-languageserver';
import { fileToUri } from '../convert';
import type { Session } from '../session';
import type { DocumentFollower } from './document-sync';
import { pollBatch, pollIntervalMs, TreePoller } from './tree-poll';

const watchedGlob = '**/*.{c,h}';

export function registerFileWatchers(connection: Connection): void {
  void connection.client.register(DidChangeWatchedFilesNotification.type, {
    watchers: [{ globPattern: watchedGlob }],
  });
}

export function watchedFilesChanged(follower: DocumentFollower, params: DidChangeWatchedFilesParams): void {
  for (const change of params.changes) follower.changedOnDisk(change.uri);
}

/** For a client that does not watch files: polls each tree, reporting changes as watched files would. */
export function pollTrees(session: Session, follower: DocumentFollower): { dispose(): void } {
  const pollers = session.trees.map(async (tree) => {
    try {
      const poller = await TreePoller.start(
        tree.root,
        (file) => follower.changedOnDisk(fileToUri(tree.root, file)),
        () => tree.state === 'ready',
      );
      session.log(
        `the client does not watch files: polling ${tree.root} for outside changes (${pollBatch} files every ${pollIntervalMs} ms)`,
      );
      return poller;
    } catch (error) {
      session.log(
        `cannot poll ${tree.root} for changes: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  });
  return { dispose: () => pollers.forEach((poller) => void poller.then((p) => p?.dispose())) };
}
