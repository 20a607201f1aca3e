// A real editor drives the server: headless neovim's built-in LSP client asks for hover, definition
// and implementation on the real 6.1 tree (neovim-lsp.lua), and this test checks the answers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { knrBinary } from '../support/lsp-client';
import { requires } from '../support/prerequisites';
import { places61, sharedCache, tree61 } from '../lsp/support/kernel-61';

interface Answer {
  method: string;
  result: unknown;
  error: string | null;
}

function neovimMissing(): string | undefined {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'nvim is not installed (apt-get install -y neovim)';
}

const missing = tree61.missing ?? neovimMissing();

test(
  'neovim asks for hover, definition and implementation on the 6.1 tree',
  { ...requires('neovim client', missing), timeout: 20 * 60 * 1000 },
  () => {
    const places = places61(tree61.path);
    const call = places.indirectRecvmsg;
    const queries = [
      { method: 'textDocument/hover', ...call },
      { method: 'textDocument/definition', ...call },
      { method: 'textDocument/implementation', ...call },
    ];
    const run = spawnSync(
      'nvim',
      ['--headless', '--clean', '-c', `luafile ${join(__dirname, 'neovim-lsp.lua')}`],
      {
        encoding: 'utf8',
        timeout: 19 * 60 * 1000,
        env: {
          ...process.env,
          KNR_NVIM_SERVER: JSON.stringify([process.execPath, knrBinary(), 'lsp', '--stdio']),
          KNR_NVIM_KERNEL: tree61.path,
          KNR_NVIM_CACHE: sharedCache(),
          KNR_NVIM_FILE: 'net/socket.c',
          KNR_NVIM_QUERIES: JSON.stringify(queries),
          KNR_NVIM_TIMEOUT_MS: String(15 * 60 * 1000),
        },
      },
    );
    assert.equal(run.status, 0, `nvim failed: ${run.stderr}`);
    const answers = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Answer);
    assert.deepEqual(
      answers.map((a) => [a.method, a.error]),
      queries.map((q) => [q.method, null]),
    );
    const [hover, definition, implementation] = answers;

    const hoverText = (hover.result as { contents: { kind: string; value: string } }).contents;
    assert.equal(hoverText.kind, 'markdown');
    assert.match(hoverText.value, /implementations of `proto_ops.recvmsg`/);
    assert.match(hoverText.value, /`packet_ops` → `packet_recvmsg`/);

    const definitions = definition.result as { uri: string; range: { start: { line: number } } }[];
    assert.deepEqual(
      definitions.map((d) => [d.uri.endsWith('/include/linux/net.h'), d.range.start.line]),
      [[true, places.protoOpsRecvmsgField.line]],
    );

    const implementations = implementation.result as { uri: string; range: { start: { line: number } } }[];
    const found = implementations.map(
      (i) => `${i.uri.slice(i.uri.indexOf('/net/') + 1)}:${i.range.start.line}`,
    );
    assert.ok(found.includes(`net/packet/af_packet.c:${places.packetRecvmsg.line}`), found.join('\n'));
    assert.ok(
      found.some((place) => place.startsWith('net/ipv4/af_inet.c:')),
      found.join('\n'),
    );
  },
);
