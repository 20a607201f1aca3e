import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexAtVersion, ModelScenarioError, runModelAtVersion } from '../../server/src/live/model-run';
import type { ModelIndex } from '../../server/src/models';
import { parseScenario } from '../../server/src/scenario/parse';

const calls: string[] = [];
const fakeIndex: ModelIndex = {
  version: '6.1.158',
  generation: 0,
  evaluateConstant: (name) => (calls.push(`evaluateConstant ${name}`), name === 'AF_PACKET' ? 17 : undefined),
  macroValue: (name) => (calls.push(`macroValue ${name}`), undefined),
  table: (name) => (calls.push(`table ${name}`), undefined),
  implementations: (struct, field) => (calls.push(`implementations ${struct}.${field}`), []),
  definitions: (name) => (calls.push(`definitions ${name}`), []),
};

test('the models see the live version and, for everything else, the indexed tree', () => {
  const index = indexAtVersion(fakeIndex, '6.18.44');
  assert.equal(index.version, '6.18.44');
  assert.equal(index.evaluateConstant('AF_PACKET'), 17);
  index.macroValue('X');
  index.table('packet_ops');
  index.implementations('proto_ops', 'recvmsg');
  index.definitions('packet_create');
  assert.deepEqual(calls.slice(-5), [
    'evaluateConstant AF_PACKET',
    'macroValue X',
    'table packet_ops',
    'implementations proto_ops.recvmsg',
    'definitions packet_create',
  ]);
});

test('a scenario the models cannot check is an error with its position, not a run', async () => {
  const source = 'int main(void)\n{\n\tsocket(AF_PACKET, SOCK_NOSUCH, 0);\n\treturn 0;\n}\n';
  const parsed = await parseScenario(source, 'demo.c');
  assert.ok(parsed.program);
  const program = parsed.program;
  assert.throws(
    () => runModelAtVersion(program, fakeIndex, '6.18.44'),
    (error: unknown) =>
      error instanceof ModelScenarioError &&
      /^demo\.c:3:20: unknown constant 'SOCK_NOSUCH'/.test(error.message),
  );
});
