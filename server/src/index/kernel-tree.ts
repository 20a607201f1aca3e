// What makes a folder a kernel tree, its version, the C files in it, and which of them are not the
// kernel.
import { readFileSync, statSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export class NotAKernelTreeError extends Error {}

export interface KernelVersion {
  major: number;
  minor: number;
  patch: number;
  /** `6.1.158` */
  text: string;
}

function parseVersion(makefile: string): KernelVersion | undefined {
  const field = (name: string) => new RegExp(`^${name}\\s*=\\s*(\\d+)\\s*$`, 'm').exec(makefile)?.[1];
  const major = field('VERSION');
  const minor = field('PATCHLEVEL');
  if (major === undefined || minor === undefined) return undefined;
  const patch = field('SUBLEVEL') ?? '0';
  return { major: +major, minor: +minor, patch: +patch, text: `${major}.${minor}.${patch}` };
}

/** Checks that `root` looks like a Linux tree and returns its version; the error names what is missing. */
export function checkKernelTree(root: string): KernelVersion {
  let isDirectory = false;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    throw new NotAKernelTreeError(`kernel tree ${root} does not exist`);
  }
  if (!isDirectory) throw new NotAKernelTreeError(`kernel tree ${root} is not a directory`);
  let makefile: string;
  try {
    makefile = readFileSync(join(root, 'Makefile'), 'utf8');
  } catch {
    throw new NotAKernelTreeError(`${root} is not a kernel tree: it has no top-level Makefile`);
  }
  const version = parseVersion(makefile);
  if (!version) {
    throw new NotAKernelTreeError(
      `${root} is not a kernel tree: its Makefile sets no VERSION and PATCHLEVEL`,
    );
  }
  for (const folder of ['include/linux', 'net']) {
    try {
      if (statSync(join(root, folder)).isDirectory()) continue;
    } catch {
      // reported below
    }
    throw new NotAKernelTreeError(`${root} is not a kernel tree: it has no ${folder}/ folder`);
  }
  return version;
}

export interface SourceListing {
  /** Paths relative to the root, `/`-separated, sorted. */
  files: string[];
  /** Symbolic links are not followed (no loops, nothing outside the tree); their count. */
  symlinksSkipped: number;
  /** Folders that could not be read: relative path and error code. */
  unreadableFolders: { folder: string; code: string }[];
}

const isSource = (name: string) => name.endsWith('.c') || name.endsWith('.h');

/**
 * Code in a kernel tree that is not the kernel: user-space tools and selftests, host programs, examples
 * in the documentation and under samples/, and the boot wrappers that bring their own `memcpy` and
 * `error`.
 */
const outsideKernel = /^(?:tools|samples|scripts|Documentation|usr)\/|^arch\/[^/]+\/(?:boot|tools)\//;

export const isOutsideKernel = (file: string): boolean => outsideKernel.test(file);

/** Folders read at once: a tree of thousands of folders is listed in parallel, not one read after another. */
const foldersInFlight = 16;

/**
 * Every .c and .h file under `root`, without following links or entering dot-folders. Folders are
 * read without blocking, so a server answers (and a persisted index loads) meanwhile.
 */
export async function listSourceFiles(root: string): Promise<SourceListing> {
  const listing: SourceListing = { files: [], symlinksSkipped: 0, unreadableFolders: [] };
  const readFolder = async (folder: string): Promise<string[]> => {
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, folder), { withFileTypes: true });
    } catch (error) {
      listing.unreadableFolders.push({
        folder,
        code: (error as NodeJS.ErrnoException).code ?? String(error),
      });
      return [];
    }
    const subfolders: string[] = [];
    for (const entry of entries) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        if (isSource(entry.name) || !entry.name.includes('.')) listing.symlinksSkipped++;
      } else if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) subfolders.push(path);
      } else if (entry.isFile() && isSource(entry.name)) {
        listing.files.push(path);
      }
    }
    return subfolders;
  };
  const pending = [''];
  let reading = 0;
  await new Promise<void>((resolve) => {
    const next = () => {
      while (reading < foldersInFlight && pending.length > 0) {
        reading++;
        void readFolder(pending.pop()!).then((subfolders) => {
          reading--;
          pending.push(...subfolders);
          if (reading === 0 && pending.length === 0) resolve();
          else next();
        });
      }
    };
    next();
  });
  listing.files.sort();
  listing.unreadableFolders.sort((a, b) => (a.folder < b.folder ? -1 : 1));
  return listing;
}
