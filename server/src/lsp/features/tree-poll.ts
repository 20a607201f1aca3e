// Outside edits for a client that does not watch files (neovim on Linux offers no
// workspace/didChangeWatchedFiles): the server stats the tree's .c/.h files and their folders itself,
// a batch per tick, and reports each file that changed, appeared or vanished. Polling was chosen over
// fs.watch: Node 20's recursive fs.watch on Linux puts an inotify watch on each of a tree's ~5,000
// folders (near the default per-user limit of some systems, and shared with the editor), while a small
// batch of stat calls is a bounded cost per tick whatever the tree's size (the first stamps are taken
// without blocking). A whole 6.1 tree (about 60,000 entries) is swept in about a minute; a small tree
// within a tick.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listSourceFiles } from '../../index/kernel-tree';

/** Entries stat'ed per tick, and the time between ticks: 1,000 a second, in slices short enough not to delay a request. */
export const pollBatch = 250;
export const pollIntervalMs = 250;

interface Stamp {
  mtimeMs: number;
  size: number;
}

const isSource = (name: string) => name.endsWith('.c') || name.endsWith('.h');

/** The first stamps of a whole tree, taken on libuv's threads so that the server answers meanwhile. */
async function stampsOf(root: string, paths: string[]): Promise<(Stamp | undefined)[]> {
  const stamps: (Stamp | undefined)[] = [];
  for (let start = 0; start < paths.length; start += pollBatch) {
    const batch = paths.slice(start, start + pollBatch).map((path) =>
      stat(join(root, path)).then(
        (found) => ({ mtimeMs: found.mtimeMs, size: found.size }),
        () => undefined,
      ),
    );
    stamps.push(...(await Promise.all(batch)));
  }
  return stamps;
}

function stampOf(path: string): Stamp | undefined {
  try {
    const stat = statSync(path);
    return { mtimeMs: stat.mtimeMs, size: stat.size };
  } catch {
    return undefined;
  }
}

export class TreePoller {
  /** Source files and the folders that hold them (`''` is the root), with their stamps when last seen. */
  private readonly files = new Map<string, Stamp | undefined>();
  private readonly folders = new Map<string, Stamp | undefined>();
  /** Where the sweep is: the entries of this round, and how far it got. */
  private round: { kind: 'file' | 'folder'; path: string }[] = [];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly root: string,
    /** Told the tree-relative path of each source file that changed, appeared or vanished. */
    private readonly onChange: (file: string) => void,
    /** Ticks do nothing until the tree's index is ready (a change before then is seen at the first tick). */
    private readonly isReady: () => boolean,
  ) {}

  /** Lists the tree and records its stamps, then polls until `dispose`. */
  static async start(
    root: string,
    onChange: (file: string) => void,
    isReady: () => boolean,
    intervalMs = pollIntervalMs,
  ): Promise<TreePoller> {
    const poller = new TreePoller(root, onChange, isReady);
    const { files } = await listSourceFiles(root);
    const folders = new Set<string>(['']);
    for (const file of files) {
      for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1))
        folders.add(file.slice(0, slash));
    }
    const fileStamps = await stampsOf(root, files);
    files.forEach((file, i) => poller.files.set(file, fileStamps[i]));
    const folderList = [...folders];
    const folderStamps = await stampsOf(root, folderList);
    folderList.forEach((folder, i) => poller.folders.set(folder, folderStamps[i]));
    poller.timer = setInterval(() => poller.tick(), intervalMs);
    // Polling never keeps a server alive whose client has gone.
    poller.timer.unref();
    return poller;
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  /** One batch: files whose stamp changed are reported; a changed folder is read for new files. */
  tick(): void {
    if (!this.isReady()) return;
    if (this.next >= this.round.length) {
      this.round = [
        ...[...this.folders.keys()].map((path) => ({ kind: 'folder' as const, path })),
        ...[...this.files.keys()].map((path) => ({ kind: 'file' as const, path })),
      ];
      this.next = 0;
    }
    const end = Math.min(this.round.length, this.next + pollBatch);
    for (; this.next < end; this.next++) {
      const { kind, path } = this.round[this.next];
      if (kind === 'folder') this.checkFolder(path);
      else this.checkFile(path);
    }
  }

  private checkFile(file: string): void {
    if (!this.files.has(file)) return;
    const before = this.files.get(file);
    const now = stampOf(join(this.root, file));
    if (now?.mtimeMs === before?.mtimeMs && now?.size === before?.size) return;
    if (now) this.files.set(file, now);
    else this.files.delete(file);
    this.onChange(file);
  }

  private checkFolder(folder: string): void {
    if (!this.folders.has(folder)) return;
    const before = this.folders.get(folder);
    const now = stampOf(join(this.root, folder));
    if (now?.mtimeMs === before?.mtimeMs) return;
    if (!now) {
      this.folders.delete(folder);
      return;
    }
    this.folders.set(folder, now);
    this.readFolder(folder);
  }

  /** New source files and folders in a folder that changed (and in new folders below it). */
  private readFolder(folder: string): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(this.root, folder), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory() && !entry.name.startsWith('.') && !this.folders.has(path)) {
        this.folders.set(path, stampOf(join(this.root, path)));
        this.readFolder(path);
      } else if (entry.isFile() && isSource(entry.name) && !this.files.has(path)) {
        this.files.set(path, stampOf(join(this.root, path)));
        this.onChange(path);
      }
    }
  }
}
