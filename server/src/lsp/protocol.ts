// The server's own diagnostic request, beyond LSP and beyond the protocol shared with the extension
// (server/src/protocol.ts, which has kernelNetReader/indexState and the trace requests).
import { RequestType } from 'vscode-languageserver';
import type { IndexStateParams } from '../protocol';

export interface StatusParams {
  /** Run a full garbage collection before measuring memory (diagnostics and tests). */
  collectGarbage?: boolean;
}

export interface StatusResult {
  trees: IndexStateParams[];
  openDocuments: number;
  memory: { rss: number; heapUsed: number; external: number; arrayBuffers: number };
}

export const statusRequest = new RequestType<StatusParams, StatusResult, void>('kernelNetReader/status');
