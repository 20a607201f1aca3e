// What the server may read, and what a scenario may do. The language server reads only files of its
// trees (never through a symbolic link out of one) and its cache; a scenario that runs live cannot
// include, call or reach anything beyond its helper set and the namespaces the runner creates.
// Reads are detected by access time: the outside file's atime is set before its mtime, so under
// relatime (and strictatime) any read moves it; a control read by the test proves that first.
import assert from 'node:assert/strict';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { SymbolInformation } from 'vscode-languageserver-protocol';
import { AdmissionError, admitForLive } from '../../server/src/live/admission';
import { runLiveProgram } from '../../server/src/live/run-live';
import { liveUnsupportedReason } from '../../server/src/live/support';
import { parseScenario } from '../../server/src/scenario/parse';
import { miniKernel } from '../lsp/support/markers';
import { startKernelServer, type KernelServer } from '../lsp/support/stdio-session';
import { requires } from '../support/prerequisites';

/** Makes the next read of `path` visible: atime well before mtime. */
function armAccessTime(path: string): void {
  const now = Date.now() / 1000;
  // The kernel stamps a read with its coarse clock, which may lag Date.now() by a tick: a modification
  // time a second back keeps a read within that tick visible.
  utimesSync(path, now - 86400, now - 1);
}
function wasRead(path: string): boolean {
  const stat = statSync(path);
  return stat.atimeMs >= stat.mtimeMs;
}

