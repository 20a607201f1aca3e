import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { KernelIndex } from '../../server/src/index/kernel-index';
import type { IndexSummary } from '../../server/src/index/open';
import { installerName, type Installation } from '../../server/src/index/queries';
import { openTestIndex } from '../support/kernel-index';
import { kernelTree, requires } from '../support/prerequisites';

const slots = (list: Installation[]) => new Set(list.map((i) => `${i.function}@${installerName(i.source)}`));

/** The 0-based position of the callee name `field` on the first line of `function` that matches. */
function callPosition(root: string, file: string, inFunction: string, pattern: RegExp, field: string) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\S.*\\b${inFunction}\\(`).test(line));
  assert.ok(start >= 0, `${inFunction} not found in ${file}`);
  for (let line = start; line < lines.length; line++) {
    if (!pattern.test(lines[line])) continue;
    const column =
      lines[line].search(pattern) + lines[line].slice(lines[line].search(pattern)).indexOf(field);
    return { line, column };
  }
  throw new Error(`${pattern} not found in ${inFunction}`);
}

for (const version of ['6.1', '6.12'] as const) {
  const tree = kernelTree(version);
  describe(`kernel index on the real ${version} tree`, requires(`real ${version} tree`, tree.missing), () => {
    let index: KernelIndex;
    let summary: IndexSummary;
    before(async () => {
      ({ index, summary } = await openTestIndex(tree.path));
    });

    test('the whole tree is indexed, with problems counted', () => {
      assert.ok(summary.files > 50000, `files: ${summary.files}`);
      assert.ok((summary.functions ?? 0) > 300000, `functions: ${summary.functions}`);
      assert.ok(summary.tables > 20000, `tables: ${summary.tables}`);
      assert.ok(summary.version.startsWith(version + '.'), summary.version);
    });

    test('proto_ops.recvmsg: packet_recvmsg from packet_ops and packet_ops_spkt, inet_recvmsg from inet_sockraw_ops', () => {
      const found = slots(index.implementations('proto_ops', 'recvmsg'));
      for (const expected of [
        'packet_recvmsg@packet_ops',
        'packet_recvmsg@packet_ops_spkt',
        'inet_recvmsg@inet_sockraw_ops',
        'inet_recvmsg@inet_stream_ops',
        'inet_recvmsg@inet_dgram_ops',
        'tipc_recvmsg@packet_ops',
      ]) {
        assert.ok(found.has(expected), `${expected} missing`);
      }
      const tipc = index
        .implementations('proto_ops', 'recvmsg')
        .find((i) => i.function === 'tipc_recvmsg' && installerName(i.source) === 'packet_ops');
      assert.equal(tipc?.file, 'net/tipc/socket.c', 'tipc packet_ops is its own static table');
      const afPacket = index
        .implementations('proto_ops', 'recvmsg')
        .find((i) => i.function === 'packet_recvmsg');
      assert.equal(afPacket?.file, 'net/packet/af_packet.c');
    });

    test('proto.recvmsg includes raw_recvmsg; net_proto_family.create includes packet_create and inet_create', () => {
      assert.ok(slots(index.implementations('proto', 'recvmsg')).has('raw_recvmsg@raw_prot'));
      const create = slots(index.implementations('net_proto_family', 'create'));
      assert.ok(create.has('packet_create@packet_family_ops'));
      assert.ok(create.has('inet_create@inet_family_ops'));
    });

    test('inetsw_array: the SOCK_RAW entry pairs raw_prot with inet_sockraw_ops', () => {
      const table = index.table('inetsw_array', 'net/ipv4/af_inet.c');
      assert.ok(table);
      const rawElement = table.slots.find((s) => s.field === 'type' && s.value === 'SOCK_RAW')?.element;
      assert.notEqual(rawElement, undefined);
      const element = table.slots.filter((s) => s.element === rawElement).map((s) => `${s.field}=${s.value}`);
      assert.ok(element.includes('prot=&raw_prot'), element.join(' '));
      assert.ok(element.includes('ops=&inet_sockraw_ops'), element.join(' '));
    });

    test('resolve: the recvmsg in sock_recvmsg_nosec reaches packet_recvmsg and inet_recvmsg', () => {
      const at = callPosition(tree.path, 'net/socket.c', 'sock_recvmsg_nosec', /->recvmsg\b/, 'recvmsg');
      const call = index.callAt('net/socket.c', at.line, at.column);
      assert.ok(call?.indirect);
      assert.equal(call.struct, 'proto_ops');
      const found = slots(call.candidates);
      assert.ok(found.has('packet_recvmsg@packet_ops') && found.has('inet_recvmsg@inet_sockraw_ops'));
    });

    test('resolve: sk->sk_prot->recvmsg in inet_recvmsg reaches raw_recvmsg', () => {
      const at = callPosition(
        tree.path,
        'net/ipv4/af_inet.c',
        'inet_recvmsg',
        /sk_prot->recvmsg\b/,
        'recvmsg',
      );
      const call = index.callAt('net/ipv4/af_inet.c', at.line, at.column);
      assert.ok(call?.indirect);
      assert.equal(call.struct, 'proto');
      assert.ok(slots(call.candidates).has('raw_recvmsg@raw_prot'));
    });

    test('callers of packet_recvmsg include sock_recvmsg_nosec through proto_ops.recvmsg', () => {
      const edge = index.callers('packet_recvmsg').find((e) => e.caller === 'sock_recvmsg_nosec');
      assert.equal(edge?.hop?.struct, 'proto_ops');
      assert.ok(edge.hop.tables.includes('packet_ops'), edge.hop.tables.join(', '));
    });

    test('functions defined by SYSCALL_DEFINEn and BPF_CALL_n are definitions, and callers', () => {
      const socket = index.definitions('sys_socket', 'net/socket.c')[0];
      assert.equal(`${socket?.kind} ${socket?.file}`, 'function net/socket.c');
      const line = readFileSync(join(tree.path, 'net/socket.c'), 'utf8').split('\n')[socket.span.line];
      assert.equal(line.slice(socket.span.column, socket.span.endColumn), 'socket');
      assert.match(line, /^SYSCALL_DEFINE3\(socket,/);
      const callers = new Set(index.callers('__sys_recvfrom').map((edge) => edge.caller));
      for (const caller of ['sys_recvfrom', 'sys_recv', 'sys_socketcall'])
        assert.ok(callers.has(caller), caller);
      assert.equal(index.definitions('bpf_skb_load_bytes', 'net/core/filter.c')[0]?.kind, 'function');
    });

    test('function-like macros used in net/ are defined in include/, and a call of one resolves to it', () => {
      for (const name of ['max_t', 'NL_SET_ERR_MSG', 'module_init', 'IS_ENABLED']) {
        const [first] = index.definitions(name, 'net/core/dev.c');
        assert.equal(first?.kind, 'macro', name);
        assert.ok(first.file.startsWith('include/'), `${name}: ${first.file}`);
        assert.match(first.detail, new RegExp(`^#define ${name}\\(`), name);
      }
      // `max(...)` in net/: the macro of include/linux/minmax.h, not a selftest's function.
      const file = 'net/ipv4/tcp_output.c';
      const lines = readFileSync(join(tree.path, file), 'utf8').split('\n');
      const calls = lines.flatMap((text, line) =>
        [...text.matchAll(/\bmax\(/g)].map((match) => index.callAt(file, line, match.index!)),
      );
      const call = calls.find((found) => found !== undefined);
      assert.ok(call && !call.indirect, `no direct call of max in ${file}`);
      const [candidate] = call.candidates;
      assert.equal(`${candidate.kind} ${candidate.file}`, 'macro include/linux/minmax.h');
    });

    test('constants evaluate from the tree headers', () => {
      assert.equal(index.evaluateConstant('AF_PACKET'), 17);
      assert.equal(index.evaluateConstant('ETH_P_ALL'), 3);
      assert.equal(index.evaluateConstant('MSG_TRUNC'), 0x20);
      assert.equal(index.evaluateConstant('PACKET_AUXDATA'), 8);
    });
  });
}
