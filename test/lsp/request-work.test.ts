// What one request asks of the index, and how long lists read, over a fake index that counts its
// calls: on the whole tree a needless `callers` or `tablesOfStruct` costs hundreds of milliseconds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover, Location } from 'vscode-languageserver-protocol';
import { evidenceStrength, type Evidence } from '../../server/src/index/facts';
import type { CallEdge, Installation, TableSummary } from '../../server/src/index/queries';
import { FakeIndex, span } from './support/fake-index';
import { startInProcess, type InProcessServer } from './support/in-process';
import { markersIn, miniKernel } from './support/markers';

const file = 'net/request_work.c';
const other = 'net/other.c';
const text = `struct proto_ops {
	int (*recvmsg/*@field*/)(struct socket *sock);
	int (*sendmsg)(struct socket *sock);
};
typedef struct proto_ops proto_ops_t;
static proto_ops_t/*@typedef_use*/ *ops;
static int use(struct proto_ops/*@struct_tag*/ *proto_ops/*@bare_name*/)
{
	memset/*@memset*/(proto_ops, 0, 1);
	packet_recvmsg/*@installed*/(proto_ops);
	return helper/*@helper*/(proto_ops);
}
static inline/*@inline*/ void/*@void*/ declared(void);
`;
const marks = markersIn(text);
const uri = pathToFileURL(join(miniKernel, file)).href;

function at(marker: string) {
  const position = marks.get(marker);
  if (!position) throw new Error(`no marker ${marker}`);
  return { textDocument: { uri }, position, context: { includeDeclaration: false } };
}

/** A fake index that counts the calls of the expensive queries. */
class CountingIndex extends FakeIndex {
  readonly asked = { callers: [] as string[], tablesOfStruct: [] as string[] };
  override callers(fn: string, options?: { indirectOnly?: boolean }): CallEdge[] {
    this.asked.callers.push(options?.indirectOnly ? `${fn} (indirect only)` : fn);
    return super.callers(fn);
  }
  override tablesOfStruct(struct: string): TableSummary[] {
    this.asked.tablesOfStruct.push(struct);
    return super.tablesOfStruct(struct);
  }
  reset(): void {
    this.asked.callers.length = 0;
    this.asked.tablesOfStruct.length = 0;
  }
}

const evidences: Evidence[] = ['name-only', 'initializer', 'assignment', 'type-matched-call'];
const indirectSites = 30;
const definitionsOfMemset = 40;

function buildIndex(): CountingIndex {
  const index = new CountingIndex(miniKernel);
  const facts = index.file(file);
  const fieldAt = marks.get('field')!;
  facts.structs.push({
    name: 'proto_ops',
    kind: 'struct',
    span: { line: 0, column: 0, endLine: 3, endColumn: 1 },
    nameSpan: span(0, 7, 'proto_ops'.length),
    fields: [
      {
        name: 'recvmsg',
        nameSpan: span(fieldAt.line, fieldAt.character, 'recvmsg'.length),
        type: 'int (*)(struct socket *)',
        isFunctionPointer: true,
      },
      {
        name: 'sendmsg',
        nameSpan: span(2, 7, 'sendmsg'.length),
        type: 'int (*)(struct socket *)',
        isFunctionPointer: true,
      },
    ],
  });
  facts.typedefs.push({
    name: 'proto_ops_t',
    nameSpan: span(4, 25, 'proto_ops_t'.length),
    type: 'struct proto_ops',
    typeTag: 'proto_ops',
  });
  index.symbols.push(
    { kind: 'struct', name: 'proto_ops', file, span: span(0, 7, 9), detail: 'struct proto_ops' },
    {
      kind: 'typedef',
      name: 'proto_ops_t',
      file,
      span: span(4, 25, 11),
      detail: 'typedef struct proto_ops proto_ops_t',
    },
  );
  for (let n = 0; n < definitionsOfMemset; n++) {
    index.symbols.push({
      kind: 'function',
      name: 'memset',
      file: `arch/a${n}/lib/memset.c`,
      span: span(1, 5, 6),
      detail: 'void *memset(void *s, int c, size_t n)',
    });
  }
  // What error recovery leaves under keywords' names, beside the kernel's own `#define inline`.
  for (const name of ['void', 'inline'])
    index.symbols.push({ kind: 'variable', name, file: other, span: span(50, 4, name.length), detail: name });
  index.symbols.push({ kind: 'macro', name: 'inline', file: other, span: span(60, 8, 6), detail: 'inline' });
  index.macros.set('inline', 'inline __gnu_inline');
  for (const name of ['helper', 'packet_recvmsg', 'inet_recvmsg'])
    index.symbols.push({ kind: 'function', name, file: other, span: span(1, 4, name.length), detail: name });
  const installation = (fn: string, table: string, line: number): Installation => ({
    function: fn,
    struct: 'proto_ops',
    field: 'recvmsg',
    source: { kind: 'slot', table },
    evidence: 'initializer',
    file: other,
    span: span(line, 12, fn.length),
  });
  index.installations.push(
    installation('packet_recvmsg', 'packet_ops', 20),
    installation('inet_recvmsg', 'inet_stream_ops', 21),
  );
  index.tables.push({
    name: 'packet_ops',
    struct: 'proto_ops',
    location: { kind: 'table', name: 'packet_ops', file: other, span: span(19, 24, 10), detail: '' },
    slots: [],
    uses: [],
  });
  index.edges.push({
    caller: 'main',
    callee: 'memset',
    file: other,
    span: span(40, 1, 6),
    evidence: 'direct',
  });
  // Indirect sites through proto_ops.recvmsg reach both implementations; one site goes through
  // another field and must not be listed as a use of recvmsg.
  for (let n = 0; n < indirectSites; n++) {
    const evidence = evidences[n % evidences.length];
    for (const [fn, table] of [
      ['packet_recvmsg', 'packet_ops'],
      ['inet_recvmsg', 'inet_stream_ops'],
    ]) {
      index.edges.push({
        caller: `${evidence}_caller_${n}`,
        callee: fn,
        file: other,
        span: span(100 + n, 8, 7),
        hop: { struct: 'proto_ops', field: 'recvmsg', tables: [table], evidence },
        evidence: 'type-matched-call',
      });
    }
  }
  index.edges.push({
    caller: 'sendmsg_caller',
    callee: 'packet_recvmsg',
    file: other,
    span: span(300, 8, 7),
    hop: { struct: 'proto_ops', field: 'sendmsg', tables: ['packet_ops'], evidence: 'initializer' },
    evidence: 'type-matched-call',
  });
  return index;
}