describe('the language server reads nothing outside its tree', { timeout: 60000 }, () => {
  let tree: string;
  let outside: string;
  let server: KernelServer;
  const secretFile = () => join(outside, 'secret.c');
  const secretText = 'int outside_secret_fn(int x)\n{\n\treturn x;\n}\n';

  const symbol = async (name: string) =>
    (await server.request<SymbolInformation[]>('workspace/symbol', { query: name })).filter(
      (s) => s.name === name,
    );
  const changedOnDisk = (files: string[]) =>
    server.session.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: files.map((file) => ({ uri: server.uri(file), type: 1 })),
    });
  /** Waits until `name` is indexed: proof that the notification before it was handled. */
  const indexed = async (name: string) => {
    const deadline = Date.now() + 10000;
    while ((await symbol(name)).length === 0) {
      if (Date.now() > deadline) throw new Error(`${name} never reached the index`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  before(async () => {
    tree = mkdtempSync(join(tmpdir(), 'knr-secure-tree-'));
    outside = mkdtempSync(join(tmpdir(), 'knr-secure-outside-'));
    cpSync(miniKernel, tree, { recursive: true });
    writeFileSync(secretFile(), secretText);
    mkdirSync(join(tree, 'net', 'links'));
    symlinkSync(secretFile(), join(tree, 'net', 'links', 'secret.c'));
    symlinkSync(outside, join(tree, 'net', 'outside'));
    server = await startKernelServer({ kernel: tree });
    await server.ready;
  });
  after(async () => {
    await server.close();
    rmSync(tree, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  test('access times show a read (control)', () => {
    armAccessTime(secretFile());
    assert.equal(wasRead(secretFile()), false);
    readFileSync(secretFile());
    assert.equal(
      wasRead(secretFile()),
      true,
      'this file system does not update atime; the checks below would prove nothing',
    );
  });

  test('indexing skipped the symbolic links: nothing of the outside file is in the index', async () => {
    assert.deepEqual(await symbol('outside_secret_fn'), []);
  });

  test('a watched-file change through a link to a file or a folder outside is not read or indexed', async () => {
    armAccessTime(secretFile());
    writeFileSync(join(tree, 'net', 'control.c'), 'int inside_control_fn(void)\n{\n\treturn 0;\n}\n');
    await changedOnDisk(['net/links/secret.c', 'net/outside/secret.c', 'net/control.c']);
    await indexed('inside_control_fn');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(await symbol('outside_secret_fn'), []);
    assert.equal(wasRead(secretFile()), false, 'the outside file was read');
  });

  test('requests on a linked document or a document outside the tree read nothing there', async () => {
    armAccessTime(secretFile());
    const position = { line: 0, character: 6 };
    for (const uri of [
      server.uri('net/links/secret.c'),
      server.uri('net/outside/secret.c'),
      pathToFileURL(secretFile()).href,
      'file:///etc/passwd',
    ]) {
      for (const method of ['textDocument/definition', 'textDocument/hover', 'textDocument/references']) {
        const params = { textDocument: { uri }, position, context: { includeDeclaration: true } };
        const answer = await server.request<unknown>(method, params);
        assert.ok(answer === null || (Array.isArray(answer) && answer.length === 0), `${method} on ${uri}`);
      }
    }
    assert.equal(wasRead(secretFile()), false, 'the outside file was read');
  });
});

async function admission(source: string): Promise<string | undefined> {
  const parsed = await parseScenario(source, 'attack.c');
  if (!parsed.program) return parsed.diagnostics.map((d) => d.message).join('; ');
  try {
    await admitForLive(source, parsed.program);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof AdmissionError, String(error));
    return error.message;
  }
}

const scenario = (body: string, top = '#include <knr_scenario.h>') =>
  `${top}\n\nint main(void)\n{\n${body}\n\treturn 0;\n}\n`;

test('a scenario cannot include files, run programs, open files or hide code', async () => {
  const attacks: [string, string, RegExp][] = [
    [
      'quoted include',
      scenario('\tknr_loopback();', '#include "/etc/passwd"'),
      /only #include <\.\.\.> headers/,
    ],
    [
      'absolute <...> include',
      scenario('\tknr_loopback();', '#include </etc/passwd>'),
      /<\/etc\/passwd> is not a header name/,
    ],
    [
      'dot-dot <...> include',
      scenario('\tknr_loopback();', '#include <../../../etc/passwd>'),
      /is not a header name/,
    ],
    [
      'include inside main',
      scenario('#include "/etc/passwd"\n\tknr_loopback();'),
      /preproc include is not supported/,
    ],
    ['system()', scenario('\tsystem("touch /tmp/knr-pwned");'), /'system' is not in the helper set/],
    ['fopen()', scenario('\tfopen("/etc/shadow", "r");'), /'fopen' is not in the helper set/],
    ['a nested call', scenario('\tclose(open("/etc/shadow", 0));'), /'open' is not in the helper set/],
    [
      'a macro',
      scenario('\tknr_loopback();', '#define knr_loopback() system("id")'),
      /not allowed at the top level/,
    ],
    [
      'another function',
      `int helper(void) { return 0; }\n${scenario('\tknr_loopback();')}`,
      /only main may be defined/,
    ],
    ['inline assembly', scenario('\tasm("syscall");'), /asm expression is not supported/],
  ];
  for (const [what, source, expected] of attacks) {
    const refusal = await admission(source);
    assert.ok(refusal !== undefined, `${what} was admitted`);
    assert.match(refusal, expected, what);
  }
});

const live = requires('live runs', liveUnsupportedReason());

test(
  'a live scenario that connects to an address outside its namespaces has no route there',
  { ...live, timeout: 120000 },
  async () => {
    const source = scenario(
      [
        '\tknr_veth_pair();',
        '\tint s = socket(AF_INET, SOCK_RAW, 253);',
        '\tstruct sockaddr_in far = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("192.0.2.1") };',
        '\tconnect(s, (struct sockaddr *)&far, sizeof(far));',
        '\tstruct sockaddr_in peer = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_PEER) };',
        '\tconnect(s, (struct sockaddr *)&peer, sizeof(peer));',
      ].join('\n'),
    );
    const parsed = await parseScenario(source, 'no-route.c');
    assert.ok(parsed.program, JSON.stringify(parsed.diagnostics));
    const run = await runLiveProgram(source, parsed.program);
    const connects = run.results.filter((r) => r.call === 'connect');
    assert.equal(connects.length, 2, JSON.stringify(run.results));
    assert.equal(connects[0].errno, 'ENETUNREACH', 'an address outside the namespaces is unreachable');
    assert.equal(connects[1].return, 0, 'the peer namespace, which the runner built, is reachable');
  },
);
