// Session state: the kernel trees being served, their indexes, the open documents and the user's
// language. Feature modules read it; only the wiring file and the index loader change it.
import { readFileSync } from 'node:fs';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LocalScope } from '../index/definition-lookup';
import type { LocalDeclarations } from '../index/local-declarations';
import type { IndexQueries } from '../index/queries';
import { messagesFor, type Messages } from '../l10n';
import { defaultSettings } from '../settings';
import type { IndexStateKind } from '../protocol';
import { fileToUri, uriToFile } from './convert';
import { plainTreeFile } from './tree-file';

export interface KernelTree {
  root: string;
  state: Exclude<IndexStateKind, 'not-a-kernel-tree'>;
  /** Why indexing failed. */
  message?: string;
  index?: IndexQueries;
  progress: { done: number; total: number };
}

/** A document inside a kernel tree whose index is ready. */
export interface Place {
  tree: KernelTree;
  index: IndexQueries;
  root: string;
  /** Relative to the tree's root. */
  file: string;
  uri: string;
}

/** An index being built: it answers from what is indexed so far; `ready` settles when all is indexed. */
export interface IndexBuild {
  index: IndexQueries;
  ready: Promise<unknown>;
}

/** Starts indexing one kernel tree (or loading it from the cache). `startIndex` in server/src/index/open.ts fits. */
export type IndexStarter = (
  root: string,
  options: {
    cache?: string;
    onProgress?: (done: number, total: number) => void;
    /** Files (relative to the root) to index before the rest: the open documents. */
    priorityFiles?: readonly string[];
    /** A part of the loaded index failed its check after it was ready: it must be built again. */
    onDamaged?: (reason: string) => void;
  },
) => IndexBuild;

const diskCacheSize = 8;

export class Session {
  messages: Messages = messagesFor('en');
  /** The locale the client reported at initialize, for the `auto` language setting. */
  clientLocale: string | undefined;
  trees: KernelTree[] = [];
  cache: string | undefined;
  /** The architecture read (`kernelNetReader.arch`), told to every index. */
  arch: string = defaultSettings.arch;
  /** Set by the shutdown request: later requests are refused, as the protocol asks. */
  shutDown = false;
  /** Finds parameters and locals for definition, hover and references; set once its parser loads. */
  localDeclarations: LocalDeclarations | undefined;
  /** Lines of recently read files that are not open in the editor. */
  private readonly diskLines = new Map<string, string[]>();

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
  ) {}

  log(message: string): void {
    this.connection.console.log(message);
  }

  treeOf(uri: string): { tree: KernelTree; file: string } | undefined {
    for (const tree of this.trees) {
      const file = uriToFile(tree.root, uri);
      if (file !== undefined) return { tree, file };
    }
    return undefined;
  }

  /** The place for a request on `uri`, or `undefined` when it is outside every tree or not indexed yet. */
  place(uri: string): Place | undefined {
    const found = this.treeOf(uri);
    if (!found || !found.tree.index) return undefined;
    return { tree: found.tree, index: found.tree.index, root: found.tree.root, file: found.file, uri };
  }

  /** The indexes that answer, the ones still filling included (lookups answer from what is indexed so far). */
  answeringIndexes(): { root: string; index: IndexQueries }[] {
    return this.trees.flatMap((tree) => (tree.index ? [{ root: tree.root, index: tree.index }] : []));
  }

  /** The indexes of the whole tree, for what a partial index would answer wrongly (scenarios, models). */
  readyIndexes(): { root: string; index: IndexQueries }[] {
    return this.trees.flatMap((tree) =>
      tree.index && tree.state === 'ready' ? [{ root: tree.root, index: tree.index }] : [],
    );
  }

  /** Whether a tree is still being indexed (so that what needs a whole index can say so). */
  stillIndexing(): boolean {
    return this.trees.some((tree) => tree.state === 'indexing');
  }

  /** One line of a document: the editor's text when open, else the file on disk. */
  lineText(place: Place, line: number): string | undefined {
    const document = this.documents.get(place.uri) ?? this.documents.get(fileToUri(place.root, place.file));
    if (document) {
      if (line < 0 || line >= document.lineCount) return undefined;
      return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
    }
    return this.diskFileLines(place)?.[line];
  }

  /** Parameters and locals of the function around a position of `place`, once the parser is loaded. */
  localScope(place: Place): LocalScope | undefined {
    const declarations = this.localDeclarations;
    return declarations && { declarations, readLine: (line) => this.lineText(place, line) };
  }

  private diskFileLines(place: Place): string[] | undefined {
    const key = `${place.root}\0${place.file}`;
    let lines = this.diskLines.get(key);
    if (!lines) {
      if (!plainTreeFile(place.root, place.file)) return undefined;
      try {
        lines = readFileSync(`${place.root}/${place.file}`, 'utf8').split('\n');
      } catch {
        return undefined;
      }
      if (this.diskLines.size >= diskCacheSize) {
        const oldest = this.diskLines.keys().next().value;
        if (oldest !== undefined) this.diskLines.delete(oldest);
      }
      this.diskLines.set(key, lines);
    }
    return lines;
  }

  forgetDiskText(root: string, file: string): void {
    this.diskLines.delete(`${root}\0${file}`);
  }
}
