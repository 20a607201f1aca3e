// The one place that converts between index types and LSP types, and between paths and URIs.
// Index paths are relative to the kernel root with `/` separators; index positions are 0-based, as LSP's.
import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  SymbolKind as LspSymbolKind,
  type CallHierarchyItem,
  type Location,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { Span } from '../index/facts';
import type { Installation, SymbolKind, SymbolLocation } from '../index/queries';

/** URIs already built: a reference list repeats a few thousand files tens of thousands of times. */
const uriOfFile = new Map<string, string>();
const maxRememberedUris = 20000;

export function fileToUri(root: string, file: string): string {
  const key = `${root}\0${file}`;
  let uri = uriOfFile.get(key);
  if (uri === undefined) {
    uri = pathToFileURL(join(root, file)).href;
    if (uriOfFile.size >= maxRememberedUris) uriOfFile.clear();
    uriOfFile.set(key, uri);
  }
  return uri;
}

/** The path relative to `root` for a `file:` URI inside it, otherwise `undefined`. */
export function uriToFile(root: string, uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  const inside = relativeInside(root, path);
  if (inside !== undefined) return inside;
  // The client may name the file through a symlink of the root (or the root through one of the file).
  try {
    return relativeInside(root, realpathSync(path));
  } catch {
    return undefined;
  }
}

function relativeInside(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

export function spanToRange(span: Span): Range {
  return {
    start: { line: span.line, character: span.column },
    end: { line: span.endLine, character: span.endColumn },
  };
}

/** The range of a word on one line (`Word` of index/target.ts, a call's callee): columns start..end. */
export function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** A span's start as an LSP position. */
export function spanStart(span: Span): Position {
  return { line: span.line, character: span.column };
}

/** A span as a range one character wide at least, so an editor can underline an empty span. */
export function visibleRange(span: Span): Range {
  return spanToRange({ ...span, endColumn: Math.max(span.endColumn, span.column + 1) });
}

export function toLocation(root: string, file: string, span: Span): Location {
  return { uri: fileToUri(root, file), range: spanToRange(span) };
}

export function symbolToLocation(root: string, symbol: SymbolLocation): Location {
  return toLocation(root, symbol.file, symbol.span);
}

/** Where a function that fills a slot is defined, or the slot itself when the tree has no definition. */
export function installationToLocation(root: string, installation: Installation): Location {
  const target = installation.functionLocation;
  return target ? symbolToLocation(root, target) : toLocation(root, installation.file, installation.span);
}

const symbolKinds: Record<SymbolKind, LspSymbolKind> = {
  function: LspSymbolKind.Function,
  struct: LspSymbolKind.Struct,
  field: LspSymbolKind.Field,
  typedef: LspSymbolKind.Class,
  enum: LspSymbolKind.Enum,
  'enum-constant': LspSymbolKind.EnumMember,
  macro: LspSymbolKind.Constant,
  variable: LspSymbolKind.Variable,
  local: LspSymbolKind.Variable,
  table: LspSymbolKind.Object,
};

export function toLspSymbolKind(kind: SymbolKind): LspSymbolKind {
  return symbolKinds[kind];
}

/** What a call-hierarchy item carries between prepare and incoming/outgoing requests. */
export interface CallHierarchyData {
  name: string;
  file: string;
}

export function toCallHierarchyItem(
  root: string,
  symbol: SymbolLocation,
  detail?: string,
): CallHierarchyItem {
  const range = spanToRange(symbol.span);
  const data: CallHierarchyData = { name: symbol.name, file: symbol.file };
  return {
    name: symbol.name,
    kind: toLspSymbolKind(symbol.kind),
    detail: detail ?? symbol.detail,
    uri: fileToUri(root, symbol.file),
    range,
    selectionRange: range,
    data,
  };
}

/** `net/socket.c:1023` (1-based line), for Markdown. */
function describeLocation(file: string, span: Span): string {
  return `${file}:${span.line + 1}`;
}

/** A Markdown link to a place in the tree; editors open `file:` links with a `#L<line>` fragment. */
export function markdownLink(root: string, file: string, span: Span): string {
  return `[${describeLocation(file, span)}](${fileToUri(root, file)}#L${span.line + 1})`;
}

/** A Markdown link that runs a client command with JSON arguments (VS Code's `command:` links). */
export function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

/** Drops repeated locations (same file and start), keeping the first. */
function uniqueLocations(locations: Location[]): Location[] {
  const seen = new Set<string>();
  return locations.filter((location) => {
    const key = `${location.uri}:${location.range.start.line}:${location.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `uniqueLocations`, or null when there are none (an LSP answer of nothing found). */
export function locationsOrNull(locations: Location[]): Location[] | null {
  const unique = uniqueLocations(locations);
  return unique.length > 0 ? unique : null;
}
