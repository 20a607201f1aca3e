// Language-server latency on a real kernel tree (default: the 6.1 tree), as an editor sees it over stdio.
// Prints measured figures; it is a benchmark, not a test: nothing here passes or fails.
//   node --import tsx scripts/bench-lsp.ts [--kernel DIR] [--cache DIR] [--rounds N] [--step N]
//                                          [--files a.c,b.c] [--starts N] [--no-cold] [--no-latency] [--json]
// 1. Time from starting the server process to the first useful answers on an open file (net/socket.c):
//    a hover on a function defined in it, and a hover on `sock->ops->recvmsg` that lists packet_recvmsg
//    (an answer from the whole tree's index). Measured cold (an empty cache, so the answers come while
//    the tree is indexing, open files first) and warm (the persisted index in --cache, else KNR_CACHE),
//    the warm start `--starts` times. --json prints the warm figures as JSON on stdout (the rest goes to
//    stderr), for `npm run bench`.
// 2. After indexing (on the warm server): p50/p95/max of hover, definition, implementation and references
//    over every identifier of every `step`-th line of the files, `rounds` times, with how many took
//    over 20 ms and the slowest positions.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { places61, sharedCache, tree61 } from '../test/lsp/support/kernel-61';
import { startKernelServer, type KernelServer } from '../test/lsp/support/stdio-session';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const kernel = option('--kernel') ?? tree61.path;
const cacheOption = option('--cache');
const rounds = Number(option('--rounds') ?? '3');
const step = Number(option('--step') ?? '7');
const starts = Number(option('--starts') ?? '1');
const files = (option('--files') ?? 'net/socket.c,net/packet/af_packet.c').split(',');
const json = process.argv.includes('--json');
const methods = [
  'textDocument/hover',
  'textDocument/definition',
  'textDocument/implementation',
  'textDocument/references',
];
/** Issue 4's target for each request, printed beside the figures for the reader. */
const targetMs = 20;
const slowestShown = 5;

/** What a reader sees; on stderr when stdout carries the JSON. */
function report(line: string): void {
  if (json) console.error(line);
  else console.log(line);
}

interface Target {
  file: string;
  uri: string;
  name: string;
  position: { line: number; character: number };
}

/** Milliseconds from starting the server process to each first answer (undefined: none in time). */
interface FirstAnswers {
  ownFileHoverMs?: number;
  indexHoverMs?: number;
  indexReadyMs?: number;
}

