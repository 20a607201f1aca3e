// Tracing is left as it was found: a live run's private instance (and the tracefs mount it made) is
// gone after a success, after SIGINT and SIGTERM, and after a SIGKILL once the next run's sweep has
// run. Only the instances and mounts of the runs these tests start are looked at.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createNamespace, sweepStaleNamespaces } from '../../server/src/live/namespaces';
import { liveUnsupportedReason } from '../../server/src/live/support';
import { knrTracingState, sweepStaleTracing } from '../../server/src/live/tracefs';
import { sweepStaleWorkDirs, workDirsOwnedBy } from '../../server/src/live/work-dirs';
import { knrBinary } from '../support/lsp-client';
import { repoRoot, requires } from '../support/prerequisites';

const work = mkdtempSync(join(tmpdir(), 'knr-tracefs-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

const longScenario = join(work, 'long.c');
writeFileSync(
  longScenario,
  [
    '#include <knr_scenario.h>',
    'int main(void)',
    '{',
    '\tint s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
    '\tchar buf[64];',
    '\tfor (int i = 0; i < 300; i++) {',
    '\t\trecv(s, buf, sizeof(buf), 0);',
    '\t}',
    '\treturn 0;',
    '}',
    '',
  ].join('\n'),
);

/** The instances and the tracefs mounts of the process `pid`. */
function tracingOf(pid: number): string[] {
  const state = knrTracingState();
  return [
    ...state.instances.filter((name) => name.startsWith(`knr-${pid}-`)),
    ...state.mounts.filter((mount) => mount.includes(`knr-tracefs-${pid}-`)),
  ];
}

async function startLongRun(): Promise<{ child: ReturnType<typeof spawn>; pid: number }> {
  const child = spawn(process.execPath, [knrBinary(), 'live', longScenario], { stdio: 'ignore' });
  const pid = child.pid ?? 0;
  for (
    let i = 0;
    i < 600 && !knrTracingState().instances.some((name) => name.startsWith(`knr-${pid}-`));
    i++
  ) {
    await sleep(50);
  }
  assert.ok(
    knrTracingState().instances.some((name) => name.startsWith(`knr-${pid}-`)),
    'the run created no tracing instance',
  );
  return { child, pid };
}

describe('tracing state of live runs', requires('live tracing', liveUnsupportedReason()), () => {
  test('a successful run records packet ends and leaves no instance or mount behind', () => {
    const result = spawnSync(
      process.execPath,
      [knrBinary(), 'live', join(repoRoot, 'scenarios', 'raw-udp-and-unreachable.c'), '--json'],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    const run = JSON.parse(result.stdout) as { ends?: { reason?: string }[]; endsUnavailable?: string };
    assert.equal(run.endsUnavailable, undefined);
    assert.ok(
      run.ends?.some((end) => end.reason === 'NO_SOCKET'),
      result.stdout,
    );
    assert.deepEqual(tracingOf(result.pid ?? 0), []);
  });

  test("unrelated traffic in another namespace at the same time is not among the scenario's ends", async () => {
    const scenario = join(repoRoot, 'scenarios', 'raw-udp-and-unreachable.c');
    const endsOf = (stdout: string) =>
      (
        JSON.parse(stdout) as {
          ends: { statement?: number; how: string; function: string; reason?: string }[];
        }
      ).ends.map((end) => [end.statement, end.how, end.function, end.reason]);
    const quiet = spawnSync(process.execPath, [knrBinary(), 'live', scenario, '--json'], {
      encoding: 'utf8',
    });
    assert.equal(quiet.status, 0, quiet.stderr);
    // Datagrams to a closed port on lo, as fast as a shell sends them: each ends in __udp4_lib_rcv
    // with NO_SOCKET, like the scenario's own, and its ICMP error is consumed in icmp_rcv.
    const noise = createNamespace();
    const sender = spawn(
      'ip',
      [
        'netns',
        'exec',
        noise.name,
        'bash',
        '-c',
        'while :; do echo x > /dev/udp/127.0.0.1/9; done 2>/dev/null',
      ],
      { stdio: 'ignore' },
    );
    try {
      await sleep(200);
      const noisy = spawnSync(process.execPath, [knrBinary(), 'live', scenario, '--json'], {
        encoding: 'utf8',
      });
      assert.equal(noisy.status, 0, noisy.stderr);
      assert.deepEqual(endsOf(noisy.stdout), endsOf(quiet.stdout));
    } finally {
      sender.kill('SIGKILL');
      noise.delete();
    }
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${signal} during a run removes its tracing instance`, async () => {
      const { child, pid } = await startLongRun();
      const exited = new Promise<number | null>((resolve) => child.on('exit', (status) => resolve(status)));
      child.kill(signal);
      assert.equal(await exited, code);
      assert.deepEqual(tracingOf(pid), []);
    });
  }

  test('a SIGKILLed run leaves its instance and work directory, which the next sweeps remove', async () => {
    const { child, pid } = await startLongRun();
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    assert.notDeepEqual(tracingOf(pid), [], 'a SIGKILLed run cannot clean up: its instance stays');
    assert.notDeepEqual(workDirsOwnedBy(pid), [], 'nor its work directory');
    sweepStaleTracing();
    assert.deepEqual(tracingOf(pid), []);
    sweepStaleWorkDirs();
    assert.deepEqual(workDirsOwnedBy(pid), []);
    // Its namespaces and program: the namespace sweep's (test/live/lifecycle.test.ts).
    sweepStaleNamespaces();
  });
});
