// The persisted index: one file per kernel tree holding a FactStore's flat arrays as raw bytes, so
// loading is reading the file and checking it, with no decoding: the arrays are used in place.
// Written atomically (temporary file, fsync, rename), versioned and checksummed, so a crash leaves
// the previous index or none, and a damaged or foreign file is rebuilt instead of trusted.
//
// Layout: magic line, header JSON line (versions, root, and each section's name, type, length and
// the SHA-256 of each of its 4 MiB pieces), the SHA-256 of the header line, zero padding to 8 bytes,
// then the sections, each padded to 8 bytes. A load checks the header and the sections the store
// needs at once; the fact tables and texts are checked as they are read, in the background or on
// first use (piece-reader.ts).
// Long because the writer and the reader of one file layout belong together.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pieceBytes, pieceDigests } from './index-pieces';
import { DamagedIndexError, PieceReader, type NamedPiece } from './piece-reader';
import { FactStore, checkedOnFirstUse, type StoreSections } from './store/fact-store';

/**
 * Bump when the layout of FactStore or of this file changes, or when extraction yields different facts
 * from the same file: older files are rebuilt, not misread or trusted. 6: kernel syntax masked; 7: and
 * continuation lines ending in CRLF recognised as such; 8: functions defined by macros
 * (`SYSCALL_DEFINE3(socket, ...)`) recovered; 9: #define names front-coded; 10: a digest per piece;
 * 11: fields under #if, parameters of functions returning pointers, assembler blanked, misread
 * statements dropped; copies between fields and names passed to calls stored, locals never bound,
 * local static tables; function-like macros. 12: enum tags; typedefs of names tree-sitter-c takes for
 * primitive types (`ssize_t`, `uint64_t`). 13: slots a macro of the file fills (`HWSIM_COMMON_OPS`).
 */
export const indexFormatVersion = 13;
const magic = 'KNR-INDEX\n';
const digestHexLength = 64;

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
  /** SHA-256 in hex of each `pieceBytes` of the section, the last one short. */
  digests: string[];
}

interface Header {
  formatVersion: number;
  toolVersion: string;
  root: string;
  sections: SectionHeader[];
}

/**
 * Sections read in the background, in this order after the ones the store needs at once: what a
 * warm `knr index` summarises and most queries read first; #define names and texts (hover, macro
 * lookups) last.
 */
const backgroundOrder = [
  'table.functions',
  'table.calls',
  'table.slots',
  'table.tables',
  'table.bindings',
  'table.registrations',
  'table.copies',
  'table.arguments',
  'table.variables',
  'table.structs',
  'table.fields',
  'table.paths',
  'table.typedefs',
  'table.enums',
  'table.enumConstants',
  'table.functionMacros',
  'text',
  'table.macros',
];

export { defaultCacheFolder } from './cache-folder';

/** Where the index of the tree at `root` (an absolute, real path) lives inside `cacheFolder`. */
export function indexFilePath(cacheFolder: string, root: string): string {
  const key = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return join(cacheFolder, key, 'index.bin');
}

export type LoadResult =
  | {
      status: 'loaded';
      store: FactStore;
      /**
       * Settles when every piece of the file is checked; rejects with a DamagedIndexError (the file
       * is then removed) or a read error. A store use that needs a damaged piece throws the same.
       */
      checked: Promise<void>;
    }
  | { status: 'missing' }
  | { status: 'rebuilt'; reason: string };

const padding = (length: number) => (8 - (length % 8)) % 8;

/**
 * Reads and checks the index of `root`: the header and the sections the store needs at once before
 * this resolves; the fact tables and texts in the background or on first use. The reading is done
 * on a worker thread, so a server keeps answering (and the tree is listed) while a large index loads.
 */
