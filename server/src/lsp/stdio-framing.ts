// Re-synchronises LSP framing on stdio. vscode-jsonrpc's reader, given a header without a numeric
// Content-Length, drops the header but keeps reading the body as the start of the next header, so
// every later message is misread and the server goes deaf until stdin closes. This stream passes
// well-formed frames through unchanged and, on a bad header, skips to the next `Content-Length:`.
import { Transform, type TransformCallback } from 'node:stream';

const headerEnd = Buffer.from('\r\n\r\n');
const headerStart = Buffer.from('Content-Length:');
/** Larger claims are treated as corrupt rather than buffered. */
const maxFrameBytes = 256 * 1024 * 1024;
/** Header blocks are a line or two; more bytes without a blank line mean lost framing. */
const maxHeaderBytes = 8192;

export class FrameResync extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  /** Length of the body awaited after a valid header, or -1 while reading headers. */
  private bodyLength = -1;

  constructor(private readonly report: (problem: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.bodyLength >= 0) {
        if (this.buffer.length < this.bodyLength) break;
        this.push(this.buffer.subarray(0, this.bodyLength));
        this.buffer = this.buffer.subarray(this.bodyLength);
        this.bodyLength = -1;
        continue;
      }
      const end = this.buffer.indexOf(headerEnd);
      if (end === -1) {
        if (this.buffer.length > maxHeaderBytes) {
          this.skip(`${this.buffer.length} bytes without a header end`, 1);
        }
        break;
      }
      const length = contentLength(this.buffer.subarray(0, end).toString('ascii'));
      if (length === undefined) {
        const shown = JSON.stringify(this.buffer.subarray(0, Math.min(end, 80)).toString('ascii'));
        this.skip(`bad header ${shown}`, end + headerEnd.length);
        continue;
      }
      this.push(`Content-Length: ${length}\r\n\r\n`);
      this.buffer = this.buffer.subarray(end + headerEnd.length);
      this.bodyLength = length;
    }
    done();
  }

  /**
   * Drops bytes up to the next `Content-Length:` after the start, or, when there is none, all but a
   * tail that could be the start of one; always at least `atLeast` bytes, so the loop moves on.
   */
  private skip(problem: string, atLeast: number): void {
    const next = this.buffer.indexOf(headerStart, 1);
    const keep = next === -1 ? Math.max(atLeast, this.buffer.length - headerStart.length + 1) : next;
    this.report(`LSP framing: ${problem}; ${keep} bytes skipped to the next Content-Length`);
    this.buffer = this.buffer.subarray(keep);
  }
}

function contentLength(header: string): number | undefined {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) return undefined;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,12}$/.test(value) || +value > maxFrameBytes) return undefined;
    length = +value;
  }
  return length;
}
