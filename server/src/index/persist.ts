// The persisted index: one file per kernel tree, written atomically (temporary file, fsync, rename),
// versioned and checksummed, so a crash leaves the previous index or none and a damaged or foreign
// file is rebuilt instead of trusted. It is written and read in sections of a few thousand files, so
// neither side ever holds a second copy of the whole index in one buffer.
//
// Layout: magic line, header JSON line, then sections `[u32 length][v8-serialized value]` (the string
// table first, then arrays of PersistedFile), a u32 0, and the SHA-256 of every section byte.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { FileProblem } from './file-indexer';
import type { PackedFacts } from './packed';

/** Bump when the shape of FileFacts or of this file changes: older files are rebuilt, not misread. */
export const indexFormatVersion = 3;
const magic = 'KNR-INDEX\n';
const filesPerSection = 2000;

export interface PersistedFile {
  file: string;
  mtimeMs: number;
  size: number;
  /** Ids refer to the string table saved with them. */
  packed?: PackedFacts;
  problem?: FileProblem;
}

export interface PersistedIndex {
  strings: string[];
  files: PersistedFile[];
}

interface Header {
  formatVersion: number;
  toolVersion: string;
  root: string;
}

export function defaultCacheFolder(): string {
  return (
    process.env.KNR_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kernel-net-reader')
  );
}

/** Where the index of the tree at `root` (an absolute, real path) lives inside `cacheFolder`. */
export function indexFilePath(cacheFolder: string, root: string): string {
  const key = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return join(cacheFolder, key, 'index.bin');
}

export type LoadResult =
  { status: 'loaded'; index: PersistedIndex } | { status: 'missing' } | { status: 'rebuilt'; reason: string };

/** Sequential reads from a file descriptor. */
class Reader {
  private position = 0;
  constructor(private readonly descriptor: number) {}

  read(length: number): Buffer | undefined {
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const count = readSync(this.descriptor, buffer, filled, length - filled, this.position);
      if (count === 0) return undefined;
      filled += count;
      this.position += count;
    }
    return buffer;
  }

  readLine(limit: number): string | undefined {
    const start = this.position;
    const chunk = Buffer.allocUnsafe(limit);
    const count = readSync(this.descriptor, chunk, 0, limit, start);
    const end = chunk.subarray(0, count).indexOf('\n');
    if (end < 0) return undefined;
    this.position = start + end + 1;
    return chunk.subarray(0, end).toString();
  }
}

function readSections(reader: Reader, hash: Hash): unknown[] | string {
  const sections: unknown[] = [];
  for (;;) {
    const lengthBytes = reader.read(4);
    if (!lengthBytes) return 'it is truncated';
    hash.update(lengthBytes);
    const length = lengthBytes.readUInt32LE(0);
    if (length === 0) break;
    const bytes = reader.read(length);
    if (!bytes) return 'it is truncated';
    hash.update(bytes);
    try {
      sections.push(deserialize(bytes));
    } catch {
      return 'a section cannot be decoded';
    }
  }
  const checksum = reader.read(32);
  if (!checksum || !checksum.equals(hash.digest())) return 'it fails its checksum';
  return sections;
}

export function loadPersistedIndex(path: string, root: string, toolVersion: string): LoadResult {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch {
    return { status: 'missing' };
  }
  try {
    const reader = new Reader(descriptor);
    if (reader.readLine(magic.length) !== magic.slice(0, -1)) {
      return { status: 'rebuilt', reason: `${path} is not an index file` };
    }
    let header: Header;
    try {
      header = JSON.parse(reader.readLine(64 * 1024) ?? '') as Header;
    } catch {
      return { status: 'rebuilt', reason: `${path} has a damaged header` };
    }
    if (header.formatVersion !== indexFormatVersion || header.toolVersion !== toolVersion) {
      return {
        status: 'rebuilt',
        reason: `${path} was written by another version (format ${header.formatVersion}, tool ${header.toolVersion})`,
      };
    }
    if (header.root !== root) return { status: 'rebuilt', reason: `${path} belongs to ${header.root}` };
    const sections = readSections(reader, createHash('sha256'));
    if (typeof sections === 'string') return { status: 'rebuilt', reason: `${path}: ${sections}` };
    const [strings, ...fileSections] = sections as [string[], ...PersistedFile[][]];
    return { status: 'loaded', index: { strings, files: fileSections.flat() } };
  } finally {
    closeSync(descriptor);
  }
}

export function writePersistedIndex(
  path: string,
  root: string,
  toolVersion: string,
  index: PersistedIndex,
): void {
  const header: Header = { formatVersion: indexFormatVersion, toolVersion, root };
  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const descriptor = openSync(temporary, 'w');
  try {
    writeAll(descriptor, Buffer.from(magic + JSON.stringify(header) + '\n'));
    const hash = createHash('sha256');
    const writeSection = (value: unknown) => {
      const bytes = serialize(value);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length, 0);
      hash.update(length).update(bytes);
      writeAll(descriptor, length);
      writeAll(descriptor, bytes);
    };
    writeSection(index.strings);
    for (let start = 0; start < index.files.length; start += filesPerSection) {
      writeSection(index.files.slice(start, start + filesPerSection));
    }
    const end = Buffer.alloc(4);
    hash.update(end);
    writeAll(descriptor, end);
    writeAll(descriptor, hash.digest());
    fsyncSync(descriptor);
    closeSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  renameSync(temporary, path);
}

function writeAll(descriptor: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length;) {
    written += writeSync(descriptor, bytes, written, bytes.length - written);
  }
}
