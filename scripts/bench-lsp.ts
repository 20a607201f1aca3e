// Language-server latency on a real kernel tree (default: the 6.1 tree), as an editor sees it over stdio.
// Prints measured figures; it is a benchmark, not a test.
//   node --import tsx scripts/bench-lsp.ts [--kernel DIR] [--rounds N] [--cold]
// 1. Time from `initialize` to the first useful answers on an open file (net/socket.c): a hover on a
//    function defined in it, and a hover on `sock->ops->recvmsg` that lists packet_recvmsg. With
//    --cold the index starts from an empty cache, so these answers come while the tree is indexing.
// 2. After indexing: p50/p95/max of hover, definition, implementation and references over identifiers
//    of net/socket.c and net/packet/af_packet.c.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { places61, sharedCache, tree61 } from '../test/lsp/support/kernel-61';
import { startKernelServer, type KernelServer } from '../test/lsp/support/stdio-session';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const kernel = option('--kernel') ?? tree61.path;
const rounds = Number(option('--rounds') ?? '3');
const cold = process.argv.includes('--cold');

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
function identifierPositions(text: string, step: number): { line: number; character: number }[] {
  const positions: { line: number; character: number }[] = [];
  text.split('\n').forEach((line, number) => {
    if (number % step !== 0) return;
    for (const match of line.matchAll(/\b[A-Za-z_]\w{2,}\b/g))
      positions.push({ line: number, character: match.index ?? 0 });
  });
  return positions;
}

async function firstAnswers(): Promise<void> {
  const cache = cold ? mkdtempSync(join(tmpdir(), 'knr-bench-cold-')) : sharedCache();
  console.log(`first answers (${cold ? 'cold: empty cache, tree indexing' : `warm: cache ${cache}`})`);
  const places = places61(kernel);
  const server = await startKernelServer({ kernel, cache });
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
    if (!cold) {
      await server.ready;
      console.log(
        `  index ready: ${(performance.now() - server.initializeStarted).toFixed(0)} ms after initialize`,
      );
    }
  } finally {
    await server.close();
    if (cold) rmSync(cache, { recursive: true, force: true });
  }
}

async function latencies(): Promise<void> {
  const server = await startKernelServer({ kernel, cache: sharedCache() });
  try {
    await server.ready;
    const files = ['net/socket.c', 'net/packet/af_packet.c'];
    const targets: { uri: string; position: { line: number; character: number } }[] = [];
    for (const file of files) {
      const uri = await server.open(file);
      for (const position of identifierPositions(readFileSync(join(kernel, file), 'utf8'), 7))
        targets.push({ uri, position });
    }
    const methods = [
      'textDocument/hover',
      'textDocument/definition',
      'textDocument/implementation',
      'textDocument/references',
    ];
    console.log(`latency after indexing: ${targets.length} identifiers x ${rounds} rounds per method`);
    for (const method of methods) {
      const times: number[] = [];
      for (let round = 0; round < rounds; round++) {
        for (const { uri, position } of targets) {
          const params = { textDocument: { uri }, position, context: { includeDeclaration: true } };
          const started = performance.now();
          await server.request(method, params);
          times.push(performance.now() - started);
        }
      }
      times.sort((a, b) => a - b);
      const figure = (ms: number) => `${ms.toFixed(1)} ms`;
      console.log(
        `  ${method.padEnd(28)} p50 ${figure(percentile(times, 50))}  p95 ${figure(percentile(times, 95))}  max ${figure(times[times.length - 1])}  (n=${times.length})`,
      );
    }
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  if (tree61.missing && option('--kernel') === undefined) throw new Error(tree61.missing);
  console.log(`kernel tree: ${kernel}`);
  await firstAnswers();
  if (!cold) await latencies();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
