import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runText } from './run-text';

test('knr_sysctl stores net.ipv4.ping_group_range in the namespace: ping_init_sock admits root, then refuses it', async () => {
  const run = await runText(
    [
      '\tsocket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
      '\tknr_sysctl("net.ipv4.ping_group_range", "0 10");',
      '\tsocket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
      '\tknr_sysctl("net.ipv4.ping_group_range", "0 -1");',
      '\tknr_sysctl("net.ipv4.ping_group_range", "9 2");',
      '\tsocket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
    ].join('\n'),
  );
  assert.deepEqual(
    run.run.results.map((r) => [r.call, r.errno ?? r.return]),
    [
      ['socket', 'EACCES'],
      ['knr_sysctl', 0],
      ['socket', 3],
      ['knr_sysctl', 'EINVAL'],
      ['knr_sysctl', 0],
      ['socket', 'EACCES'],
    ],
  );
  assert.deepEqual(
    run.kernel.net.ping_group_range,
    { low: 1, high: 0 },
    'an inverted range is stored as 1 0',
  );
  assert.ok(run.events.some((e) => e.function === 'ipv4_ping_group_range' && e.anchor === 'empty'));
});
