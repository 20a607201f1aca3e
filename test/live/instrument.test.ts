import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compileScenario } from '../../server/src/live/compile';
import { libraryFolder } from '../../server/src/scenario/library';
import { instrumentScenario, InstrumentError, recordedCalls } from '../../server/src/live/instrument';
import { scenarioCallEntries } from '../../server/src/scenario/helpers';
import { haveExecutable } from '../../server/src/live/system';
import { parseScenario } from '../../server/src/scenario/parse';
import { requires } from '../support/prerequisites';
import { generatedScenarios } from './generated-scenarios';

async function instrument(source: string) {
  const parsed = await parseScenario(source, 'demo.c');
  assert.ok(parsed.program, JSON.stringify(parsed.diagnostics));
  return instrumentScenario(source, parsed.program);
}

const vlanScenario = [
  '#include <knr_scenario.h>',
  'int main(void)',
  '{',
  '\tknr_veth_pair();',
  '\tint s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
  '\tint one = 1;',
  '\tfor (int i = 0; i < 3; i++)',
  '\t\trecv(s, 0, 0, MSG_DONTWAIT);',
  '\treturn 0;',
  '}',
].join('\n');

test('outermost calls become recording wrappers with their site; nested calls stay as written', async () => {
  const { source, sites, topology } = await instrument(vlanScenario);
  assert.equal(topology, 'veth-pair');
  assert.deepEqual(sites, [
    { line: 4, column: 2, call: 'knr_veth_pair' },
    { line: 5, column: 2, call: 'socket' },
    { line: 6, column: 2, call: undefined },
    { line: 7, column: 2, call: undefined },
    { line: 8, column: 3, call: 'recv' },
    { line: 9, column: 2, call: undefined },
  ]);
  const lines = source.split('\n');
  assert.equal(lines.length, vlanScenario.split('\n').length, 'lines stay where they were');
  assert.equal(lines[3], '\t{ knr_live_statement(0); knr_live_knr_veth_pair(0); }');
  assert.equal(
    lines[4],
    '\tknr_live_statement(1); int s = knr_live_socket(1, AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
  );
  assert.equal(lines[5], '\tknr_live_statement(2); int one = 1;');
  assert.equal(
    lines[6],
    '\t{ knr_live_statement(3); knr_live_loop(3, (long long)(0), (long long)(3), 1); for (int i = 0; i < 3; i++)',
  );
  assert.equal(lines[7], '\t\t{ knr_live_statement(4); knr_live_recv(4, s, 0, 0, MSG_DONTWAIT); } }');
});

test('a scenario without knr_veth_pair gets only the loopback device', async () => {
  const { topology } = await instrument(
    'int main(void)\n{\n\tsocket(AF_INET, SOCK_RAW, 1);\n\treturn 0;\n}\n',
  );
  assert.equal(topology, 'loopback');
});

test('a call the live runner cannot record is an error at its position', async () => {
  await assert.rejects(
    instrument('int main(void)\n{\n\tint fd = dup(3);\n\treturn 0;\n}\n'),
    (error: unknown) =>
      error instanceof InstrumentError && /demo\.c:3:11: 'dup' cannot run/.test(error.message),
  );
});

const gccMissing = haveExecutable('gcc') ? undefined : 'gcc is not installed (apt-get install gcc libc6-dev)';
const work = mkdtempSync(join(tmpdir(), 'knr-instrument-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

test(
  'every built-in and generated scenario instruments and compiles against the live harness',
  requires('live harness compilation', gccMissing),
  async () => {
    const library = readdirSync(libraryFolder())
      .filter((name) => name.endsWith('.c'))
      .map((name) => ({ name, source: readFileSync(join(libraryFolder(), name), 'utf8') }));
    const all = [...library, ...generatedScenarios().map((g) => ({ name: `${g.name}.c`, source: g.source }))];
    assert.ok(all.length > 100, `only ${all.length} scenarios`);
    for (const { name, source } of all) {
      const parsed = await parseScenario(source, name);
      assert.ok(parsed.program, `${name}: ${JSON.stringify(parsed.diagnostics)}`);
      const dir = mkdtempSync(join(work, 'case-'));
      compileScenario(instrumentScenario(source, parsed.program).source, name, dir);
    }
  },
);

test('every call of the helper set has a recording wrapper in knr_live.h', () => {
  const header = readFileSync(join(libraryFolder(), 'live', 'knr_live.h'), 'utf8');
  // BPF_STMT and BPF_JUMP build initialisers: they never stand alone as a statement's call.
  const calls = scenarioCallEntries.filter(([, call]) => !call.initialiserOnly).map(([name]) => name);
  for (const call of calls) {
    assert.ok(recordedCalls.has(call), `${call} is not recorded`);
    assert.match(header, new RegExp(`\\bknr_live_${call}\\(int site`), `knr_live.h lacks knr_live_${call}`);
  }
  assert.equal(recordedCalls.size, calls.length);
});
