// The index follows open documents: a document the index has not reached yet is indexed as soon as
// it opens; after a pause in typing, the edited file is re-extracted from the editor's text; on
// close, from disk. Binary or oversized buffers keep their indexed facts.
import type { TextDocumentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { asEditable, reindexFile, skipReason } from '../reindex';
import type { Session } from '../session';

const settleMs = 300;

export class DocumentFollower {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** The version each document was opened with: its first content event is the open itself. */
  private readonly openedVersion = new Map<string, number>();
  private warnedUnsupported = false;

  constructor(private readonly session: Session) {}

  opened(event: TextDocumentChangeEvent<TextDocument>): void {
    const { uri, version } = event.document;
    this.openedVersion.set(uri, version);
    const place = this.session.place(uri);
    if (place && place.index.facts(place.file) === undefined) void this.update(uri, 'buffer');
  }

  changed(event: TextDocumentChangeEvent<TextDocument>): void {
    const { uri, version } = event.document;
    if (this.openedVersion.get(uri) === version) return;
    clearTimeout(this.pending.get(uri));
    this.pending.set(
      uri,
      setTimeout(() => void this.update(uri, 'buffer'), settleMs),
    );
  }

  closed(event: TextDocumentChangeEvent<TextDocument>): void {
    const uri = event.document.uri;
    const edited = this.openedVersion.get(uri) !== event.document.version;
    clearTimeout(this.pending.get(uri));
    this.pending.delete(uri);
    this.openedVersion.delete(uri);
    if (edited) void this.update(uri, 'disk');
  }

  /** Files changed on disk (watched files): re-read unless open, where the editor's text wins. */
  changedOnDisk(uri: string): void {
    if (this.session.documents.get(uri)) return;
    void this.update(uri, 'disk');
  }

  /** The index's workers read files from disk: once they are done, open edited buffers are re-applied. */
  reapplyEdited(root: string): void {
    for (const document of this.session.documents.all()) {
      const edited = this.openedVersion.get(document.uri) !== document.version;
      if (edited && this.session.place(document.uri)?.root === root) void this.update(document.uri, 'buffer');
    }
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private async update(uri: string, source: 'buffer' | 'disk'): Promise<void> {
    this.pending.delete(uri);
    const place = this.session.place(uri);
    if (!place) return;
    this.session.forgetDiskText(place.root, place.file);
    const editable = asEditable(place.index);
    if (!editable) {
      if (!this.warnedUnsupported)
        this.session.log(this.session.messages.format('server.reindexUnsupported'));
      this.warnedUnsupported = true;
      return;
    }
    let text: string | undefined;
    if (source === 'buffer') {
      text = this.session.documents.get(uri)?.getText();
      if (text === undefined) return;
      const reason = skipReason(text);
      if (reason !== undefined) {
        this.session.log(`not re-indexing ${place.file}: ${reason}`);
        return;
      }
    }
    try {
      await reindexFile(editable, place.root, place.file, text);
    } catch (error) {
      this.session.log(
        `re-indexing ${place.file} failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
    }
  }
}