function load(): string {
  return loadavg()[0].toFixed(2);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timeUntil(
  started: number,
  what: string,
  probe: () => Promise<boolean>,
  limitMs: number,
): Promise<number | undefined> {
  for (;;) {
    if (await probe()) {
      const ms = performance.now() - started;
      report(`  ${what}: ${ms.toFixed(0)} ms after the server process started`);
      return ms;
    }
    if (performance.now() - started > limitMs) {
      report(`  ${what}: none within ${limitMs} ms`);
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Identifier positions: every identifier of every `step`-th line. */
function identifierPositions(text: string): { name: string; line: number; character: number }[] {
  const positions: { name: string; line: number; character: number }[] = [];
  text.split('\n').forEach((line, number) => {
    if (number % step !== 0) return;
    for (const match of line.matchAll(/\b[A-Za-z_]\w{2,}\b/g))
      positions.push({ name: match[0], line: number, character: match.index ?? 0 });
  });
  return positions;
}

/** Measures the first answers; the warm server is handed on (once its index is complete) when `keep`. */
async function firstAnswers(
  cold: boolean,
  keep: boolean,
): Promise<{ figures: FirstAnswers; server?: KernelServer }> {
  const cache = cold ? mkdtempSync(join(tmpdir(), 'knr-bench-cold-')) : (cacheOption ?? sharedCache());
  report(
    `first answers on net/socket.c (${cold ? 'cold: empty cache, the tree indexing' : `warm: cache ${cache}`}), load ${load()}`,
  );
  const places = places61(kernel);
  const started = performance.now();
  const server = await startKernelServer({ kernel, cache });
  const figures: FirstAnswers = {};
  let handedOn = false;
  try {
    const uri = await server.open('net/socket.c');
    const hover = (position: { line: number; character: number }) =>
      server.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri },
        position,
      });
    figures.ownFileHoverMs = await timeUntil(
      started,
      'hover on sock_recvmsg_nosec (defined in the open file)',
      async () => /sock_recvmsg_nosec\(/.test((await hover(places.sockRecvmsgNosec))?.contents.value ?? ''),
      600000,
    );
    figures.indexHoverMs = await timeUntil(
      started,
      'hover on sock->ops->recvmsg listing packet_recvmsg',
      async () => /packet_recvmsg/.test((await hover(places.indirectRecvmsg))?.contents.value ?? ''),
      cold ? 60000 : 600000,
    );
    if (cold) return { figures };
    await server.ready;
    figures.indexReadyMs = performance.now() - started;
    report(`  index ready: ${figures.indexReadyMs.toFixed(0)} ms after the server process started`);
    handedOn = keep;
    return { figures, server: keep ? server : undefined };
  } finally {
    if (!handedOn) await server.close();
    if (cold) rmSync(cache, { recursive: true, force: true });
  }
}

/** Latencies on a server whose index is complete and which has net/socket.c open. */
async function latencies(server: KernelServer): Promise<void> {
  try {
    const targets: Target[] = [];
    for (const file of files) {
      const uri = file === 'net/socket.c' ? server.uri(file) : await server.open(file);
      for (const { name, ...position } of identifierPositions(readFileSync(join(kernel, file), 'utf8')))
        targets.push({ file, uri, name, position });
    }
    report(
      `latency after indexing: ${targets.length} identifiers (every ${step}th line of ${files.join(', ')}) x ${rounds} rounds per method, load ${load()}`,
    );
    for (const method of methods) {
      const samples: { ms: number; target: Target }[] = [];
      for (let round = 0; round < rounds; round++) {
        for (const target of targets) {
          const params = {
            textDocument: { uri: target.uri },
            position: target.position,
            context: { includeDeclaration: true },
          };
          const started = performance.now();
          await server.request(method, params);
          samples.push({ ms: performance.now() - started, target });
        }
      }
      const times = samples.map((sample) => sample.ms).sort((a, b) => a - b);
      const figure = (ms: number) => `${ms.toFixed(1)} ms`;
      const over = times.filter((ms) => ms > targetMs).length;
      report(
        `  ${method.padEnd(28)} p50 ${figure(percentile(times, 50))}  p95 ${figure(percentile(times, 95))}  max ${figure(times[times.length - 1])}  over ${targetMs} ms: ${over} (${((100 * over) / times.length).toFixed(1)}%)  n=${times.length}  load ${load()}`,
      );
      const slowest = samples.sort((a, b) => b.ms - a.ms).slice(0, slowestShown);
      report(
        `    slowest: ${slowest.map(({ ms, target: t }) => `${t.name} ${t.file}:${t.position.line + 1}:${t.position.character + 1} ${figure(ms)}`).join('; ')}`,
      );
    }
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  if (tree61.missing && option('--kernel') === undefined) throw new Error(tree61.missing);
  report(`kernel tree: ${kernel}; 1-minute load average at start ${load()}`);
  if (!process.argv.includes('--no-cold')) await firstAnswers(true, false);
  const latency = !process.argv.includes('--no-latency');
  const warm: FirstAnswers[] = [];
  let server: KernelServer | undefined;
  for (let start = 1; start <= starts; start++) {
    const measured = await firstAnswers(false, latency && start === starts);
    warm.push(measured.figures);
    server = measured.server;
  }
  if (server) await latencies(server);
  report(`1-minute load average at the end ${load()}`);
  if (json) console.log(JSON.stringify({ warm }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