export async function loadPersistedIndex(
  path: string,
  root: string,
  toolVersion: string,
): Promise<LoadResult> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    // No index yet is the usual first start; any other failure is worth a reason.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'rebuilt', reason: `${path} could not be read: ${(error as Error).message}` };
  }
  let layout: Layout | string;
  try {
    layout = readLayout(fd, path, root, toolVersion);
  } catch (error) {
    closeSync(fd);
    return { status: 'rebuilt', reason: `${path} could not be read: ${(error as Error).message}` };
  }
  if (typeof layout === 'string') {
    closeSync(fd);
    return { status: 'rebuilt', reason: layout };
  }
  // From here the reader owns the descriptor: it closes it once every piece is read, or on close().
  const reader = new PieceReader(path, fd, layout.pieces, layout.order, layout.firstCount);
  try {
    await reader.first;
  } catch (error) {
    reader.close();
    const reason = error instanceof Error ? error.message : String(error);
    return {
      status: 'rebuilt',
      reason: error instanceof DamagedIndexError ? reason : `${path} could not be read: ${reason}`,
    };
  }
  const sections: StoreSections = {};
  const positionOf = new Map<string, number>();
  for (const section of layout.sections) {
    const type = arrayTypes[section.type];
    sections[section.name] = new type(
      reader.bytes.buffer as ArrayBuffer,
      reader.bytes.byteOffset + section.position,
      section.byteLength / type.BYTES_PER_ELEMENT,
    );
    positionOf.set(section.name, section.position);
  }
  try {
    const store = new FactStore(sections, (section, start, end) => {
      const position = positionOf.get(section)!;
      reader.ensure(position + start, position + end);
    });
    return { status: 'loaded', store, checked: reader.checked };
  } catch (error) {
    reader.close();
    return {
      status: 'rebuilt',
      reason: `${path}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

interface Layout {
  sections: (SectionHeader & { position: number })[];
  /** Every section's pieces, in file order. */
  pieces: NamedPiece[];
  /** Piece ids in reading order: first the sections the store needs at once, then the rest. */
  order: number[];
  firstCount: number;
}

/** Bytes read for the header at first; a longer header is read in one more go, up to the larger size. */
const headBytes = [256 * 1024, 16 * 1024 * 1024];

/** The file's header, checked, and where its sections and pieces are; or why the file is not used. */
function readLayout(fd: number, path: string, root: string, toolVersion: string): Layout | string {
  const size = fstatSync(fd).size;
  let head: Buffer = Buffer.alloc(0);
  let headerEnd = -1;
  let digestEnd = -1;
  for (const bytes of headBytes) {
    head = readBytes(fd, Math.min(size, bytes));
    headerEnd = head.indexOf('\n', magic.length);
    digestEnd = headerEnd < 0 ? -1 : head.indexOf('\n', headerEnd + 1);
    if (digestEnd >= 0 || head.length === size) break;
  }
  if (head.subarray(0, magic.length).toString() !== magic) return `${path} is not an index file`;
  if (digestEnd < 0) return `${path} has a damaged header`;
  const headerText = head.subarray(magic.length, headerEnd).toString();
  let header: Header;
  try {
    header = JSON.parse(headerText) as Header;
  } catch {
    return `${path} has a damaged header`;
  }
  if (header.formatVersion !== indexFormatVersion || header.toolVersion !== toolVersion) {
    return `${path} was written by another version (format ${header.formatVersion}, tool ${header.toolVersion})`;
  }
  if (head.subarray(headerEnd + 1, digestEnd).toString() !== sha256Hex(headerText)) {
    return `${path} has a damaged header`;
  }
  if (header.root !== root) return `${path} belongs to ${header.root}`;

  const sections: Layout['sections'] = [];
  const pieces: NamedPiece[] = [];
  let at = digestEnd + 1 + padding(digestEnd + 1);
  for (const section of header.sections) {
    const type = arrayTypes[section.type];
    if (
      !type ||
      !Array.isArray(section.digests) ||
      section.byteLength % type.BYTES_PER_ELEMENT !== 0 ||
      section.digests.length !== Math.ceil(section.byteLength / pieceBytes)
    ) {
      return `${path}: section ${section.name} is malformed`;
    }
    if (at + section.byteLength > size)
      return `${path}: it is truncated (section ${section.name} does not fit)`;
    sections.push({ ...section, position: at });
    section.digests.forEach((digest, i) =>
      pieces.push({
        section: section.name,
        position: at + i * pieceBytes,
        length: Math.min(pieceBytes, section.byteLength - i * pieceBytes),
        digest,
      }),
    );
    at += section.byteLength + padding(section.byteLength);
  }
  if (at > size) return `${path}: it is truncated`;
  if (at < size) return `${path}: it has ${size - at} bytes past its last section`;

  const rank = (section: string) =>
    checkedOnFirstUse(section) ? 1 + (backgroundOrder.indexOf(section) + 1 || backgroundOrder.length + 1) : 0;
  const ids = pieces.map((_, id) => id);
  // A stable sort: pieces of one rank stay in file order.
  const order = ids.sort((a, b) => rank(pieces[a].section) - rank(pieces[b].section));
  const firstCount = pieces.filter((piece) => rank(piece.section) === 0).length;
  return { sections, pieces, order, firstCount };
}

function readBytes(fd: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let at = 0;
  while (at < length) {
    const read = readSync(fd, bytes, at, length - at, at);
    if (read === 0) break;
    at += read;
  }
  return bytes.subarray(0, at);
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Writes the index atomically. Everything but the sorted indexes goes to the thread pool in one write
 * while this thread hashes it and sorts the indexes (which come last in the file), so that sorting,
 * hashing and writing overlap. The header holds the digests, so it is written last, into the room
 * left for it at the start.
 */
export async function writePersistedIndex(
  path: string,
  root: string,
  toolVersion: string,
  store: FactStore,
): Promise<void> {
  const sections = Object.entries(store.sections()).map(([name, value]) => {
    const chunks = Array.isArray(value) ? value : [value];
    return { name, type: chunks[0].constructor.name as ArrayType, bytes: chunks.map(bytesOf) };
  });
  const indexes = store.indexSections();
  const sectionHeaders: SectionHeader[] = [
    ...sections.map(({ name, type, bytes }) => ({ name, type, byteLength: totalBytes(bytes), digests: [] })),
    ...indexes.map(([name, index]) => ({
      name,
      type: 'Int32Array' as const,
      byteLength: index.rowCount() * Int32Array.BYTES_PER_ELEMENT,
      digests: [],
    })),
  ];
  const header: Header = { formatVersion: indexFormatVersion, toolVersion, root, sections: sectionHeaders };
  // Digests are of fixed length: the header with stand-ins is as long as the real one.
  const standIn = '0'.repeat(digestHexLength);
  const headLength = headBytesOf({
    ...header,
    sections: sectionHeaders.map((section) => ({
      ...section,
      digests: Array<string>(Math.ceil(section.byteLength / pieceBytes)).fill(standIn),
    })),
  }).length;
  const unsorted: Uint8Array[] = [];
  for (const { bytes } of sections) unsorted.push(...bytes, paddingAfter(bytes));

  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  let unsortedWritten: Promise<void> | undefined;
  try {
    unsortedWritten = writeAllAt(handle, unsorted, headLength);
    sections.forEach(({ bytes }, i) => (sectionHeaders[i].digests = pieceDigests(bytes)));
    const sorted: Uint8Array[] = [];
    indexes.forEach(([, index], i) => {
      const rows = bytesOf(index.merged());
      sectionHeaders[sections.length + i].digests = pieceDigests([rows]);
      sorted.push(rows, paddingAfter([rows]));
    });
    const head = headBytesOf(header);
    if (head.length !== headLength)
      throw new Error('the index header is not as long as the room left for it');
    await unsortedWritten;
    await writeAllAt(handle, sorted, headLength + totalBytes(unsorted));
    await writeAllAt(handle, [head], 0);
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

/** Magic line, header line, the header line's SHA-256, and zero padding to 8 bytes. */
function headBytesOf(header: Header): Buffer {
  const headerText = JSON.stringify(header);
  const head = `${magic}${headerText}\n${sha256Hex(headerText)}\n`;
  return Buffer.concat([Buffer.from(head), new Uint8Array(padding(Buffer.byteLength(head)))]);
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