function hoverText(hover: Hover | null): string {
  assert.ok(hover, 'a hover');
  return (hover.contents as { value: string }).value;
}

describe('what a request asks of the index', () => {
  let server: InProcessServer;
  let index: CountingIndex;
  before(async () => {
    index = buildIndex();
    server = await startInProcess(miniKernel, index);
    await server.indexed;
    await server.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text },
    });
  });
  after(() => server.close());

  test('hover on a function no table installs does not ask for its callers', async () => {
    index.reset();
    const text = hoverText(await server.client.sendRequest('textDocument/hover', at('helper')));
    assert.match(text, /```c\nhelper\n```/);
    assert.doesNotMatch(text, /Reached by/);
    assert.deepEqual(index.asked.callers, []);
  });

  test('hover on an installed function counts the indirect calls reaching it and lists the strongest first', async () => {
    index.reset();
    const text = hoverText(await server.client.sendRequest('textDocument/hover', at('installed')));
    assert.deepEqual(index.asked.callers, ['packet_recvmsg (indirect only)']);
    assert.match(text, new RegExp(`Reached by ${indirectSites + 1} indirect calls`));
    const listed = [...text.matchAll(/^- `([\w-]+?)_caller\w*`/gm)].map((m) =>
      m[1] === 'sendmsg' ? 'initializer' : (m[1] as Evidence),
    );
    assert.equal(listed.length, 25, text);
    const strengths = listed.map((evidence) => evidenceStrength[evidence]);
    assert.deepEqual(
      strengths,
      [...strengths].sort((a, b) => b - a),
      `strongest evidence first: ${listed.join(' ')}`,
    );
    assert.equal(listed[0], 'initializer');
    assert.match(text, /… and 6 more/);
  });

  test('references on a name defined in many files ask for its callers once, and list each site once', async () => {
    index.reset();
    const found = (await server.client.sendRequest('textDocument/references', at('memset'))) as Location[];
    assert.deepEqual(index.asked.callers, ['memset']);
    assert.deepEqual(
      found.map((l) => [l.uri.slice(l.uri.lastIndexOf('/') + 1), l.range.start.line]),
      [['other.c', 40]],
    );
  });

  test('references on a function-pointer field: its slots and the calls through it, from one query for indirect callers', async () => {
    index.reset();
    const found = (await server.client.sendRequest('textDocument/references', at('field'))) as Location[];
    assert.deepEqual(index.asked.callers, ['packet_recvmsg (indirect only)']);
    const lines = found.map((l) => l.range.start.line);
    assert.deepEqual(lines.slice(0, 2), [20, 21], 'the two slots that install an implementation come first');
    assert.deepEqual(
      lines.slice(2),
      Array.from({ length: indirectSites }, (_, n) => 100 + n),
      'every call through proto_ops.recvmsg once, and none through sendmsg',
    );
  });

  test('a bare name is never a struct tag: no tables, no jump to the struct', async () => {
    index.reset();
    assert.equal(await server.client.sendRequest('textDocument/implementation', at('bare_name')), null);
    assert.equal(await server.client.sendRequest('textDocument/definition', at('bare_name')), null);
    assert.equal(await server.client.sendRequest('textDocument/references', at('bare_name')), null);
    assert.deepEqual(index.asked.tablesOfStruct, []);
  });

  test('implementation on a struct tag or a typedef of it lists the struct tables', async () => {
    for (const marker of ['struct_tag', 'typedef_use']) {
      index.reset();
      const found = (await server.client.sendRequest(
        'textDocument/implementation',
        at(marker),
      )) as Location[];
      assert.deepEqual(
        found.map((l) => l.range.start.line),
        [19],
        marker,
      );
      assert.deepEqual(index.asked.tablesOfStruct, ['proto_ops'], marker);
    }
  });

  test('a C keyword names nothing but a macro', async () => {
    for (const method of ['textDocument/hover', 'textDocument/definition', 'textDocument/references'])
      assert.equal(await server.client.sendRequest(method, at('void')), null, method);
    const inline = (await server.client.sendRequest('textDocument/definition', at('inline'))) as Location[];
    assert.deepEqual(
      inline.map((l) => l.range.start.line),
      [60],
    );
  });
});
