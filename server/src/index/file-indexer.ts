// Indexes one file: reads it defensively, parses it with a time cap, extracts its facts. Used by the
// extraction workers for whole trees and in-process for open documents.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { Parser, Query } from 'web-tree-sitter';
import { Query as TreeSitterQuery } from 'web-tree-sitter';
import { createCParser, loadCLanguage } from '../parse/c-parser';
import { readQuerySource } from '../parse/grammar-paths';
import { extractFacts } from './extract/extract-facts';
import { emptyFileFacts, type FileFacts, type MacroFact } from './facts';
import { functionMacrosIn } from './function-macros';
import { definesByLine, macroOnlyDefines } from './lexical-macros';
import { maskKernelSyntax } from './kernel-syntax-mask';

/** Why a file was skipped or indexed partially; the summary counts each kind. */
export type ProblemKind =
  | 'unreadable'
  | 'vanished'
  | 'binary'
  | 'too-large'
  | 'lexical-only'
  | 'invalid-utf8'
  | 'parse-timeout'
  | 'extractor-error';

export interface FileProblem {
  file: string;
  kind: ProblemKind;
  detail: string;
}

export interface FileOutcome {
  facts?: FileFacts;
  problem?: FileProblem;
  /** The file's stat at read time, for the persisted index. */
  mtimeMs: number;
  size: number;
  /**
   * Set when the file held nothing but preprocessor lines and comments, so its #defines were read
   * lexically instead of parsed (same facts, no tree-sitter). Not a problem: counted apart.
   */
  macroOnly?: true;
}

export const limits = {
  /** Bigger files that are not macro-only are scanned line by line for #defines only. */
  parseBytes: 1024 * 1024,
  /** Bigger files are not read at all. */
  readBytes: 64 * 1024 * 1024,
  /** A parse that takes longer is abandoned. */
  parseMilliseconds: 5000,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

export class FileIndexer {
  private readonly readBuffer = Buffer.allocUnsafeSlow(readBufferBytes);

  private constructor(
    private readonly parser: Parser,
    private readonly missingNodesQuery: Query,
  ) {}

  /**
   * The bytes of an open file, to its end (which may have moved since `size` was read): a view of the
   * read buffer, valid until the next read, or a buffer of their own when they do not fit.
   */
  private readWhole(descriptor: number, size: number): Buffer {
    if (size >= this.readBuffer.length) return readFileSync(descriptor);
    let length = 0;
    for (;;) {
      const read = readSync(descriptor, this.readBuffer, length, this.readBuffer.length - length, null);
      if (read === 0) return this.readBuffer.subarray(0, length);
      length += read;
      if (length === this.readBuffer.length) {
        const rest = readFileSync(descriptor);
        return Buffer.concat([this.readBuffer.subarray(0, length), rest]);
      }
    }
  }

  static async create(): Promise<FileIndexer> {
    const parser = await createCParser();
    const missingNodesQuery = new TreeSitterQuery(
      await loadCLanguage(),
      readQuerySource('missing-nodes.scm'),
    );
    return new FileIndexer(parser, missingNodesQuery);
  }

  /** Facts of a text, e.g. an open document; throws only on a parse timeout. */
  indexText(file: string, text: string): FileFacts {
    const deadline = Date.now() + limits.parseMilliseconds;
    const masked = maskKernelSyntax(text);
    const tree = this.parser.parse(masked.text, null, { progressCallback: () => Date.now() > deadline });
    if (!tree) {
      this.parser.reset();
      throw new ParseTimeout(file);
    }
    try {
      return extractFacts(file, text, tree, this.missingNodesQuery, masked);
    } finally {
      tree.delete();
    }
  }

  indexFile(absolutePath: string, file: string): FileOutcome {
    let bytes: Buffer;
    let mtimeMs = 0;
    let size = 0;
    let descriptor: number | undefined;
    try {
      descriptor = openSync(absolutePath, 'r');
      const stat = fstatSync(descriptor);
      mtimeMs = stat.mtimeMs;
      size = stat.size;
      if (size > limits.readBytes) {
        return { mtimeMs, size, problem: { file, kind: 'too-large', detail: `${size} bytes` } };
      }
      bytes = this.readWhole(descriptor, size);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const kind = code === 'ENOENT' ? 'vanished' : 'unreadable';
      return { mtimeMs, size, problem: { file, kind, detail: code ?? String(error) } };
    } finally {
      if (descriptor !== undefined) closeSync(descriptor);
    }
    if (bytes.subarray(0, 8192).includes(0)) {
      return { mtimeMs, size, problem: { file, kind: 'binary', detail: 'NUL byte in the first 8 KiB' } };
    }
    let text: string;
    let problem: FileProblem | undefined;
    try {
      text = utf8.decode(bytes);
    } catch {
      text = lenientUtf8.decode(bytes);
      problem = { file, kind: 'invalid-utf8', detail: 'invalid UTF-8 replaced by U+FFFD' };
    }
    const macroOnly = macroOnlyDefines(text);
    if (macroOnly) {
      return { mtimeMs, size, facts: macrosOnly(file, text, macroOnly), problem, macroOnly: true };
    }
    if (bytes.length > limits.parseBytes) {
      return {
        mtimeMs,
        size,
        facts: macrosOnly(file, text, definesByLine(text)),
        problem: { file, kind: 'lexical-only', detail: `${bytes.length} bytes` },
      };
    }
    try {
      return { mtimeMs, size, facts: this.indexText(file, text), problem };
    } catch (error) {
      if (!(error instanceof ParseTimeout)) throw error;
      return {
        mtimeMs,
        size,
        facts: macrosOnly(file, text, definesByLine(text)),
        problem: { file, kind: 'parse-timeout', detail: `over ${limits.parseMilliseconds} ms` },
      };
    }
  }
}

/** The facts of a file read without tree-sitter: its object-like macros, as read, and its function-like ones. */
function macrosOnly(file: string, text: string, macros: MacroFact[]): FileFacts {
  const facts = emptyFileFacts(file);
  facts.macros = macros;
  facts.functionMacros = functionMacrosIn(text);
  return facts;
}

/**
 * Room for one file's bytes, reused from file to file: a fresh buffer per file costs page faults,
 * and two workers faulting pages into the one process wait on each other.
 */
export const readBufferBytes = limits.parseBytes + 64 * 1024;

class ParseTimeout extends Error {
  constructor(file: string) {
    super(`parsing ${file} took over ${limits.parseMilliseconds} ms`);
  }
}
