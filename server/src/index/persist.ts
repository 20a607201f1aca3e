// The persisted index: one file per kernel tree holding a FactStore's flat arrays as raw bytes, so
// loading is reading the file and checking it, with no decoding: the arrays are used in place.
// Written atomically (temporary file, fsync, rename), versioned and checksummed, so a crash leaves
// the previous index or none, and a damaged or foreign file is rebuilt instead of trusted.
//
// Layout: magic line, header JSON line (versions, root, and each section's name, type, length and
// the SHA-256 of each of its 4 MiB pieces), the SHA-256 of the header line, zero padding to 8 bytes,
// then the sections, each padded to 8 bytes. A load checks the header and the sections the store
// needs at once; the fact tables and texts are checked as they are read, in the background or on
// first use (piece-reader.ts). The fact tables and texts, most of the index and read in the
// background, are stored deflated piece by piece (a third of their size), the header giving each
// piece's stored length; the sections every load waits for are stored as they are in memory.
// Long because the writer and the reader of one file layout belong together.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pieceBytes } from './index-pieces';
import { DamagedIndexError, PieceReader, type NamedPiece } from './piece-reader';
import { FactStore, checkedOnFirstUse, type FlatArray, type StoreSections } from './store/fact-store';
import { digestOf, packPiece, type PackedPiece } from './store/packed-piece';

/**
 * Bump when the layout of FactStore or of this file changes, or when extraction yields different facts
 * from the same file: older files are rebuilt, not misread or trusted. 6: kernel syntax masked; 7: and
 * continuation lines ending in CRLF recognised as such; 8: functions defined by macros
 * (`SYSCALL_DEFINE3(socket, ...)`) recovered; 9: #define names front-coded; 10: a digest per piece;
 * 11: fields under #if, parameters of functions returning pointers, assembler blanked, misread
 * statements dropped; copies between fields and names passed to calls stored, locals never bound,
 * local static tables; function-like macros. 12: enum tags; typedefs of names tree-sitter-c takes for
 * primitive types (`ssize_t`, `uint64_t`). 13: slots a macro of the file fills (`HWSIM_COMMON_OPS`).
 * 14: fact tables and texts stored deflated. 15: each sorted index's keys beside its rows.
 */
export const indexFormatVersion = 15;
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
  /**
   * Of a section stored deflated, each piece's byte length in the file: less than the piece's own
   * length when it is deflated, equal when deflating did not make it smaller and it is stored as is.
   */
  stored?: number[];
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
  const reader = new PieceReader(
    path,
    fd,
    layout.pieces,
    layout.order,
    layout.firstCount,
    layout.memoryBytes,
  );
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
  /** Each section with its position in memory. */
  sections: (SectionHeader & { position: number })[];
  /** Every section's pieces, in file order. */
  pieces: NamedPiece[];
  /** The sections' bytes in memory, each padded to 8 bytes. */
  memoryBytes: number;
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
  let memoryAt = 0;
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
    const lengths = section.digests.map((_, i) => Math.min(pieceBytes, section.byteLength - i * pieceBytes));
    const stored = section.stored ?? lengths;
    if (
      !Array.isArray(stored) ||
      stored.length !== lengths.length ||
      !stored.every((length, i) => Number.isInteger(length) && length > 0 && length <= lengths[i])
    ) {
      return `${path}: section ${section.name} has malformed stored lengths`;
    }
    const storedBytes = stored.reduce((sum, length) => sum + length, 0);
    if (at + storedBytes > size) return `${path}: it is truncated (section ${section.name} does not fit)`;
    sections.push({ ...section, position: memoryAt });
    let filePosition = at;
    section.digests.forEach((digest, i) => {
      pieces.push({
        section: section.name,
        position: memoryAt + i * pieceBytes,
        length: lengths[i],
        digest,
        filePosition,
        storedLength: stored[i],
      });
      filePosition += stored[i];
    });
    at += storedBytes + padding(storedBytes);
    memoryAt += section.byteLength + padding(section.byteLength);
  }
  if (at > size) return `${path}: it is truncated`;
  if (at < size) return `${path}: it has ${size - at} bytes past its last section`;

  const rank = (section: string) =>
    checkedOnFirstUse(section) ? 1 + (backgroundOrder.indexOf(section) + 1 || backgroundOrder.length + 1) : 0;
  const ids = pieces.map((_, id) => id);
  // A stable sort: pieces of one rank stay in file order.
  const order = ids.sort((a, b) => rank(pieces[a].section) - rank(pieces[b].section));
  const firstCount = pieces.filter((piece) => rank(piece.section) === 0).length;
  return { sections, pieces, memoryBytes: memoryAt, order, firstCount };
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

