import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KernelIndex } from '../../../server/src/index/kernel-index';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import { openIndexWithSummary, startIndex, type IndexSummary } from '../../../server/src/index/open';
import { installerName, type Installation } from '../../../server/src/index/queries';
import { positionOf } from '../../support/fixture-position';
import { repoRoot } from '../../support/prerequisites';

const root = join(repoRoot, 'test', 'fixtures', 'index-tree');
const elementOf = (i: Installation) => (i.source.kind === 'slot' ? i.source.element : undefined);
const names = (list: Installation[]) => list.map((i) => `${i.function}@${installerName(i.source)}`).sort();

describe('kernel index on a synthetic tree', () => {
  let index: KernelIndex;
  let summary: IndexSummary;
  let cache: string;

  before(async () => {
    cache = mkdtempSync(join(tmpdir(), 'knr-index-test-'));
    ({ index, summary } = await openIndexWithSummary(root, { cache, countFacts: true }));
  });
  after(() => rmSync(cache, { recursive: true, force: true }));

  test('the summary counts files, functions and tables', () => {
    assert.equal(summary.version, '6.1.99');
    assert.equal(summary.files, 11);
    assert.equal(summary.parsed, 11);
    assert.ok((summary.functions ?? 0) >= 15, `functions: ${summary.functions}`);
    assert.equal(summary.tables, 8);
  });

  test('proto_ops.recvmsg lists each table that sets it, static tables per file', () => {
    assert.deepEqual(names(index.implementations('proto_ops', 'recvmsg')), [
      'inet_recvmsg@inet_sockraw_ops',
      'packet_recvmsg@packet_ops',
      'packet_recvmsg@packet_ops_spkt',
      'tipc_recvmsg@packet_ops',
    ]);
    const tipc = index.implementations('proto_ops', 'recvmsg').find((i) => i.function === 'tipc_recvmsg');
    assert.equal(tipc?.file, 'net/tipc/socket.c');
    assert.equal(index.table('packet_ops', 'net/tipc/socket.c')?.slots[0].value, 'tipc_recvmsg');
    assert.equal(
      index.table('packet_ops', 'net/packet/af_packet.c')?.slots.find((s) => s.field === 'recvmsg')?.value,
      'packet_recvmsg',
    );
  });

  test('a field inside #ifdef in an initialiser is recovered and marked', () => {
    const [slot] = index.implementations('proto_ops', 'compat_ioctl');
    assert.equal(slot.function, 'inet_compat_ioctl');
    assert.equal(
      index.table('inet_sockraw_ops')?.slots.find((s) => s.field === 'compat_ioctl')?.recovered,
      true,
    );
  });

  test('arrays of tables keep their element index, &table values resolve', () => {
    const ops = index.implementations('inet_protosw', 'ops');
    assert.deepEqual(
      ops.map((i) => `${i.function}[${elementOf(i)}]`),
      ['inet_sockraw_ops[0]', 'inet_sockraw_ops[1]'],
    );
    const prot = index.implementations('inet_protosw', 'prot');
    assert.deepEqual(
      prot.map((i) => `${i.function}[${elementOf(i)}]`),
      ['raw_prot[1]'],
    );
  });

  test('run-time assignments are bindings through nested fields', () => {
    const hooks = index.implementations('packet_type', 'func');
    assert.deepEqual(hooks.map((i) => `${i.function}:${i.evidence}:${installerName(i.source)}`).sort(), [
      'packet_rcv:assignment:packet_create',
      'packet_rcv_spkt:assignment:packet_create',
    ]);
    assert.deepEqual(
      index
        .implementations('socket', 'ops')
        .map((i) => i.function)
        .sort(),
      ['packet_ops', 'packet_ops_spkt'],
    );
  });

  test('installationsOf a function names its tables; registrations are table uses', () => {
    assert.deepEqual(names(index.installationsOf('packet_recvmsg')), [
      'packet_recvmsg@packet_ops',
      'packet_recvmsg@packet_ops_spkt',
    ]);
    const family = index.table('packet_family_ops');
    assert.deepEqual(
      family?.uses.map((u) => `${u.kind}:${u.function}`),
      ['registration:packet_init'],
    );
  });

  test('resolve: an INDIRECT_CALL_INET(READ_ONCE(sock->ops)->recvmsg) call site', () => {
    const at = positionOf(root, 'net/socket.c', '->recvmsg', 2);
    const call = index.callAt('net/socket.c', at.line, at.column);
    assert.ok(call?.indirect);
    assert.equal(call.struct, 'proto_ops');
    assert.equal(call.via, 'INDIRECT_CALL_INET');
    assert.deepEqual(names(call.candidates), [
      'inet_recvmsg@inet_sockraw_ops',
      'packet_recvmsg@packet_ops',
      'packet_recvmsg@packet_ops_spkt',
      'tipc_recvmsg@packet_ops',
    ]);
  });

  test('resolve: sk->sk_prot->recvmsg and a typedef-ed member chain', () => {
    const at = positionOf(root, 'net/ipv4/af_inet.c', 'sk_prot->recvmsg', 9);
    const call = index.callAt('net/ipv4/af_inet.c', at.line, at.column);
    assert.ok(call?.indirect);
    assert.equal(call.struct, 'proto');
    assert.deepEqual(names(call.candidates), ['raw_recvmsg@raw_prot']);
    const init = positionOf(root, 'net/ipv4/af_inet.c', 'skc_prot->init', 10);
    assert.equal(index.callAt('net/ipv4/af_inet.c', init.line, init.column)?.struct, 'proto');
    // A member alias macro, as the kernel's `#define sk_prot __sk_common.skc_prot`.
    const aliased = positionOf(root, 'net/ipv4/af_inet.c', 'sk_prot_creator->init', 17);
    assert.equal(index.callAt('net/ipv4/af_inet.c', aliased.line, aliased.column)?.struct, 'proto');
  });

  test('callers include the indirect edge through the ops table', () => {
    const edges = index.callers('packet_recvmsg');
    const viaTable = edges
      .filter((e) => e.hop)
      .map((e) => `${e.caller} via ${e.hop!.struct}.${e.hop!.field} (${e.hop!.tables.join(', ')})`);
    assert.deepEqual(viaTable.sort(), [
      'sock_recvmsg_nosec via proto_ops.recvmsg (packet_ops, packet_ops_spkt)',
    ]);
    assert.deepEqual(
      index.callers('sock_recvmsg_nosec').map((e) => `${e.caller}:${e.evidence}`),
      ['sock_recvmsg:direct'],
    );
    assert.deepEqual(
      index.callers('packet_recvmsg', { indirectOnly: true }),
      edges.filter((e) => e.hop),
    );
    assert.deepEqual(index.callers('sock_recvmsg_nosec', { indirectOnly: true }), []);
  });

  test('callees list direct calls and every implementation of an indirect one', () => {
    const callees = index
      .callees('sock_recvmsg_nosec')
      .map((e) => `${e.callee}:${e.hop?.tables.join(',') ?? '-'}`);
    assert.ok(callees.includes('packet_recvmsg:packet_ops'), callees.join(' '));
    assert.ok(callees.includes('inet_recvmsg:inet_sockraw_ops'));
  });

  test('constants evaluate from the tree: macros through macros, enums with implicit values', () => {
    assert.equal(index.evaluateConstant('PF_PACKET'), 17);
    assert.equal(index.evaluateConstant('SOCK_MASK'), 0x2f);
    assert.equal(index.evaluateConstant('SOCK_RAW'), 3);
    assert.equal(index.evaluateConstant('MSG_TRUNC | SOCK_DGRAM'), 34);
    assert.equal(index.evaluateConstant('NO_SUCH_CONSTANT'), undefined);
  });

  test('definitions prefer the static symbol of the asking file; kernel-doc is kept', () => {
    const [fromTipc] = index.definitions('packet_ops', 'net/tipc/socket.c');
    assert.equal(fromTipc.file, 'net/tipc/socket.c');
    const [fn] = index.definitions('sock_recvmsg_nosec');
    assert.equal(fn.kind, 'function');
    assert.match(
      index.functionAt('net/socket.c', fn.span.line)?.doc ?? '',
      /receive without the security hook/,
    );
    assert.equal(
      index.struct('proto_ops')?.fact.fields.find((f) => f.name === 'recvmsg')?.isFunctionPointer,
      true,
    );
  });

  test('kernel code finds kernel definitions before those of selftests and boot wrappers', () => {
    const where = (name: string, fromFile: string) =>
      index.definitions(name, fromFile).map((symbol) => `${symbol.kind} ${symbol.file}`);
    assert.deepEqual(where('memcpy', 'net/socket.c'), [
      'function lib/string.c',
      'function arch/x86/boot/string.c',
      'function tools/testing/selftests/net/copy_test.c',
    ]);
    assert.deepEqual(where('MAX_COPY_LEN', 'net/socket.c'), [
      'macro lib/string.c',
      'function tools/testing/selftests/net/copy_test.c',
    ]);
    assert.deepEqual(where('MAX_COPY_LEN', 'tools/testing/selftests/net/other_test.c'), [
      'function tools/testing/selftests/net/copy_test.c',
      'macro lib/string.c',
    ]);
  });

  test('a second open reuses the persisted index', async () => {
    const again = await openIndexWithSummary(root, { cache });
    assert.equal(again.summary.parsed, 0);
    assert.equal(again.summary.reused, 11);
    assert.deepEqual(
      names(again.index.implementations('proto_ops', 'recvmsg')),
      names(index.implementations('proto_ops', 'recvmsg')),
    );
  });

  test("an editor's text of a file answers over the disk version, which is still saved: the next start re-indexes nothing", async () => {
    const indexer = await FileIndexer.create();
    const edited = readFileSync(join(root, 'net/socket.c'), 'utf8').replace(
      /\bsock_release_all\b/g,
      'sock_release_edited',
    );
    const session = startIndex(root, { cache });
    // What a server does for a document open before the tree's index is loaded.
    session.index.setFile(indexer.indexText('net/socket.c', edited));
    const withEdit = await session.ready;
    assert.equal(withEdit.parsed, 0);
    assert.equal(withEdit.cache, 'loaded');
    assert.deepEqual(session.index.definitions('sock_release_all'), []);
    assert.equal(session.index.definitions('sock_release_edited')[0]?.file, 'net/socket.c');
    assert.equal(session.index.definitions('sock_recvmsg').length, 1);

    const next = await openIndexWithSummary(root, { cache });
    assert.equal(next.summary.parsed, 0);
    assert.equal(next.summary.cache, 'loaded');
    assert.equal(next.index.definitions('sock_release_all')[0]?.file, 'net/socket.c');
  });

  test('searchSymbols ranks exact and prefix matches first', () => {
    const hits = index.searchSymbols('packet_rcv', 3).map((s) => s.name);
    assert.deepEqual(hits.slice(0, 2), ['packet_rcv', 'packet_rcv_spkt']);
  });
});
