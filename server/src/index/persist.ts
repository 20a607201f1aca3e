// The persisted index: one file per kernel tree holding a FactStore's flat arrays as raw bytes, so
// loading is reading the file and checking it, with no decoding: the arrays are used in place.
// Written atomically (temporary file, fsync, rename), versioned and checksummed, so a crash leaves
// the previous index or none, and a damaged or foreign file is rebuilt instead of trusted.
//
// Layout: magic line, header JSON line (versions, root, and each section's name, type and length),
// zero padding to 8 bytes, the sections (each padded to 8 bytes), then the SHA-256 of every byte
// before it.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadReply, ReadRequest } from './read-worker';
import { FactStore, type StoreSections } from './store/fact-store';
import { workerScript } from './worker-script';

/**
 * Bump when the layout of FactStore or of this file changes, or when extraction yields different facts
 * from the same file: older files are rebuilt, not misread or trusted. 6: kernel syntax masked; 7: and
 * continuation lines ending in CRLF recognised as such; 8: functions defined by macros
 * (`SYSCALL_DEFINE3(socket, ...)`) recovered; 9: #define names front-coded.
 */
export const indexFormatVersion = 9;
const magic = 'KNR-INDEX\n';
const checksumBytes = 32;

const arrayTypes = {
  Int32Array,
  Uint32Array,
  Uint8Array,
  Float64Array,
};
type ArrayType = keyof typeof arrayTypes;

interface SectionHeader {
  name: string;
  type: ArrayType;
  byteLength: number;
}

interface Header {
  formatVersion: number;
  toolVersion: string;
  root: string;
  sections: SectionHeader[];
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
  { status: 'loaded'; store: FactStore } | { status: 'missing' } | { status: 'rebuilt'; reason: string };

const padding = (length: number) => (8 - (length % 8)) % 8;

/**
 * Reads and checks the index of `root`. The file is read and hashed on a worker thread, so a server
 * keeps answering (and the tree is listed) while a large index loads.
 */
export async function loadPersistedIndex(
  path: string,
  root: string,
  toolVersion: string,
): Promise<LoadResult> {
  let bytes: Buffer;
  let digest: Buffer;
  try {
    ({ bytes, digest } = await readHashing(path));
  } catch (error) {
    // No index yet is the usual first start; any other failure is worth a reason.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'rebuilt', reason: `${path} could not be read: ${(error as Error).message}` };
  }
  if (bytes.subarray(0, magic.length).toString() !== magic) {
    return { status: 'rebuilt', reason: `${path} is not an index file` };
  }
  const headerEnd = bytes.indexOf('\n', magic.length);
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
  const payloadStart = headerEnd + 1 + padding(headerEnd + 1);
  const payloadEnd = bytes.length - checksumBytes;
  if (payloadEnd < payloadStart) return { status: 'rebuilt', reason: `${path}: it is truncated` };
  if (!digest.equals(bytes.subarray(payloadEnd))) {
    return { status: 'rebuilt', reason: `${path}: it fails its checksum` };
  }
  const sections: StoreSections = {};
  let at = payloadStart;
  for (const section of header.sections) {
    const type = arrayTypes[section.type];
    if (!type || at + section.byteLength > payloadEnd) {
      return { status: 'rebuilt', reason: `${path}: section ${section.name} does not fit` };
    }
    sections[section.name] = new type(
      bytes.buffer as ArrayBuffer,
      bytes.byteOffset + at,
      section.byteLength / type.BYTES_PER_ELEMENT,
    );
    at += section.byteLength + padding(section.byteLength);
  }
  try {
    return { status: 'loaded', store: new FactStore(sections) };
  } catch (error) {
    return {
      status: 'rebuilt',
      reason: `${path}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * Reads and hashes the whole file on a worker thread (read-worker.ts), into shared memory that the
 * arrays then view in place. The hash covers all but the last 32 bytes (the checksum).
 */
function readHashing(path: string): Promise<{ bytes: Buffer; digest: Buffer }> {
  const script = workerScript('read-worker');
  return new Promise((resolve, reject) => {
    const worker = new Worker(script.path, {
      execArgv: script.execArgv,
      workerData: { path, unhashedTail: checksumBytes } satisfies ReadRequest,
    });
    worker.once('message', (reply: ReadReply) => {
      if ('error' in reply) reject(Object.assign(new Error(reply.error), { code: reply.code }));
      else resolve({ bytes: Buffer.from(reply.bytes, 0, reply.length), digest: Buffer.from(reply.digest) });
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the index reader stopped (exit code ${code})`)));
  });
}

