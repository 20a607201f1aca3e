import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CommandOutput } from '../../../server/src/cli/command';
import { scenariosCommand } from '../../../server/src/cli/commands/scenarios';
import { traceCommand } from '../../../server/src/cli/commands/trace';
import { repoRoot } from '../../support/prerequisites';
import { scenarioText } from '../models/run-text';
import { fakeKernelIndex } from '../models/fake-kernel-index';
import { scenarioDiagnostics } from '../../../server/src/trace/api';

function capture(): CommandOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTTY: false };
}

const scratch = mkdtempSync(join(tmpdir(), 'knr-trace-command-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('knr scenarios --json lists every library file with a description', async () => {
  const output = capture();
  assert.equal(await scenariosCommand.run(['--json'], output), 0);
  const listed = JSON.parse(output.stdout.join('\n')) as { name: string; description: string }[];
  assert.ok(listed.length >= 14);
  assert.ok(listed.some((s) => s.name === 'packet-auxdata-vlan'));
  assert.deepEqual(
    listed.filter((s) => s.description === ''),
    [],
  );
});

test('knr trace reports a scenario’s problems as file:line:column and exits 1', async () => {
  const file = join(scratch, 'bad.c');
  writeFileSync(file, scenarioText('\tsocket(17, 3, ETH_P_NOPE);\n\treboot(0);'));
  const output = capture();
  const kernel = join(repoRoot, 'test', 'fixtures', 'mini-kernel');
  const code = await traceCommand.run([file, '--kernel', kernel, '--cache', join(scratch, 'cache')], output);
  assert.equal(code, 1);
  assert.deepEqual(output.stderr, [
    `${file}:5:16: error: unknown constant 'ETH_P_NOPE': neither a variable nor defined by knr_scenario.h or the kernel tree`,
    `${file}:6:2: error: unknown call 'reboot': not a system call or helper of knr_scenario.h`,
  ]);
});

test('scenarioDiagnostics: checker problems, or where the run stops, with 0-based positions', async () => {
  const index = fakeKernelIndex();
  const unknown = await scenarioDiagnostics(
    scenarioText('\tsocket(AF_PACKET, SOCK_RAW, NOPE);'),
    'a.c',
    index,
  );
  assert.deepEqual(
    unknown.map((d) => [d.span.line, d.span.column, d.message.split(':')[0]]),
    [[4, 29, "unknown constant 'NOPE'"]],
  );
  const looping = await scenarioDiagnostics(
    scenarioText('\tfor (int i = 0; i < 20000; i++) {\n\t\tsocket(AF_PACKET, SOCK_RAW, 0);\n\t}'),
    'b.c',
    index,
  );
  assert.equal(looping.length, 1);
  assert.deepEqual([looping[0].span.line, looping[0].span.column], [4, 1]);
  assert.match(looping[0].message, /20000 times/);
});
