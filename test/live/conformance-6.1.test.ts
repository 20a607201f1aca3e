// Packet ends on the 6.1 tree: each built-in scenario runs once on the live kernel, and its ends are
// compared with the models of the 6.1 tree (6.1 behaviour) and of the 6.12 tree (told the live
// kernel's version). The 6.1 models may differ from the live kernel only where 6.12's do too (the
// models' gaps, docs/scenarios.md) or where a model declares it: 6.1 adds no undeclared difference.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { KernelIndex } from '../../server/src/index/kernel-index';
import { compareEnds, describeEndDifference, type EndDifference } from '../../server/src/live/compare-ends';
import { placeEnds } from '../../server/src/live/compare-scenario';
import { executeModelAtVersion } from '../../server/src/live/model-run';
import { liveKernelVersion, parseScenarioFile, runLiveProgram } from '../../server/src/live/run-live';
import { liveUnsupportedReason } from '../../server/src/live/support';
import { libraryFolder } from '../../server/src/scenario/library';
import { openTestIndex } from '../support/kernel-index';
import { kernelTree, requires } from '../support/prerequisites';

const trees = { '6.1': kernelTree('6.1'), '6.12': kernelTree('6.12') };
const missing = liveUnsupportedReason() ?? trees['6.1'].missing ?? trees['6.12'].missing;

const library = readdirSync(libraryFolder())
  .filter((name) => name.endsWith('.c'))
  .sort()
  .map((name) => ({ name: name.replace(/\.c$/, ''), file: join(libraryFolder(), name) }));

const key = (d: EndDifference) =>
  JSON.stringify([d.statement, d.differs, d.kernel?.function, d.kernel?.reason, d.kernel?.how]);

describe('packet ends on the 6.1 tree', requires('6.1 ends conformance', missing), () => {
  let old: KernelIndex;
  let current: KernelIndex;
  before(async () => {
    old = (await openTestIndex(trees['6.1'].path)).index;
    current = (await openTestIndex(trees['6.12'].path)).index;
  });

  for (const { name, file } of library) {
    test(name, async () => {
      const { source, program } = await parseScenarioFile(file);
      const live = await runLiveProgram(source, program);
      assert.ok(live.ends, `${name}: packet ends were not recorded: ${live.endsUnavailable}`);
      const onOld = executeModelAtVersion(program, old, old.version);
      const onCurrent = executeModelAtVersion(program, current, liveKernelVersion());
      const oldEnds = compareEnds(placeEnds(onOld.ends, old), live.ends, live.endsUnavailable, live.kernel);
      const currentEnds = compareEnds(
        placeEnds(onCurrent.ends, current),
        live.ends,
        live.endsUnavailable,
        live.kernel,
      );
      const known = new Set(currentEnds.differences.map(key));
      const added = oldEnds.differences.filter((d) => !known.has(key(d)));
      assert.deepEqual(added.map(describeEndDifference), [], `${name}: differences only the 6.1 models have`);
    });
  }
});
