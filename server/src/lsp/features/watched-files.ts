// workspace/didChangeWatchedFiles: C sources and headers changed outside the editor are re-indexed.
import {
  DidChangeWatchedFilesNotification,
  type Connection,
  type DidChangeWatchedFilesParams,
} from 'vscode-languageserver';
import type { DocumentFollower } from './document-sync';

export const watchedGlob = '**/*.{c,h}';

export function registerFileWatchers(connection: Connection): void {
  void connection.client.register(DidChangeWatchedFilesNotification.type, {
    watchers: [{ globPattern: watchedGlob }],
  });
}

export function watchedFilesChanged(follower: DocumentFollower, params: DidChangeWatchedFilesParams): void {
  for (const change of params.changes) follower.changedOnDisk(change.uri);
}
