// The persisted index: one file per kernel tree, written atomically (temporary file, fsync, rename),
// versioned and checksummed, so a crash leaves the previous index or none and a damaged or foreign
// file is rebuilt instead of trusted.
import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { PackedFacts } from './packed';
import type { FileProblem } from './file-indexer';

/** Bump when the shape of FileFacts or of this file changes: older files are rebuilt, not misread. */
export const indexFormatVersion = 2;
const magic = 'KNR-INDEX\n';

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
  payloadBytes: number;
  sha256: string;
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

export function loadPersistedIndex(path: string, root: string, toolVersion: string): LoadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return { status: 'missing' };
  }
  const headerEnd = bytes.indexOf('\n', magic.length);
  if (bytes.subarray(0, magic.length).toString() !== magic || headerEnd < 0) {
    return { status: 'rebuilt', reason: `${path} is not an index file` };
  }
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(magic.length, headerEnd).toString()) as Header;
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
  const payload = bytes.subarray(headerEnd + 1);
  if (payload.length !== header.payloadBytes) {
    return {
      status: 'rebuilt',
      reason: `${path} is truncated (${payload.length} of ${header.payloadBytes} bytes)`,
    };
  }
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) {
    return { status: 'rebuilt', reason: `${path} fails its checksum` };
  }
  try {
    return { status: 'loaded', index: deserialize(payload) as PersistedIndex };
  } catch (error) {
    return { status: 'rebuilt', reason: `${path} cannot be decoded: ${String(error)}` };
  }
}

export function writePersistedIndex(
  path: string,
  root: string,
  toolVersion: string,
  index: PersistedIndex,
): void {
  const payload = serialize(index);
  const header: Header = {
    formatVersion: indexFormatVersion,
    toolVersion,
    root,
    payloadBytes: payload.length,
    sha256: createHash('sha256').update(payload).digest('hex'),
  };
  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const descriptor = openSync(temporary, 'w');
  try {
    writeAll(descriptor, Buffer.from(magic + JSON.stringify(header) + '\n'));
    writeAll(descriptor, payload);
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(descriptor);
  renameSync(temporary, path);
}

function writeAll(descriptor: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length;) {
    written += writeSync(descriptor, bytes, written, bytes.length - written);
  }
}
