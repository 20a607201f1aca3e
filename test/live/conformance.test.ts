// The conformance suite: every built-in scenario and the generated set run on the models (of the 6.12
// tree, told the running kernel's version) and on the live kernel, and must agree field by field.
// There is no list of fields or cases to ignore: any difference fails its case, and so does a packet
// end that differs from the kernel's where no model declares it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KernelIndex } from '../../server/src/index/kernel-index';
import { describeEndDifference } from '../../server/src/live/compare-ends';
import { compareRuns } from '../../server/src/live/compare-runs';
import { compareScenarioFile } from '../../server/src/live/compare-scenario';
import { libraryFolder } from '../../server/src/scenario/library';
import { formatComparison } from '../../server/src/live/format';
import { runLiveScenario } from '../../server/src/live/run-live';
import { liveUnsupportedReason } from '../../server/src/live/support';
import { registerImplementation, type Implementation } from '../../server/src/models/kernel';
import { packet_recvmsg } from '../../server/src/models/af-packet';
import { icmp_send } from '../../server/src/models/icmp';
import { modelDefinition } from '../../server/src/models';
import type { Kernel } from '../../server/src/models/kernel';
import type { SkBuff } from '../../server/src/models/skbuff';
import { udp_rcv } from '../../server/src/models/udp';
import { openTestIndex } from '../support/kernel-index';
import { kernelTree, requires } from '../support/prerequisites';
import { generatedScenarios } from './generated-scenarios';

const tree = kernelTree('6.12');
const missing = liveUnsupportedReason() ?? tree.missing;

const work = mkdtempSync(join(tmpdir(), 'knr-conformance-'));
after(() => rmSync(work, { recursive: true, force: true }));

const library = readdirSync(libraryFolder())
  .filter((name) => name.endsWith('.c'))
  .sort()
  .map((name) => ({ name: name.replace(/\.c$/, ''), file: join(libraryFolder(), name) }));
const generated = generatedScenarios().map(({ name, source }) => {
  const file = join(work, `${name}.c`);
  writeFileSync(file, source);
  return { name, file };
});

const totals = {
  cases: 0,
  results: 0,
  fields: 0,
  differing: [] as string[],
  ends: 0,
  declaredEnds: 0,
  endsDiffering: [] as string[],
};

describe('conformance with the live kernel', requires('live conformance', missing), () => {
  let index: KernelIndex;
  before(async () => {
    index = (await openTestIndex(tree.path)).index;
  });
  after(() => {
    console.log(
      `conformance: compared ${totals.cases} cases (${library.length} built-in, ${generated.length} generated), ` +
        `${totals.results} results, ${totals.fields} fields; ${totals.cases - totals.differing.length} match field by field, ` +
        `${totals.differing.length} differ${totals.differing.length ? `: ${totals.differing.join(', ')}` : ''}; ` +
        `${totals.ends} packet ends (${totals.declaredEnds} declared differences), ` +
        `${totals.endsDiffering.length} cases with undeclared end differences` +
        `${totals.endsDiffering.length ? `: ${totals.endsDiffering.join(', ')}` : ''}`,
    );
  });

  for (const { name, file } of [...library, ...generated]) {
    test(name, async () => {
      const outcome = await compareScenarioFile(file, index);
      const { model, live, comparison } = outcome;
      totals.cases++;
      totals.results += live.results.length;
      totals.fields += comparison.fields;
      if (comparison.differences.length > 0) totals.differing.push(name);
      totals.ends += outcome.ends.compared;
      totals.declaredEnds += outcome.ends.declared.length;
      if (outcome.ends.differences.length > 0) totals.endsDiffering.push(name);
      assert.ok(live.results.length > 0, `${name}: the live run produced no result`);
      assert.equal(model.kernel, live.kernel, "the models run as the live kernel's version");
      // Field by field, `stopped` included: the step-bound cases must stop where the kernel's run stops
      // (which knr compare reports as no agreement, since neither reached the end of main).
      assert.equal(comparison.differences.length, 0, formatComparison(name, outcome, live.kernel));
      assert.equal(outcome.ends.unavailable, undefined, `${name}: packet ends were not recorded`);
      // Packet ends too: every difference from the kernel's is one the models declare (for this kernel's
      // version, from the source), or the case fails.
      assert.deepEqual(
        outcome.ends.differences.map(describeEndDifference),
        [],
        `${name}: undeclared end differences`,
      );
    });
  }

  test('a model broken on purpose (udp_rcv freeing the datagram in the wrong function) is caught', async (t) => {
    const original = udp_rcv as unknown as Implementation;
    const wrongPlace = modelDefinition('ip_local_deliver');
    assert.ok(wrongPlace);
    const broken = (k: Kernel, skb: SkBuff) =>
      k.fn(wrongPlace, {}, (f) => {
        icmp_send(k, skb, k.c.ICMP_DEST_UNREACH, k.c.ICMP_PORT_UNREACH);
        f.free('finish', skb, 'NO_SOCKET');
        return 0;
      });
    registerImplementation('udp_rcv', broken as unknown as Implementation);
    t.after(() => registerImplementation('udp_rcv', original));
    const outcome = await compareScenarioFile(join(libraryFolder(), 'raw-udp-and-unreachable.c'), index);
    assert.equal(outcome.comparison.differences.length, 0, 'only the end differs');
    const wrong = outcome.ends.differences.find((d) => d.differs.includes('function'));
    assert.ok(wrong, formatComparison('raw-udp-and-unreachable', outcome, 'live'));
    assert.equal(wrong.model?.function, 'ip_local_deliver');
    assert.equal(wrong.kernel?.function, '__udp4_lib_rcv');
    assert.equal(outcome.agree, false);
  });

  test('a model broken on purpose (packet_recvmsg accepting MSG_OOB) is caught', async (t) => {
    const original = packet_recvmsg as unknown as Implementation;
    const broken = (...args: Parameters<typeof packet_recvmsg>) => {
      const [k, sock, msg, len, flags] = args;
      return packet_recvmsg(k, sock, msg, len, flags & ~k.c.MSG_OOB);
    };
    registerImplementation('packet_recvmsg', broken as unknown as Implementation);
    t.after(() => registerImplementation('packet_recvmsg', original));
    const oob = generated.find((g) => g.name === 'gen-recvmsg-packet-oob');
    assert.ok(oob);
    const outcome = await compareScenarioFile(oob.file, index);
    const paths = outcome.comparison.differences.map((d) => d.path);
    assert.ok(paths.includes('$.results[4].return'), formatComparison(oob.name, outcome, 'live'));
    assert.ok(paths.includes('$.results[4].errno'));
  });

  test('live runs are reproducible (the same scenario twice gives the same results)', async () => {
    const picks = [
      'packet-auxdata-vlan',
      'gen-icmp-fanout-echo',
      'gen-rcvbuf-full-raw',
      'gen-auxdata-qinq-all-raw',
    ];
    for (const name of picks) {
      const file = [...library, ...generated].find((c) => c.name === name)?.file;
      if (!file) continue;
      const first = await runLiveScenario(file);
      const second = await runLiveScenario(file);
      assert.deepEqual(compareRuns(first, second).differences, [], name);
    }
  });
});
