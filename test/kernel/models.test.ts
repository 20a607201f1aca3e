// The models on the real 6.1 and 6.12 trees: every anchor resolves, every built-in scenario runs,
// and the paths and results of the seed's cases are what the kernel does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { KernelIndex } from '../../server/src/index/kernel-index';
import { listLibrary, type LibraryScenario } from '../../server/src/scenario/library';
import type { StatementResult } from '../../server/src/scenario/result';
import { fileSourceReader, type SourceReader } from '../../server/src/trace/anchors';
import { traceScenarioFile } from '../../server/src/trace/api';
import { perNamespacePacketChains, pingRcvWithoutClone } from '../../server/src/models/later-kernels';
import { checkModels } from '../../server/src/trace/check-models';
import { pathOf, type Trace } from '../../server/src/trace/trace';
import { definitionLine } from '../support/definition-line';
import { openTestIndex } from '../support/kernel-index';
import { kernelTree, requires } from '../support/prerequisites';

/** The seed's functions and their files; where each starts is read off the tree itself. */
const seedFunctions = {
  packet_create: 'net/packet/af_packet.c',
  packet_recvmsg: 'net/packet/af_packet.c',
  inet_create: 'net/ipv4/af_inet.c',
  raw_recvmsg: 'net/ipv4/raw.c',
  sock_recvmsg: 'net/socket.c',
} as const;

const hops = (trace: Trace) =>
  trace.events
    .filter((e) => e.hop)
    .map((e) => `${e.hop!.struct}.${e.hop!.field}@${e.hop!.table}->${e.hop!.target}`);
const resultsOf = (trace: Trace, call: string): StatementResult[] =>
  trace.results.filter((r) => r.call === call);

