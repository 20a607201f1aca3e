// Namespaces, veth pairs, scenario programs and work directories never outlive a live run: not after a success, not
// after a failed run, not after SIGINT or SIGTERM; and nothing is ever configured in the host's own
// network namespace.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createNamespace, namespacesOwnedBy, sweepStaleNamespaces } from '../../server/src/live/namespaces';
import { liveUnsupportedReason } from '../../server/src/live/support';
import { runCommand, tryCommand } from '../../server/src/live/system';
import { buildNetwork } from '../../server/src/live/topology';
import { sweepStaleWorkDirs, workDirsOwnedBy } from '../../server/src/live/work-dirs';
import { knrBinary } from '../support/lsp-client';
import { repoRoot, requires } from '../support/prerequisites';

const work = mkdtempSync(join(tmpdir(), 'knr-lifecycle-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

function scenarioFile(name: string, body: string[]): string {
  const file = join(work, `${name}.c`);
  writeFileSync(
    file,
    ['#include <knr_scenario.h>', 'int main(void)', '{', ...body, '\treturn 0;', '}', ''].join('\n'),
  );
  return file;
}

function hostLinks(): string {
  return runCommand(['ip', '-o', 'link', 'show']);
}

/** Running or sleeping; a zombie has already closed its sockets and left its namespace. */
function processAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

const longScenario = scenarioFile('long', [
  '\tknr_veth_pair();',
  '\tint s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
  '\tchar buf[64];',
  '\tfor (int i = 0; i < 300; i++) {',
  '\t\trecv(s, buf, sizeof(buf), 0);',
  '\t}',
]);

describe('live run lifecycle', requires('live run lifecycle', liveUnsupportedReason()), () => {
  test('a namespace is created with a unique knr name and deleted, twice without error', () => {
    const first = createNamespace();
    const second = createNamespace();
    assert.notEqual(first.name, second.name);
    assert.match(first.name, new RegExp(`^knr-${process.pid}-\\d+$`));
    assert.deepEqual(namespacesOwnedBy(process.pid).sort(), [first.name, second.name].sort());
    first.delete();
    second.delete();
    first.delete();
    assert.deepEqual(namespacesOwnedBy(process.pid), []);
  });

  test('the veth pair lives only in the scenario and peer namespaces, as knr_scenario.h describes it', () => {
    const network = buildNetwork('veth-pair');
    try {
      const own = runCommand(['ip', '-n', network.scenario.name, '-o', 'link', 'show', 'knr0']);
      assert.match(own, /^2: knr0@if3: .* link\/ether 02:4b:4e:52:00:01/);
      const peer = runCommand(['ip', '-n', network.peer?.name ?? '', '-o', 'link', 'show', 'knr1']);
      assert.match(peer, /^3: knr1@if2: .* link\/ether 02:4b:4e:52:00:02/);
      const addresses = runCommand(['ip', '-n', network.scenario.name, '-o', '-4', 'addr', 'show']);
      assert.match(addresses, /lo +inet 127\.0\.0\.1\/8/);
      assert.match(addresses, /knr0 +inet 10\.0\.0\.1\/24/);
      assert.doesNotMatch(runCommand(['ip', '-n', network.scenario.name, '-o', 'addr', 'show']), /inet6/);
      assert.match(
        runCommand(['ip', '-n', network.scenario.name, 'neigh', 'show']),
        /10\.0\.0\.2 .*PERMANENT/,
      );
      assert.doesNotMatch(hostLinks(), /knr[01]/);
    } finally {
      network.delete();
    }
    assert.deepEqual(namespacesOwnedBy(process.pid), []);
  });

  test('a sweep deletes namespaces whose owner died and keeps those of live owners', () => {
    const dead = spawnSync('true').pid ?? 0;
    assert.ok(dead > 0 && !processAlive(dead));
    const stale = `knr-${dead}-0`;
    runCommand(['ip', 'netns', 'add', stale]);
    const mine = createNamespace();
    try {
      // Another live run on the machine sweeps too, and may delete it first: either way it is gone.
      sweepStaleNamespaces();
      assert.deepEqual(namespacesOwnedBy(dead), []);
      assert.deepEqual(namespacesOwnedBy(process.pid), [mine.name]);
    } finally {
      mine.delete();
    }
  });

  test('a sweep removes work directories whose owner died and keeps those of live owners', () => {
    const dead = spawnSync('true').pid ?? 0;
    assert.ok(dead > 0 && !processAlive(dead));
    const stale = join(tmpdir(), `knr-live-${dead}-test`);
    mkdirSync(join(stale, 'harness'), { recursive: true });
    const mine = join(tmpdir(), `knr-live-${process.pid}-test`);
    mkdirSync(mine);
    try {
      // Another live run on the machine sweeps too, and may remove it first: either way it is gone.
      sweepStaleWorkDirs();
      assert.deepEqual(workDirsOwnedBy(dead), []);
      assert.deepEqual(workDirsOwnedBy(process.pid), [mine]);
    } finally {
      rmSync(mine, { recursive: true, force: true });
    }
  });

  test('a successful run leaves no namespace behind', () => {
    const result = spawnSync(
      process.execPath,
      [knrBinary(), 'live', join(repoRoot, 'scenarios', 'packet-auxdata-vlan.c')],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /recvmsg -> 66/);
    assert.deepEqual(namespacesOwnedBy(result.pid ?? 0), []);
    assert.deepEqual(workDirsOwnedBy(result.pid ?? 0), []);
  });

  test('a run stopped at the step bound exits 1, as knr trace does, naming where it stopped', () => {
    const endless = scenarioFile('endless', [
      '\tint s = socket(AF_PACKET, SOCK_RAW, 0);',
      '\tchar buf[8];',
      '\tfor (int i = 0; i < 20000; i++) {',
      '\t\trecv(s, buf, sizeof(buf), 0);',
      '\t}',
    ]);
    const result = spawnSync(process.execPath, [knrBinary(), 'live', endless], { encoding: 'utf8' });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /stopped at 6:2: this loop would run 20000 times/);
    assert.match(result.stderr, /endless\.c:6:2: error: this loop would run 20000 times, past the bound/);
    assert.deepEqual(namespacesOwnedBy(result.pid ?? 0), []);
  });

  test('a run whose program crashes fails with the reason and leaves no namespace behind', () => {
    const crashing = scenarioFile('crash', ['\tknr_veth_pair();', '\tknr_vlan(0, ETH_P_8021Q, 0, 1);']);
    const result = spawnSync(process.execPath, [knrBinary(), 'live', crashing], { encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /killed by SIGSEGV after step 0 \(knr_veth_pair at line 4\)/);
    assert.deepEqual(namespacesOwnedBy(result.pid ?? 0), []);
    assert.deepEqual(workDirsOwnedBy(result.pid ?? 0), []);
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${signal} during a run kills the program and deletes its namespaces`, async () => {
      const child = spawn(process.execPath, [knrBinary(), 'live', longScenario], { stdio: 'ignore' });
      const pid = child.pid ?? 0;
      const exited = new Promise<number | null>((resolve) => child.on('exit', (status) => resolve(status)));
      // Wait for both namespaces of the veth pair and the program running in the first of them.
      let programs: string[] = [];
      for (let i = 0; i < 600 && programs.length === 0; i++) {
        await sleep(50);
        const names = namespacesOwnedBy(pid).sort(
          (a, b) => Number(a.split('-')[2]) - Number(b.split('-')[2]),
        );
        if (names.length !== 2) continue;
        programs = tryCommand(['ip', 'netns', 'pids', names[0]]).stdout.split(/\s+/).filter(Boolean);
      }
      assert.ok(programs.length > 0, 'the scenario program did not start');
      child.kill(signal);
      assert.equal(await exited, code);
      assert.deepEqual(namespacesOwnedBy(pid), []);
      assert.deepEqual(workDirsOwnedBy(pid), []);
      for (const program of programs)
        assert.equal(processAlive(Number(program)), false, `program ${program} lives on`);
      assert.doesNotMatch(hostLinks(), /knr[01]/);
    });
  }
});