/** A piece of a section: its bytes, or packed already (see PackedPiece). */
type Piece = Uint8Array | PackedPiece;

/** The text chunks as pieces: a full chunk is a piece's length, and an empty one is no piece. */
function textPieces(chunks: readonly Piece[]): Piece[] {
  for (const chunk of chunks)
    if (chunk.byteLength > pieceBytes) throw new Error(`a text chunk of ${chunk.byteLength} bytes`);
  return chunks.filter((chunk) => chunk.byteLength > 0);
}
/** Pieces deflating on the thread pool while this thread hashes the one before and writes. */
const piecesInFlight = 4;

/**
 * Writes the index atomically, section by section: each piece of a fact table or the texts is
 * deflated on the thread pool while this thread hashes and writes the ones before. The header holds
 * the digests and stored lengths, so it is written last, into the room left for it at the start.
 */
export async function writePersistedIndex(
  path: string,
  root: string,
  toolVersion: string,
  store: FactStore,
): Promise<void> {
  const sections = Object.entries(store.savedSections()).map(([name, value]) => {
    const chunks = Array.isArray(value) ? value : [value];
    // The texts come as pieces, some packed already; the rest as arrays, cut into pieces here.
    const pieces =
      name === 'text' ? textPieces(chunks as Piece[]) : piecesOf((chunks as FlatArray[]).map(bytesOf));
    const type = name === 'text' ? 'Uint8Array' : (chunks[0].constructor.name as ArrayType);
    return { name, type, pieces };
  });
  const indexes = store.indexSections();
  const sectionHeaders: SectionHeader[] = [
    ...sections.map(({ name, type, pieces }) => ({
      name,
      type,
      byteLength: totalBytes(pieces),
      digests: [],
    })),
    ...indexes.flatMap(([name, index]) =>
      [name, `${name}.keys`].map((section) => ({
        name: section,
        type: 'Int32Array' as const,
        byteLength: index.rowCount() * Int32Array.BYTES_PER_ELEMENT,
        digests: [],
      })),
    ),
  ];
  const header: Header = { formatVersion: indexFormatVersion, toolVersion, root, sections: sectionHeaders };
  // Digests are of fixed length, and a piece's stored length has at most the digits of its own.
  const standIn = '0'.repeat(digestHexLength);
  const headLength = headBytesOf({
    ...header,
    sections: sectionHeaders.map((section) => {
      const lengths = pieceLengths(section.byteLength);
      return {
        ...section,
        digests: lengths.map(() => standIn),
        stored: checkedOnFirstUse(section.name) ? lengths : undefined,
      };
    }),
  }).length;

  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    let position = headLength;
    for (const [i, { name, pieces }] of sections.entries()) {
      const written = await writeSection(handle, pieces, checkedOnFirstUse(name), position);
      Object.assign(sectionHeaders[i], written.header);
      position += written.bytes;
    }
    for (const [i, [name, index]] of indexes.entries()) {
      const parts: [string, Int32Array][] = [
        [name, index.merged()],
        [`${name}.keys`, index.mergedKeys()],
      ];
      for (const [j, [section, values]] of parts.entries()) {
        const written = await writeSection(
          handle,
          piecesOf([bytesOf(values)]),
          checkedOnFirstUse(section),
          position,
        );
        Object.assign(sectionHeaders[sections.length + 2 * i + j], written.header);
        position += written.bytes;
      }
    }
    const head = headBytesOf(header, headLength);
    if (head.length !== headLength)
      throw new Error('the index header is not as long as the room left for it');
    await writeAllAt(handle, [head], 0);
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close();
    rmSync(temporary, { force: true });
    throw error;
  }
  renameSync(temporary, path);
}

