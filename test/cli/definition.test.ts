// knr definition on the synthetic tree: text and JSON answers, best first, and a clear error for
// each kind of bad position.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { positionOf } from '../support/fixture-position';
import { knrBinary } from '../support/lsp-client';
import { repoRoot } from '../support/prerequisites';

const root = join(repoRoot, 'test', 'fixtures', 'index-tree');

describe('knr definition', () => {
  let cache: string;
  const knr = (...args: string[]) =>
    spawnSync(process.execPath, [knrBinary(), 'definition', ...args, '--kernel', root, '--cache', cache], {
      encoding: 'utf8',
    });
  /** `file:line:col` (1-based) of `needle` in the fixture file, plus `offset` characters. */
  const at = (file: string, needle: string, offset = 0) => {
    const { line, column } = positionOf(root, file, needle, offset);
    return `${file}:${line + 1}:${column + 1}`;
  };

  before(() => {
    cache = mkdtempSync(join(tmpdir(), 'knr-definition-test-'));
  });
  after(() => rmSync(cache, { recursive: true, force: true }));

  test('a NAME lists every definition, one `file:line:column kind name` line each', () => {
    const result = knr('packet_ops');
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split(':')[0]).sort(), [
      'net/packet/af_packet.c',
      'net/tipc/socket.c',
    ]);
    const tipc = positionOf(root, 'net/tipc/socket.c', 'packet_ops = {');
    assert.ok(
      lines.includes(`net/tipc/socket.c:${tipc.line + 1}:${tipc.column + 1} table packet_ops`),
      lines.join('\n'),
    );
  });

  test('at a position, the file asking sees its own static first, as go-to-definition does', () => {
    const tipcCall = knr(at('net/tipc/socket.c', 'packet_ops = {'));
    assert.equal(tipcCall.status, 0, tipcCall.stderr);
    assert.match(tipcCall.stdout.split('\n')[0], /^net\/tipc\/socket\.c:\d+:\d+ table packet_ops$/);
    const call = knr(at('net/socket.c', 'sock_recvmsg_nosec(sock, msg', 3));
    assert.equal(call.status, 0, call.stderr);
    const definition = positionOf(root, 'net/socket.c', 'sock_recvmsg_nosec(struct');
    assert.equal(
      call.stdout.trim(),
      `net/socket.c:${definition.line + 1}:${definition.column + 1} function sock_recvmsg_nosec`,
    );
  });

  test('--json prints an array of { name, kind, file, line, column, endLine }', () => {
    const result = knr(at('net/socket.c', 'sock_recvmsg_nosec(sock, msg'), '--json');
    assert.equal(result.status, 0, result.stderr);
    const definition = positionOf(root, 'net/socket.c', 'sock_recvmsg_nosec(struct');
    const [found, ...rest] = JSON.parse(result.stdout) as Record<string, unknown>[];
    assert.deepEqual(rest, []);
    assert.deepEqual(Object.keys(found).sort(), ['column', 'endLine', 'file', 'kind', 'line', 'name']);
    assert.equal(found.name, 'sock_recvmsg_nosec');
    assert.equal(found.kind, 'function');
    assert.equal(found.file, 'net/socket.c');
    assert.equal(found.line, definition.line + 1);
    assert.equal(found.column, definition.column + 1);
    assert.ok((found.endLine as number) > definition.line + 1, 'endLine is the end of the body');
  });

  test('nothing found: nothing on stdout, one line on stderr, exit status 1', () => {
    const result = knr('no_such_function_anywhere');
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /no definition of no_such_function_anywhere/);
  });

  test('a bad position is an error naming the problem and the place, exit status 1', () => {
    const cases: [string, RegExp][] = [
      [at('net/socket.c', '#include'), /net\/socket\.c:1:1: not on an identifier/],
      ['net/no_such_file.c:1:1', /net\/no_such_file\.c: no such file in the kernel tree/],
      ['net/socket.c:100000:1', /net\/socket\.c:100000: past the end of the file, which has \d+ lines/],
      [
        `${at('net/socket.c', 'int sock_recvmsg(').replace(/:\d+$/, '')}:1000`,
        /past the end of the line, which has \d+ characters/,
      ],
    ];
    for (const [argument, message] of cases) {
      const result = knr(argument);
      assert.equal(result.status, 1, `${argument}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
    }
  });

  test('an argument that is neither a name nor a position is a usage error', () => {
    const result = knr('not a name');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /'not a name' is neither a NAME .* nor FILE:LINE:COL/);
  });
});
