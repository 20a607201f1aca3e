// knr diff between the real 6.1 and 6.12 trees: every built-in scenario diffs, and for the seed's
// raw-create and packet-auxdata-vlan paths the report agrees with the sources, each function's
// definition found in both trees by its text (not by the index, not by a line number).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { diffScenario, type ScenarioDiffOutcome } from '../../server/src/diff/diff-scenario';
import { diffFunction } from '../../server/src/diff/diff-function';
import { normaliseText } from '../../server/src/diff/function-body';
import { treeOf, type Tree } from '../../server/src/diff/path-functions';
import { listLibrary, resolveScenarioPath, type LibraryScenario } from '../../server/src/scenario/library';
import { definitionLine } from '../support/definition-line';
import { openTestIndex } from '../support/kernel-index';
import { kernelTree, requires } from '../support/prerequisites';

const oldTree = kernelTree('6.1');
const newTree = kernelTree('6.12');

/** A function's definition read off a file's text: from its head to the first `}` at column 0. */
function definitionByText(root: string, file: string, name: string): string {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const first = definitionLine(lines.join('\n'), name) - 1;
  const last = lines.findIndex((line, i) => i > first && line.startsWith('}'));
  assert.ok(last > first, `${name} in ${file} has no closing brace at column 0`);
  return normaliseText(lines.slice(first, last + 1).join('\n'));
}

describe(
  'knr diff between the real 6.1 and 6.12 trees',
  requires('real 6.1 and 6.12 trees', oldTree.missing ?? newTree.missing),
  () => {
    let older: Tree;
    let newer: Tree;
    let library: LibraryScenario[];
    const outcomes = new Map<string, ScenarioDiffOutcome>();
    const outcome = async (name: string) => {
      if (!outcomes.has(name))
        outcomes.set(name, await diffScenario(resolveScenarioPath(name), older, newer));
      return outcomes.get(name)!;
    };

    before(async () => {
      older = treeOf((await openTestIndex(oldTree.path)).index);
      newer = treeOf((await openTestIndex(newTree.path)).index);
      library = await listLibrary();
    });

    test('every built-in scenario diffs: both runs complete, and every function of the path is compared', async () => {
      assert.ok(library.length > 0);
      for (const scenario of library) {
        const { diff, diagnostics, stopped } = await outcome(scenario.name);
        assert.deepEqual(
          diagnostics.filter((d) => d.diagnostic.severity === 'error'),
          [],
          scenario.name,
        );
        assert.deepEqual(stopped, [], scenario.name);
        assert.ok(diff && diff.path.length > 0, scenario.name);
        const onPath = new Set(diff.path.map((s) => s.function));
        assert.deepEqual(new Set(diff.functions.map((f) => f.name)), onPath, scenario.name);
        for (const f of diff.functions)
          assert.notEqual(
            f.status,
            'not-found',
            `${scenario.name}: ${f.name} has a definition in both trees`,
          );
      }
    });

    for (const name of ['raw-create', 'packet-auxdata-vlan']) {
      test(`${name}: a function is reported changed exactly when its definition's text differs`, async () => {
        const { diff } = await outcome(name);
        const compared = diff!.functions.filter((f) => f.status === 'changed' || f.status === 'unchanged');
        assert.ok(compared.length > 0);
        for (const f of compared) {
          const before = definitionByText(oldTree.path, f.old!.file, f.name);
          const after = definitionByText(newTree.path, f.new!.file, f.name);
          assert.equal(f.status === 'changed', before !== after, `${name}: ${f.name} reported ${f.status}`);
        }
        assert.ok(
          compared.some((f) => f.status === 'changed') && compared.some((f) => f.status === 'unchanged'),
        );
      });
    }

    test('the changes the seed’s readers asked about are on their paths', async () => {
      const functionOf = async (scenario: string, fn: string) =>
        (await outcome(scenario)).diff!.functions.find((f) => f.name === fn);
      const release = await functionOf('raw-create', '__sock_release');
      assert.equal(release?.status, 'changed');
      assert.ok(release.diff!.some((line) => line.startsWith('+') && line.includes('READ_ONCE(sock->ops)')));
      const create = await functionOf('packet-auxdata-vlan', 'packet_create');
      assert.equal(create?.status, 'changed');
      assert.ok(create.diff!.some((line) => line.startsWith('-') && line.includes('po->xmit')));
    });

    test('a function and its callees one level deep, through ops tables too', () => {
      const diff = diffFunction('sock_recvmsg_nosec', older, newer)!;
      assert.equal(diff.path[0].function, 'sock_recvmsg_nosec');
      const callees = diff.path.slice(1).map((s) => s.function);
      for (const implementation of ['packet_recvmsg', 'inet_recvmsg'])
        assert.ok(callees.includes(implementation), `${implementation} is reached through proto_ops.recvmsg`);
      const packet = diff.functions.find((f) => f.name === 'packet_recvmsg')!;
      assert.equal(
        packet.status === 'changed',
        definitionByText(oldTree.path, packet.old!.file, 'packet_recvmsg') !==
          definitionByText(newTree.path, packet.new!.file, 'packet_recvmsg'),
      );
    });
  },
);