/**
 * Writes a section's pieces from `position`, deflated if `deflated`, then zeros to 8 bytes; returns
 * what its header gets (digests, and stored lengths if deflated) and the bytes written.
 */
async function writeSection(
  handle: FileHandle,
  pieces: readonly Piece[],
  deflated: boolean,
  position: number,
): Promise<{ header: Pick<SectionHeader, 'digests' | 'stored'>; bytes: number }> {
  const digests: string[] = [];
  const stored: number[] = [];
  const outputs: (Promise<Uint8Array> | undefined)[] = [];
  const start = (i: number) => {
    if (i >= pieces.length) return;
    const piece = pieces[i];
    if (piece instanceof Uint8Array) {
      outputs[i] = deflated ? packPiece(piece).then((packed) => packed.stored) : Promise.resolve(piece);
    } else {
      // Packed while the store was built: the same bytes packPiece gives, made once.
      if (!deflated) throw new Error('a packed piece in a section stored as it is');
      outputs[i] = Promise.resolve(piece.stored);
    }
  };
  for (let i = 0; i < piecesInFlight; i++) start(i);
  let at = position;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    digests.push(piece instanceof Uint8Array ? digestOf(piece) : piece.digest);
    const output = await outputs[i]!;
    outputs[i] = undefined;
    start(i + piecesInFlight);
    await writeAllAt(handle, [output], at);
    at += output.byteLength;
    stored.push(output.byteLength);
  }
  await writeAllAt(handle, [new Uint8Array(padding(at - position))], at);
  const bytes = at - position + padding(at - position);
  return { header: deflated ? { digests, stored } : { digests }, bytes };
}

/** The byte length of each piece of a section of `byteLength` bytes. */
const pieceLengths = (byteLength: number): number[] =>
  Array.from({ length: Math.ceil(byteLength / pieceBytes) }, (_, i) =>
    Math.min(pieceBytes, byteLength - i * pieceBytes),
  );

/** `chunks` taken as one run of bytes, cut into pieces; a piece spanning two chunks is a copy. */
function piecesOf(chunks: readonly Uint8Array[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let parts: Uint8Array[] = [];
  let filled = 0;
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.byteLength;) {
      const take = Math.min(pieceBytes - filled, chunk.byteLength - at);
      parts.push(chunk.subarray(at, at + take));
      at += take;
      filled += take;
      if (filled === pieceBytes) {
        pieces.push(parts.length === 1 ? parts[0] : Buffer.concat(parts));
        parts = [];
        filled = 0;
      }
    }
  }
  if (filled > 0) pieces.push(parts.length === 1 ? parts[0] : Buffer.concat(parts));
  return pieces;
}

/**
 * Magic line, header line, the header line's SHA-256, and zero padding to 8 bytes. With `room`, the
 * header line ends in spaces (JSON allows them) so that the whole takes `room` bytes.
 */
function headBytesOf(header: Header, room?: number): Buffer {
  let headerText = JSON.stringify(header);
  if (room !== undefined) {
    const used = magic.length + Buffer.byteLength(headerText) + digestHexLength + 2;
    headerText += ' '.repeat(Math.max(0, room - used));
  }
  const head = `${magic}${headerText}\n${sha256Hex(headerText)}\n`;
  return Buffer.concat([Buffer.from(head), new Uint8Array(padding(Buffer.byteLength(head)))]);
}

const bytesOf = (array: ArrayBufferView): Uint8Array =>
  new Uint8Array(array.buffer as ArrayBuffer, array.byteOffset, array.byteLength);

const totalBytes = (pieces: readonly { byteLength: number }[]): number =>
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
