import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  icmpEchoFrame,
  icmpEchoReplyFrame,
  internetChecksum,
  ipv4Frame,
  pushVlanTag,
  udpFrame,
  FrameError,
  parseMac,
} from '../../../server/src/scenario/frames';

test('an IPv4 frame: Ethernet header to knr0 from knr1, a valid header checksum, the payload pattern', () => {
  const frame = ipv4Frame('10.0.0.2', '10.0.0.1', 253, 300);
  assert.equal(frame.length, 14 + 20 + 300);
  assert.deepEqual(frame.slice(0, 14), [2, 0x4b, 0x4e, 0x52, 0, 1, 2, 0x4b, 0x4e, 0x52, 0, 2, 0x08, 0x00]);
  assert.equal(internetChecksum(frame.slice(14, 34)), 0);
  assert.equal(frame[14 + 9], 253);
  assert.deepEqual(frame.slice(34, 37), [0, 1, 2]);
  assert.equal(frame[34 + 256], 0);
});

test('ICMP echo and UDP carry valid checksums', () => {
  const echo = icmpEchoFrame('10.0.0.2', '10.0.0.1', 24);
  assert.equal(internetChecksum(echo.slice(34)), 0);
  assert.deepEqual(echo.slice(34, 36), [8, 0]);
  const reply = icmpEchoReplyFrame('10.0.0.2', '10.0.0.1', 24);
  assert.equal(internetChecksum(reply.slice(34)), 0);
  assert.deepEqual(reply.slice(34, 36), [0, 0], 'type ICMP_ECHOREPLY, code 0');
  assert.deepEqual(reply.slice(38), echo.slice(38), 'the request identifier, sequence and payload');
  const udp = udpFrame('10.0.0.2', '10.0.0.1', 40000, 9, 10);
  const segment = udp.slice(34);
  const pseudo = [10, 0, 0, 2, 10, 0, 0, 1, 0, 17, 0, segment.length, ...segment];
  assert.equal(internetChecksum(pseudo), 0);
});

test('a VLAN tag goes after the MAC addresses; a second call adds the outer tag', () => {
  const once = pushVlanTag(ipv4Frame('10.0.0.2', '10.0.0.1', 253, 4), 0x8100, 3, 10);
  assert.deepEqual(once.slice(12, 18), [0x81, 0x00, 0x60, 0x0a, 0x08, 0x00]);
  const twice = pushVlanTag(once, 0x88a8, 0, 30);
  assert.deepEqual(twice.slice(12, 20), [0x88, 0xa8, 0x00, 0x1e, 0x81, 0x00, 0x60, 0x0a]);
  assert.throws(() => pushVlanTag(once, 0x8100, 8, 1), FrameError);
});

test('bad addresses are errors that name the text', () => {
  assert.throws(() => parseMac('02:4b'), /'02:4b' is not a MAC address/);
  assert.throws(() => ipv4Frame('10.0.0', '10.0.0.1', 1, 0), /'10.0.0' is not a dotted-quad/);
});
