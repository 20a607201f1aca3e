// knr mcp on the 6.1 tree, driven by the MCP SDK's own client over stdio: the tools are listed with
// input schemas and citation advice, and definition, implementations, resolve and trace answer what
// the CLI's `--json` prints for the same question.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { filePosition } from '../support/fixture-position';
import { knrBinary } from '../support/lsp-client';
import { kernelTree, repoRoot, requires } from '../support/prerequisites';

const tree = kernelTree('6.1');
const cache = process.env.KNR_CACHE ?? join(repoRoot, '.cache', 'test-index');

/** `knr <args> --json` on the same tree and cache, parsed, without the timing that varies per run. */
function cliJson(...args: string[]): unknown {
  const result = spawnSync(
    process.execPath,
    [knrBinary(), ...args, '--json', '--kernel', tree.path, '--cache', cache],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  assert.equal(result.status, 0, result.stderr);
  const json = JSON.parse(result.stdout) as Record<string, unknown>;
  delete json.queryMs;
  return json;
}

/** A tool's content: the JSON answer first, then any text. */
function texts(result: unknown): string[] {
  const { content, isError } = result as CallToolResult;
  const all = content.map((item) => (item.type === 'text' ? item.text : ''));
  assert.notEqual(isError, true, all.join('\n'));
  return all;
}

/** `file:line:col` (1-based) of the first `needle` in a file of the tree, plus `offset` characters. */
const positionOf = (file: string, needle: string, offset = 0): string =>
  filePosition(tree.path, file, needle, offset);

describe('knr mcp on the 6.1 tree', requires('knr mcp', tree.missing), () => {
  let client: Client;

  before(async () => {
    // On a fresh machine the tree is not indexed yet, and a cold index takes longer than a tool call
    // may wait (the SDK's 60 s): index it first, as a user would with `knr index`.
    const indexed = spawnSync(
      process.execPath,
      [knrBinary(), 'index', '--kernel', tree.path, '--cache', cache],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(indexed.status, 0, indexed.stderr);
    client = new Client({ name: 'knr-mcp-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [knrBinary(), 'mcp', '--kernel', tree.path, '--cache', cache],
        stderr: 'inherit',
      }),
    );
  });
  after(async () => client?.close());

  test('lists every tool, each with an input schema and a description that says how to cite', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name).sort();
    assert.deepEqual(names, [
      'callees',
      'callers',
      'check_models',
      'compare_live',
      'definition',
      'implementations',
      'resolve',
      'scenarios',
      'trace',
    ]);
    for (const tool of tools) {
      assert.equal(tool.inputSchema.type, 'object', tool.name);
      assert.ok((tool.description ?? '').length > 80, `${tool.name} explains what it answers`);
    }
    for (const name of ['definition', 'implementations', 'resolve', 'callers', 'callees', 'trace']) {
      const tool = tools.find((t) => t.name === name);
      assert.match(tool?.description ?? '', /file:line/, `${name} says how to cite`);
    }
    const resolve = tools.find((t) => t.name === 'resolve');
    assert.deepEqual(resolve?.inputSchema.required, ['position']);
  });

  test('definition answers as knr definition --json, by name and at a position', async () => {
    for (const query of [
      'packet_recvmsg',
      positionOf('net/socket.c', 'sock->ops->recvmsg', 'sock->ops->'.length),
    ]) {
      const [json] = texts(await client.callTool({ name: 'definition', arguments: { query } }));
      const answer = JSON.parse(json) as { name: string }[];
      assert.ok(answer.length > 0, query);
      assert.deepEqual(answer, cliJson('definition', query), query);
    }
  });

  test('implementations answers as knr impls --json', async () => {
    const [json] = texts(
      await client.callTool({ name: 'implementations', arguments: { field: 'proto_ops.recvmsg' } }),
    );
    const answer = JSON.parse(json) as { results: { function: string }[] };
    assert.ok(answer.results.some((r) => r.function === 'packet_recvmsg'));
    assert.deepEqual(answer, cliJson('impls', 'proto_ops.recvmsg'));
  });

  test('resolve answers as knr resolve --json: the call through proto_ops and its implementations', async () => {
    const position = positionOf('net/socket.c', 'sock->ops->recvmsg', 'sock->ops->'.length);
    const [json] = texts(await client.callTool({ name: 'resolve', arguments: { position } }));
    const answer = JSON.parse(json) as { call: { struct: string }; results: { function: string }[] };
    assert.equal(answer.call.struct, 'proto_ops');
    assert.ok(answer.results.some((r) => r.function === 'packet_recvmsg'));
    assert.deepEqual(answer, cliJson('resolve', position));
  });

  test('callers answers with the ops hop, as knr callers --json', async () => {
    const [json] = texts(
      await client.callTool({ name: 'callers', arguments: { function: 'packet_recvmsg' } }),
    );
    const answer = JSON.parse(json) as { results: { how: string; struct?: string }[] };
    assert.ok(answer.results.some((r) => r.how === 'indirect' && r.struct === 'proto_ops'));
    assert.deepEqual(answer, cliJson('callers', 'packet_recvmsg'));
  });

  test('trace answers with knr trace --json and the text rendering', async () => {
    const [scenariosJson] = texts(await client.callTool({ name: 'scenarios', arguments: {} }));
    const scenarios = JSON.parse(scenariosJson) as { name: string }[];
    assert.deepEqual(scenarios, cliJson('scenarios'));
    const scenario = scenarios[0].name;
    const [json, text] = texts(await client.callTool({ name: 'trace', arguments: { scenario } }));
    const trace = JSON.parse(json) as { events: unknown[]; results: unknown[] };
    assert.ok(trace.events.length > 0 && trace.results.length > 0);
    assert.deepEqual(trace, cliJson('trace', scenario));
    const rendered = spawnSync(
      process.execPath,
      [knrBinary(), 'trace', scenario, '--kernel', tree.path, '--cache', cache],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    assert.equal(text.trimEnd(), rendered.stdout.trimEnd());
  });

  test('a bad argument is a tool error that names the problem', async () => {
    const result = (await client.callTool({
      name: 'implementations',
      arguments: { field: 'no_such_struct.recvmsg' },
    })) as CallToolResult;
    assert.equal(result.isError, true);
    assert.match(JSON.stringify(result.content), /no struct no_such_struct/);
  });
});
