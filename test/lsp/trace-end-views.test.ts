// The packet ends of a trace as the editor gets them: words, mark, place, and the live kernel's verdict
// once a comparison set one (synthetic ends; the real-tree run is trace-6.1.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineHintLabel, toEndViews } from '../../server/src/lsp/features/trace';
import type { TraceEventView } from '../../server/src/protocol';
import type { Trace } from '../../server/src/trace/trace';

const trace: Trace = {
  scenario: 'synthetic',
  kernel: '6.12.57',
  events: [],
  results: [],
  ends: [
    {
      packet: 0,
      statement: 2,
      how: 'freed',
      function: 'ip_rcv_core',
      file: 'net/ipv4/ip_input.c',
      anchor: 'drop',
      reason: 'OTHERHOST',
      line: 40,
      verdict: { agreed: true, kernel: { how: 'freed', function: 'ip_rcv_core', reason: 'OTHERHOST' } },
    },
    {
      packet: 1,
      statement: 3,
      how: 'queued',
      function: 'packet_rcv',
      file: 'net/packet/af_packet.c',
      anchor: 'queue',
      queuedTo: [3],
      line: 0,
      verdict: { agreed: false, kernel: { how: 'consumed', function: 'packet_rcv', offset: 0x1f0 } },
    },
  ],
};

test('each end becomes a view with its words, its mark, a 0-based line and the verdict in words', () => {
  const views = toEndViews('/kernel', trace);
  assert.deepEqual(views[0], {
    packet: 0,
    statement: 2,
    how: 'freed',
    function: 'ip_rcv_core',
    uri: 'file:///kernel/net/ipv4/ip_input.c',
    line: 39,
    label: 'freed in ip_rcv_core (OTHERHOST)',
    mark: '✗ freed: OTHERHOST',
    verdict: { agreed: true, label: 'kernel: kfree_skb in ip_rcv_core (OTHERHOST) ✓' },
  });
  // An anchor that did not resolve (line 0) points at the file's first line.
  assert.equal(views[1].line, 0);
  assert.equal(views[1].label, 'queued to fd 3 in packet_rcv');
  assert.deepEqual(views[1].verdict, { agreed: false, label: 'kernel: consume_skb in packet_rcv+0x1f0 ✗' });
  assert.equal(toEndViews('/kernel', { ...trace, ends: undefined }).length, 0);
});

test('a freeing line’s inlay hint leads with the packet’s end and the kernel’s verdict, not the drop-reason value', () => {
  const [freed] = toEndViews('/kernel', trace);
  const event: TraceEventView = {
    index: 6,
    function: 'ip_rcv_core',
    uri: freed.uri,
    line: freed.line,
    label: 'freed: OTHERHOST',
    values: [{ name: 'drop reason', value: 'OTHERHOST' }],
  };
  assert.equal(
    lineHintLabel([event], [freed], 6),
    '▶ #7 ✗ freed: OTHERHOST (packet 0) · kernel: kfree_skb in ip_rcv_core (OTHERHOST) ✓',
  );
  // A reference dropped on a line that ends no packet keeps its value.
  assert.equal(lineHintLabel([event], [], 0), '#7 drop reason = OTHERHOST');
});
