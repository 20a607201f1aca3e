// The C frame builders of the live harness and the models' TypeScript ones must build the same bytes:
// a received frame's `data` is compared field by field, so one stray byte would fail every case.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { haveExecutable, runCommand } from '../../server/src/live/system';
import {
  ethernetFrame,
  icmpEchoFrame,
  icmpEchoReplyFrame,
  ipv4Frame,
  pushVlanTag,
  setDestination,
  udpFrame,
} from '../../server/src/scenario/frames';
import { libraryFolder } from '../../server/src/scenario/library';
import { requires } from '../support/prerequisites';

const cases: { c: string; model: () => number[] }[] = [
  { c: 'knr_ethernet(0x88b5, 3)', model: () => ethernetFrame(0x88b5, 3) },
  { c: 'knr_ethernet(0x0800, 0)', model: () => ethernetFrame(0x0800, 0) },
  { c: 'knr_ipv4("10.0.0.2", "10.0.0.1", 253, 37)', model: () => ipv4Frame('10.0.0.2', '10.0.0.1', 253, 37) },
  { c: 'knr_ipv4("10.0.0.2", "10.0.0.1", 0, 300)', model: () => ipv4Frame('10.0.0.2', '10.0.0.1', 0, 300) },
  {
    c: 'knr_ipv4_icmp_echo("10.0.0.2", "10.0.0.1", 17)',
    model: () => icmpEchoFrame('10.0.0.2', '10.0.0.1', 17),
  },
  {
    c: 'knr_ipv4_icmp_echo("10.0.0.2", "10.0.0.255", 0)',
    model: () => icmpEchoFrame('10.0.0.2', '10.0.0.255', 0),
  },
  {
    c: 'knr_ipv4_icmp_echo_reply("10.0.0.2", "10.0.0.1", 23)',
    model: () => icmpEchoReplyFrame('10.0.0.2', '10.0.0.1', 23),
  },
  {
    c: 'knr_ipv4_udp("10.0.0.2", "10.0.0.1", 1234, 53, 9)',
    model: () => udpFrame('10.0.0.2', '10.0.0.1', 1234, 53, 9),
  },
  {
    c: 'knr_ipv4_udp("10.0.0.2", "10.0.0.1", 65535, 0, 1000)',
    model: () => udpFrame('10.0.0.2', '10.0.0.1', 65535, 0, 1000),
  },
  {
    c: 'knr_vlan(knr_vlan(knr_ipv4("10.0.0.2", "10.0.0.99", 253, 32), 0x8100, 1, 10), 0x88a8, 4, 20)',
    model: () =>
      pushVlanTag(pushVlanTag(ipv4Frame('10.0.0.2', '10.0.0.99', 253, 32), 0x8100, 1, 10), 0x88a8, 4, 20),
  },
  {
    c: 'knr_vlan(knr_ethernet(0x0800, 4), 0x8100, 7, 4095)',
    model: () => pushVlanTag(ethernetFrame(0x0800, 4), 0x8100, 7, 4095),
  },
  {
    c: 'knr_eth_dst(knr_ipv4_icmp_echo("10.0.0.2", "10.0.0.255", 16), "ff:ff:ff:ff:ff:ff")',
    model: () => setDestination(icmpEchoFrame('10.0.0.2', '10.0.0.255', 16), 'ff:ff:ff:ff:ff:ff'),
  },
];

const work = mkdtempSync(join(tmpdir(), 'knr-frames-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

const hex = (bytes: readonly number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

test(
  'the live harness builds every frame exactly as the models do',
  requires('live frame builders', haveExecutable('gcc') ? undefined : 'gcc is not installed'),
  () => {
    const program = [
      '#include <knr_live.h>',
      '#include <stdio.h>',
      'static void show(const struct knr_frame *f)',
      '{',
      '\tsize_t length;',
      '\tconst unsigned char *bytes = knr_live_frame_bytes(f, &length);',
      '\tfor (size_t i = 0; i < length; i++)',
      '\t\tprintf("%02x", bytes[i]);',
      '\tprintf("\\n");',
      '}',
      'int main(void)',
      '{',
      ...cases.map(({ c }) => `\tshow(${c});`),
      '\treturn 0;',
      '}',
    ].join('\n');
    const source = join(work, 'frames.c');
    const binary = join(work, 'frames');
    writeFileSync(source, program);
    const root = libraryFolder();
    runCommand([
      'gcc',
      '-std=gnu11',
      '-I',
      join(root, 'include'),
      '-I',
      join(root, 'live'),
      source,
      join(root, 'live', 'knr_helpers.c'),
      '-o',
      binary,
    ]);
    const lines = runCommand([binary]).trim().split('\n');
    assert.equal(lines.length, cases.length);
    cases.forEach(({ c, model }, i) => assert.equal(lines[i], hex(model()), c));
  },
);
