// A real editor drives the server: headless neovim's built-in LSP client asks for hover, definition
// and implementation on the real 6.1 tree (neovim-lsp.lua), and this test checks the answers. Neovim
// does not watch files on Linux; files written into a copy of the synthetic mini kernel while it runs
// must still reach the index.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { knrBinary } from '../support/lsp-client';
import { repoRoot, requires } from '../support/prerequisites';
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

/** Runs neovim-lsp.lua on `kernel` and returns its answers, one per query. */
function askNeovim(kernel: string, cache: string, queries: object[], extraEnv: Record<string, string> = {}) {
  const run = spawnSync(
    'nvim',
    ['--headless', '--clean', '-c', `luafile ${join(__dirname, 'neovim-lsp.lua')}`],
    {
      encoding: 'utf8',
      timeout: 19 * 60 * 1000,
      env: {
        ...process.env,
        KNR_NVIM_SERVER: JSON.stringify([process.execPath, knrBinary(), 'lsp', '--stdio']),
        KNR_NVIM_KERNEL: kernel,
        KNR_NVIM_CACHE: cache,
        KNR_NVIM_FILE: 'net/socket.c',
        KNR_NVIM_QUERIES: JSON.stringify(queries),
        KNR_NVIM_TIMEOUT_MS: String(15 * 60 * 1000),
        ...extraEnv,
      },
    },
  );
  assert.equal(run.status, 0, `nvim failed: ${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Answer);
}

test(
  'neovim, which watches no files, sees files written outside it without a restart',
  { ...requires('neovim client', neovimMissing()), timeout: 5 * 60 * 1000 },
  () => {
    const scratch = mkdtempSync(join(tmpdir(), 'knr-neovim-outside-'));
    try {
      const kernel = join(scratch, 'linux');
      cpSync(join(repoRoot, 'test', 'fixtures', 'mini-kernel'), kernel, { recursive: true });
      const changed = 'net/packet/af_packet.c';
      const writes = [
        // An edit of a file the index holds, and a file new to the tree.
        {
          file: changed,
          text: `${readFileSync(join(kernel, changed), 'utf8')}\nint knr_outside_edit(void)\n{\n\treturn 1;\n}\n`,
        },
        { file: 'net/outside.c', text: 'int knr_outside_new_file(void)\n{\n\treturn 2;\n}\n' },
      ];
      const queries = ['knr_outside_edit', 'knr_outside_new_file'].map((query) => ({
        method: 'workspace/symbol',
        query,
        wait_ms: 30_000,
      }));
      const answers = askNeovim(kernel, join(scratch, 'cache'), queries, {
        KNR_NVIM_WRITE: JSON.stringify(writes),
      });
      const found = answers.map((answer) =>
        ((answer.result ?? []) as { name: string; location: { uri: string } }[]).map(
          (symbol) => `${symbol.name} ${symbol.location.uri.slice(symbol.location.uri.indexOf('/net/') + 1)}`,
        ),
      );
      assert.deepEqual(found, [
        ['knr_outside_edit net/packet/af_packet.c'],
        ['knr_outside_new_file net/outside.c'],
      ]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
);

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
