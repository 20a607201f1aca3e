// How the CLI and MCP print an installation: a table's slot names its table, a run-time assignment
// names the function that assigns the field (never as if it were a table).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installationJson, installationText } from '../../../server/src/cli/query-command';
import type { Installation } from '../../../server/src/index/queries';

const span = (line: number) => ({ line, column: 4, endLine: line, endColumn: 14 });
const common = {
  function: 'packet_rcv',
  struct: 'packet_type',
  field: 'func',
  file: 'net/packet/af_packet.c',
};

test('a slot names its table and element, an assignment the function that assigns it', () => {
  const slot: Installation = {
    ...common,
    source: { kind: 'slot', table: 'inetsw_array', element: 2 },
    evidence: 'initializer',
    span: span(10),
  };
  const binding: Installation = {
    ...common,
    source: { kind: 'binding', assignedIn: 'packet_create' },
    evidence: 'assignment',
    span: span(20),
  };
  const slotJson = installationJson(slot);
  assert.equal(slotJson.table, 'inetsw_array');
  assert.equal(slotJson.element, 2);
  assert.equal('assignedIn' in slotJson, false);
  assert.match(installationText(slotJson), /inetsw_array\[2\]\.func/);
  const bindingJson = installationJson(binding);
  assert.equal(bindingJson.assignedIn, 'packet_create');
  assert.equal('table' in bindingJson, false);
  assert.deepEqual(bindingJson.at, { file: 'net/packet/af_packet.c', line: 21 });
  assert.match(installationText(bindingJson), /func set in packet_create/);
  assert.doesNotMatch(installationText(bindingJson), /packet_create\.func/);
});
