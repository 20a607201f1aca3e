// Language-server latency on a real kernel tree (default: the 6.1 tree), as an editor sees it over stdio.
// Prints measured figures; it is a benchmark, not a test: nothing here passes or fails.
//   node --import tsx scripts/bench-lsp.ts [--kernel DIR] [--rounds N] [--step N] [--files a.c,b.c]
//                                          [--no-cold] [--no-latency]
// 1. Time from `initialize` to the first useful answers on an open file (net/socket.c): a hover on a
//    function defined in it, and a hover on `sock->ops->recvmsg` that lists packet_recvmsg. Measured
//    twice: cold (an empty cache, so the answers come while the tree is indexing, open files first)
//    and warm (the persisted index in the shared cache, KNR_CACHE).
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
const rounds = Number(option('--rounds') ?? '3');
const step = Number(option('--step') ?? '7');
const files = (option('--files') ?? 'net/socket.c,net/packet/af_packet.c').split(',');
const methods = [
  'textDocument/hover',
  'textDocument/definition',
  'textDocument/implementation',
  'textDocument/references',
];
/** Issue 4's target for each request, printed beside the figures for the reader. */
const targetMs = 20;
const slowestShown = 5;

interface Target {
  file: string;
  uri: string;
  name: string;
  position: { line: number; character: number };
}

function load(): string {
  return loadavg()[0].toFixed(2);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timeUntil(
  server: KernelServer,
  what: string,
  probe: () => Promise<boolean>,
  limitMs: number,
): Promise<void> {
  for (;;) {
    if (await probe()) {
      console.log(
        `  ${what}: ${(performance.now() - server.initializeStarted).toFixed(0)} ms after initialize`,
      );
      return;
    }
    if (performance.now() - server.initializeStarted > limitMs) {
      console.log(`  ${what}: none within ${limitMs} ms`);
      return;
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

/** Measures the first answers; the warm server is then handed on, once its index is complete. */
async function firstAnswers(cold: boolean): Promise<KernelServer | undefined> {
  const cache = cold ? mkdtempSync(join(tmpdir(), 'knr-bench-cold-')) : sharedCache();
  console.log(
    `first answers on net/socket.c (${cold ? 'cold: empty cache, the tree indexing' : `warm: cache ${cache}`}), load ${load()}`,
  );
  const places = places61(kernel);
  const server = await startKernelServer({ kernel, cache });
  let handedOn = false;
  try {
    const uri = await server.open('net/socket.c');
    const hover = (position: { line: number; character: number }) =>
      server.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri },
        position,
      });
    await timeUntil(
      server,
      'hover on sock_recvmsg_nosec (defined in the open file)',
      async () => /sock_recvmsg_nosec\(/.test((await hover(places.sockRecvmsgNosec))?.contents.value ?? ''),
      600000,
    );
    await timeUntil(
      server,
      'hover on sock->ops->recvmsg listing packet_recvmsg',
      async () => /packet_recvmsg/.test((await hover(places.indirectRecvmsg))?.contents.value ?? ''),
      cold ? 60000 : 600000,
    );
    if (cold) return undefined;
    await server.ready;
    console.log(
      `  index ready: ${(performance.now() - server.initializeStarted).toFixed(0)} ms after initialize`,
    );
    handedOn = true;
    return server;
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
    console.log(
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
      console.log(
        `  ${method.padEnd(28)} p50 ${figure(percentile(times, 50))}  p95 ${figure(percentile(times, 95))}  max ${figure(times[times.length - 1])}  over ${targetMs} ms: ${over} (${((100 * over) / times.length).toFixed(1)}%)  n=${times.length}  load ${load()}`,
      );
      const slowest = samples.sort((a, b) => b.ms - a.ms).slice(0, slowestShown);
      console.log(
        `    slowest: ${slowest.map(({ ms, target: t }) => `${t.name} ${t.file}:${t.position.line + 1}:${t.position.character + 1} ${figure(ms)}`).join('; ')}`,
      );
    }
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  if (tree61.missing && option('--kernel') === undefined) throw new Error(tree61.missing);
  console.log(`kernel tree: ${kernel}; 1-minute load average at start ${load()}`);
  if (!process.argv.includes('--no-cold')) await firstAnswers(true);
  const warm = await firstAnswers(false);
  if (warm && !process.argv.includes('--no-latency')) await latencies(warm);
  else await warm?.close();
  console.log(`1-minute load average at the end ${load()}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
