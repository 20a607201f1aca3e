// Memory over a long run of edits: drives the built server (`knr lsp --stdio`, run `npm run build`
// first) with N edits of an open document of a copy of the synthetic tree, and every --every edits
// rewrites a file on disk (didChangeWatchedFiles) and waits until both changes are in the index.
// Samples the server's resident set (VmRSS of /proc/<pid>/status) at each of those points.
//   node --import tsx scripts/soak.ts [--edits 10000] [--every 100] [--kernel DIR]
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SymbolInformation } from 'vscode-languageserver-protocol';
import type { StatusResult } from '../server/src/lsp/protocol';
import { repoRoot } from '../test/support/prerequisites';
import { startKernelServer } from '../test/lsp/support/stdio-session';

export interface SoakOptions {
  edits: number;
  /** Edits between two index checks (and disk rewrites). */
  every: number;
  /** The tree to copy (default: test/fixtures/index-tree). */
  kernel?: string;
  log?: (line: string) => void;
}

export interface SoakResult {
  edits: number;
  diskRewrites: number;
  /** VmRSS in MB: once the index is ready and the document open, then after the first round. */
  startMb: number;
  warmMb: number;
  peakMb: number;
  /** At the last check, then after a garbage collection and a second's rest. */
  endMb: number;
  settledMb: number;
  /** Heap used (MB) after a collection, before and after the run. */
  heapBeforeMb: number;
  heapAfterMb: number;
  seconds: number;
}

const document = 'net/packet/af_packet.c';
const diskFile = 'net/soak_disk.c';

export function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  if (!kilobytes) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return +kilobytes / 1024;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => undefined);
  const tree = mkdtempSync(join(tmpdir(), 'knr-soak-tree-'));
  cpSync(options.kernel ?? join(repoRoot, 'test', 'fixtures', 'index-tree'), tree, { recursive: true });
  const server = await startKernelServer({ kernel: tree });
  const started = Date.now();
  try {
    await server.ready;
    const pid = server.session.process.pid!;
    const connection = server.session.connection;
    const heapMb = async () => {
      const status = await server.request<StatusResult>('kernelNetReader/status', { collectGarbage: true });
      return status.memory.heapUsed / 1048576;
    };
    const uri = await server.open(
      document,
      `int soak_edit_0(void);\n${readFileSync(join(tree, document), 'utf8')}`,
    );
    const heapBeforeMb = await heapMb();
    const startMb = residentMb(pid);
    let warmMb = startMb;
    let peakMb = startMb;
    let firstLine = 'int soak_edit_0(void);';
    let diskRewrites = 0;

    const indexed = async (name: string) => {
      const deadline = Date.now() + 30000;
      for (;;) {
        const found = await server.request<SymbolInformation[]>('workspace/symbol', { query: name });
        if (found.some((symbol) => symbol.name === name)) return;
        if (Date.now() > deadline) throw new Error(`soak: ${name} did not reach the index within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    for (let edit = 1; edit <= options.edits; edit++) {
      // Replacing the first line keeps the document's size steady, so growth is the server's own.
      const line = `int soak_edit_${edit}(void);`;
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: edit + 1 },
        contentChanges: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } },
            text: line,
          },
        ],
      });
      firstLine = line;
      if (edit % options.every !== 0 && edit !== options.edits) continue;
      const round = Math.ceil(edit / options.every);
      writeFileSync(join(tree, diskFile), `int soak_disk_${round}(int x)\n{\n\treturn x + ${round};\n}\n`);
      await connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: server.uri(diskFile), type: round === 1 ? 1 : 2 }],
      });
      diskRewrites++;
      await indexed(`soak_edit_${edit}`);
      await indexed(`soak_disk_${round}`);
      const rss = residentMb(pid);
      if (round === 1) warmMb = rss;
      peakMb = Math.max(peakMb, rss);
      if (round % 10 === 0 || edit === options.edits) log(`${edit} edits: ${rss.toFixed(1)} MB`);
    }
    const endMb = residentMb(pid);
    const heapAfterMb = await heapMb();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const settledMb = residentMb(pid);
    return {
      edits: options.edits,
      diskRewrites,
      startMb,
      warmMb,
      peakMb,
      endMb,
      settledMb,
      heapBeforeMb,
      heapAfterMb,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await server.close();
    rmSync(tree, { recursive: true, force: true });
  }
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} needs a positive integer`);
  return value;
}

if (require.main === module) {
  const at = process.argv.indexOf('--kernel');
  runSoak({
    edits: option('--edits', 10000),
    every: option('--every', 100),
    kernel: at >= 0 ? process.argv[at + 1] : undefined,
    log: (line) => console.log(line),
  }).then(
    (result) => {
      const mb = (value: number) => `${value.toFixed(1)} MB`;
      console.log(
        `soak: ${result.edits} edits, ${result.diskRewrites} disk rewrites in ${result.seconds.toFixed(0)} s; ` +
          `RSS start ${mb(result.startMb)}, after the first round ${mb(result.warmMb)}, peak ${mb(result.peakMb)}, ` +
          `end ${mb(result.endMb)}, settled ${mb(result.settledMb)}; ` +
          `heap after GC ${mb(result.heapBeforeMb)} -> ${mb(result.heapAfterMb)}`,
      );
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