for (const version of ['6.1', '6.12'] as const) {
  const tree = kernelTree(version);
  describe(`models on the real ${version} tree`, requires(`real ${version} tree`, tree.missing), () => {
    let index: KernelIndex;
    let source: SourceReader;
    let library: LibraryScenario[];
    const traces = new Map<string, Trace>();

    before(async () => {
      ({ index } = await openTestIndex(tree.path));
      source = fileSourceReader(index.root);
      library = await listLibrary();
      for (const scenario of library) {
        const outcome = await traceScenarioFile(scenario.file, index, source);
        assert.deepEqual(outcome.diagnostics, [], scenario.name);
        traces.set(scenario.name, outcome.trace!);
      }
    });

    test('knr check-models: every anchor resolves or is a declared per-version difference', () => {
      const report = checkModels(index, source);
      assert.deepEqual(report.unresolved, []);
      assert.ok(report.resolved.length > 250, `resolved: ${report.resolved.length}`);
      // Where the kernel reports packet ends elsewhere (a tail call, inlining), the tree bears it out.
      assert.deepEqual(
        report.endDeclarations.filter((d) => !d.holds),
        [],
      );
      assert.ok(report.endDeclarations.length >= 3, JSON.stringify(report.endDeclarations));
      // The later kernel changes the models declare ends for are newer than the tree, which lacks their code.
      assert.deepEqual(
        report.laterChanges.filter((c) => !c.holds),
        [],
      );
      assert.ok(report.laterChanges.length >= 2, JSON.stringify(report.laterChanges));
    });

    test('the ends a later kernel reports otherwise carry the declaration, and only those ends', () => {
      const endsOf = (name: string) => traces.get(name)?.ends ?? [];
      const icmp = endsOf('ping-send-loopback').filter((e) => e.function === 'icmp_rcv');
      // The echo request's end in icmp_rcv is every kernel's; the reply's, handed to ping_rcv, is not.
      assert.deepEqual(
        icmp.map((e) => [e.how, e.declared?.change, e.declared?.kernel]),
        [
          ['consumed', undefined, undefined],
          ['consumed', pingRcvWithoutClone, []],
        ],
      );
      // The UDP datagram a namespace's packet socket filters out: IPv4's end, then the packet socket's.
      const udp = endsOf('packet-filter-icmp-only').find((e) => e.function === '__udp4_lib_rcv');
      assert.equal(udp?.declared?.change, perNamespacePacketChains);
      assert.equal(udp?.declared?.ownEndKept, true);
      assert.deepEqual(udp?.declared?.kernel, [{ how: 'consumed', function: 'packet_rcv' }]);
      // A raw socket's queue is freed after a grace period, a packet socket's at close.
      const queued = endsOf('packet-outgoing-lo').filter((e) => e.how === 'queued');
      assert.ok(queued.some((e) => e.declared?.afterGracePeriod));
      assert.ok(queued.every((e) => (e.declared === undefined) === (e.function === 'packet_rcv')));
    });

    test('every built-in scenario runs to the end with every event on a line of its function', () => {
      for (const [name, trace] of traces) {
        assert.equal(trace.stopped, undefined, `${name}: ${trace.stopped?.message}`);
        const unresolved = trace.events.filter((e) => e.unresolved);
        assert.deepEqual(unresolved, [], name);
        assert.ok(
          trace.events.every((e) => e.line > 0 && e.source !== undefined),
          name,
        );
      }
    });

    test('the seed’s functions are where the tree has them', () => {
      const all = [...traces.values()].flatMap((t) => t.events).filter((e) => e.anchor === 'enter');
      for (const [fn, file] of Object.entries(seedFunctions)) {
        const line = definitionLine(readFileSync(join(tree.path, file), 'utf8'), fn);
        assert.equal(all.find((e) => e.function === fn)?.line, line, fn);
      }
    });

    test('AF_PACKET + SOCK_STREAM: net_families to packet_create, ESOCKTNOSUPPORT', () => {
      const trace = traces.get('packet-create-stream')!;
      assert.deepEqual(
        trace.results.map((r) => [r.call, r.return, r.errno]),
        [['socket', -1, 'ESOCKTNOSUPPORT']],
      );
      assert.deepEqual(pathOf(trace), [
        '__sys_socket',
        '__sock_create',
        'net_proto_family.create->packet_create',
        'packet_create',
      ]);
      assert.deepEqual(hops(trace), ['net_proto_family.create@packet_family_ops->packet_create']);
    });

    test('packet socket types: RAW and DGRAM accepted, protocol 0 registers no hook, SEQPACKET rejected', () => {
      const trace = traces.get('packet-create-types')!;
      assert.deepEqual(
        resultsOf(trace, 'socket').map((r) => r.errno ?? r.return),
        [3, 4, 5, 'ESOCKTNOSUPPORT'],
      );
      const hooks = trace.events
        .filter((e) => e.function === 'packet_create' && e.anchor === 'hook')
        .map((e) => e.branch);
      assert.deepEqual(hooks, [
        'protocol set: the hook is registered',
        'protocol set: the hook is registered',
        'protocol 0: no hook until bind',
      ]);
    });

    test('PF_INET + SOCK_PACKET becomes a SOCK_PACKET packet socket receiving whole frames', () => {
      const trace = traces.get('packet-sock-packet-rewrite')!;
      assert.ok(trace.events.some((e) => e.function === '__sock_create' && e.anchor === 'spktRewrite'));
      assert.ok(hops(trace).includes('proto_ops.recvmsg@packet_ops_spkt->packet_recvmsg'));
      assert.ok(trace.events.some((e) => e.function === 'packet_rcv_spkt' && e.anchor === 'enter'));
      const [received] = resultsOf(trace, 'recvmsg');
      assert.equal(received.return, 42);
      assert.deepEqual(received.source, { family: '1', length: 18 });
    });

    test('priority 3 VLAN 10 with PACKET_AUXDATA: USER|VLAN_VALID|VLAN_TPID_VALID, tci 0x600a, tag removed from the data', () => {
      const trace = traces.get('packet-auxdata-vlan')!;
      const [received] = resultsOf(trace, 'recvmsg');
      assert.equal(received.return, 66);
      assert.match(received.data ?? '', /^024b4e520001024b4e5200020800/);
      const message = received.control?.[0];
      assert.ok(message && 'auxdata' in message);
      assert.deepEqual(message.auxdata.tp_status_names, [
        'TP_STATUS_USER',
        'TP_STATUS_VLAN_VALID',
        'TP_STATUS_VLAN_TPID_VALID',
      ]);
      assert.equal(message.auxdata.tp_vlan_tci, 0x600a);
      assert.equal(message.auxdata.tp_vlan_tpid, 0x8100);
      assert.ok(hops(trace).includes('proto_ops.recvmsg@packet_ops->packet_recvmsg'));
      assert.ok(hops(trace).includes('proto_ops.setsockopt@packet_ops->packet_setsockopt'));
    });

    test('an untagged frame gives TP_STATUS_USER alone; a double tag keeps the inner tag in the data', () => {
      const untagged = resultsOf(traces.get('packet-auxdata-untagged')!, 'recvmsg')[0].control?.[0];
      assert.ok(untagged && 'auxdata' in untagged);
      assert.deepEqual([untagged.auxdata.tp_status, untagged.auxdata.tp_vlan_tci], [1, 0]);
      const double = resultsOf(traces.get('packet-auxdata-double-tag')!, 'recvmsg')[0];
      const outer = double.control?.[0];
      assert.ok(outer && 'auxdata' in outer);
      assert.deepEqual([outer.auxdata.tp_vlan_tpid, outer.auxdata.tp_vlan_tci], [0x88a8, (5 << 13) | 30]);
      assert.equal(double.data?.slice(24, 32), '81000014');
    });

    test('packet_recvmsg flag checks: MSG_OOB is EINVAL, MSG_PEEK leaves the frame, MSG_TRUNC gives its length', () => {
      const receives = resultsOf(traces.get('packet-recvmsg-flags')!, 'recv');
      assert.deepEqual(
        receives.map((r) => r.errno ?? r.return),
        ['EINVAL', 'EAGAIN', 'EAGAIN', 16, 74, 'EAGAIN'],
      );
    });

    test('SOCK_DGRAM bound to knr0 for ETH_P_IP: the IP frame from its network header, the other EtherType not at all', () => {
      const trace = traces.get('packet-dgram-bind')!;
      const [first, second] = resultsOf(trace, 'recvmsg');
      assert.equal(first.return, 32);
      assert.match(first.data ?? '', /^4500/);
      assert.equal(second.errno, 'EAGAIN');
    });

    test('raw sockets through inetsw: raw_prot via the wildcard, EPROTONOSUPPORT for 0, ping_prot denied by ping_group_range', () => {
      const trace = traces.get('raw-create')!;
      assert.deepEqual(
        resultsOf(trace, 'socket').map((r) => r.errno ?? r.return),
        [3, 4, 'EPROTONOSUPPORT', 'EACCES'],
      );
      const all = hops(trace);
      for (const hop of [
        'net_proto_family.create@inet_family_ops->inet_create',
        'proto.hash@raw_prot->raw_hash_sk',
        'proto.init@raw_prot->raw_sk_init',
        'proto.init@ping_prot->ping_init_sock',
        'proto_ops.release@inet_sockraw_ops->inet_release',
      ]) {
        assert.ok(all.includes(hop), hop);
      }
    });

    test('raw delivery fans out before the handler, honours ICMP_FILTER, and the echo request is still answered', () => {
      const trace = traces.get('raw-icmp-filter-fanout')!;
      assert.deepEqual(
        resultsOf(trace, 'recv').map((r) => r.errno ?? r.return),
        [52, 'EAGAIN'],
      );
      assert.equal(resultsOf(trace, 'setsockopt')[1].errno, 'EOPNOTSUPP');
      const order = pathOf(trace);
      assert.ok(order.indexOf('raw_local_deliver') < order.indexOf('net_protocol.handler->icmp_rcv'));
      assert.ok(order.includes('icmp_echo'));
    });

    test('raw_v4_match by bound address, connected peer and bound device; SO_ATTACH_FILTER drop and trim', () => {
      assert.deepEqual(
        resultsOf(traces.get('raw-bind-connect-device')!, 'recvmsg').map((r) => r.errno ?? r.return),
        [36, 'EAGAIN', 'EAGAIN'],
      );
      assert.deepEqual(
        resultsOf(traces.get('raw-filter-drop-trim')!, 'recv').map((r) => r.errno ?? r.return),
        ['EAGAIN', 24],
      );
    });

    test("SO_ATTACH_FILTER with tcpdump's 'icmp' program: the echo is kept, the UDP datagram dropped", () => {
      const trace = traces.get('packet-filter-icmp-only')!;
      assert.deepEqual(
        resultsOf(trace, 'recv').map((r) => r.errno ?? r.return),
        [74, 'EAGAIN'],
      );
      // A packet socket runs its filter in af_packet.c's run_filter, not in sk_filter_trim_cap.
      assert.ok(trace.events.some((e) => e.function === 'run_filter'));
    });

    test('raw_recvmsg: MSG_OOB EOPNOTSUPP, a short buffer MSG_TRUNC, MSG_TRUNC the full length; via inet_recvmsg', () => {
      const trace = traces.get('raw-recvmsg-trunc')!;
      const receives = resultsOf(trace, 'recvmsg');
      assert.deepEqual(
        receives.map((r) => [r.errno ?? r.return, r.msgFlags]),
        [
          ['EOPNOTSUPP', undefined],
          [16, ['MSG_TRUNC']],
          [50, ['MSG_TRUNC']],
        ],
      );
      assert.ok(hops(trace).includes('proto_ops.recvmsg@inet_sockraw_ops->inet_recvmsg'));
      assert.ok(hops(trace).includes('proto.recvmsg@raw_prot->raw_recvmsg'));
    });

    test('UDP to a closed port and an unknown protocol: the raw UDP socket gets the first, ICMP errors answer both', () => {
      const trace = traces.get('raw-udp-and-unreachable')!;
      assert.deepEqual(
        resultsOf(trace, 'recvmsg').map((r) => r.errno ?? r.return),
        [38, 'EAGAIN'],
      );
      const codes = trace.events
        .filter((e) => e.function === '__icmp_send' && e.anchor === 'enter')
        .map((e) => e.values.code);
      assert.deepEqual(codes, [3, 2]);
    });

    test('a trace of any built-in scenario takes under 100 ms once the index is loaded', async () => {
      // CPU time of this process, so that other work on a shared machine does not decide the verdict.
      for (const scenario of library) {
        const samples: { cpuMs: number; wallMs: number }[] = [];
        for (let i = 0; i < 3; i++) {
          const cpu = process.cpuUsage();
          const wall = performance.now();
          await traceScenarioFile(scenario.file, index, source);
          const used = process.cpuUsage(cpu);
          samples.push({ cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall });
        }
        const median = samples.sort((a, b) => a.cpuMs - b.cpuMs)[1];
        assert.ok(
          median.cpuMs < 100,
          `${scenario.name}: ${median.cpuMs.toFixed(1)} ms CPU (${median.wallMs.toFixed(1)} ms wall)`,
        );
      }
    });
  });
}