/**
 * Writes the index atomically. Everything but the sorted indexes goes to the thread pool in one write
 * while this thread hashes it and sorts the indexes (which come last in the file), so that sorting,
 * hashing and writing overlap.
 */
export async function writePersistedIndex(
  path: string,
  root: string,
  toolVersion: string,
  store: FactStore,
): Promise<void> {
  const sections = Object.entries(store.sections()).map(
    ([name, value]) => [name, Array.isArray(value) ? value : [value]] as const,
  );
  const indexes = store.indexSections();
  const header: Header = {
    formatVersion: indexFormatVersion,
    toolVersion,
    root,
    sections: [
      ...sections.map(([name, chunks]) => ({
        name,
        type: chunks[0].constructor.name as ArrayType,
        byteLength: totalBytes(chunks),
      })),
      ...indexes.map(([name, index]) => ({
        name,
        type: 'Int32Array' as const,
        byteLength: index.rowCount() * Int32Array.BYTES_PER_ELEMENT,
      })),
    ],
  };
  const head = Buffer.from(magic + JSON.stringify(header) + '\n');
  const unsorted: Uint8Array[] = [head, new Uint8Array(padding(head.length))];
  for (const [, chunks] of sections) unsorted.push(...chunks.map(bytesOf), paddingAfter(chunks));

  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  let unsortedWritten: Promise<void> | undefined;
  try {
    unsortedWritten = writeAllAt(handle, unsorted, 0);
    const hash = createHash('sha256');
    for (const piece of unsorted) hash.update(piece);
    const sorted: Uint8Array[] = [];
    for (const [, index] of indexes) {
      const rows = index.merged();
      sorted.push(bytesOf(rows), paddingAfter([rows]));
    }
    for (const piece of sorted) hash.update(piece);
    sorted.push(hash.digest());
    await unsortedWritten;
    await writeAllAt(handle, sorted, totalBytes(unsorted));
    await handle.sync();
    await handle.close();
  } catch (error) {
    // A write still in flight must end before the file is closed and removed.
    await unsortedWritten?.catch(() => undefined);
    await handle.close();
    rmSync(temporary, { force: true });
    throw error;
  }
  renameSync(temporary, path);
}

const bytesOf = (array: ArrayBufferView): Uint8Array =>
  new Uint8Array(array.buffer as ArrayBuffer, array.byteOffset, array.byteLength);

const paddingAfter = (chunks: readonly ArrayBufferView[]): Uint8Array =>
  new Uint8Array(padding(totalBytes(chunks)));

const totalBytes = (pieces: readonly ArrayBufferView[]): number =>
  pieces.reduce((sum, piece) => sum + piece.byteLength, 0);

/**
 * Writes the pieces one after the other from `position`, in as few requests as the system allows: the
 * thread pool loops over them without coming back to this thread, which may be busy.
 */
async function writeAllAt(
  handle: FileHandle,
  pieces: readonly Uint8Array[],
  position: number,
): Promise<void> {
  let rest = pieces.filter((piece) => piece.byteLength > 0);
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest, position);
    if (bytesWritten === 0) throw new Error(`writing the index stopped at byte ${position}`);
    position += bytesWritten;
    let written = bytesWritten;
    while (rest.length > 0 && written >= rest[0].byteLength) {
      written -= rest[0].byteLength;
      rest = rest.slice(1);
    }
    if (written > 0) rest = [rest[0].subarray(written), ...rest.slice(1)];
  }
}
