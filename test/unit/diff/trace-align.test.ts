import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignTraces, occurrencesOf } from '../../../server/src/diff/trace-align';
import type { Trace, TraceEvent } from '../../../server/src/trace/trace';

type EventSpec = Partial<TraceEvent> & Pick<TraceEvent, 'function' | 'anchor' | 'depth'>;

function trace(kernel: string, specs: EventSpec[]): Trace {
  return {
    scenario: 'synthetic',
    kernel,
    results: [],
    events: specs.map((spec, index) => ({
      index,
      file: 'net/x.c',
      line: 1,
      values: {},
      statement: 0,
      ...spec,
    })),
  };
}

const enter = (fn: string, depth: number, values: TraceEvent['values'] = {}): EventSpec => ({
  function: fn,
  anchor: 'enter',
  depth,
  values,
});

const older = trace('6.1.1', [
  enter('sys_recv', 0),
  {
    function: 'sys_recv',
    anchor: 'dispatch',
    depth: 0,
    values: {},
    hop: { struct: 'proto_ops', field: 'recvmsg', table: 'old_ops', target: 'old_recv' },
  },
  enter('old_recv', 1),
  { function: 'old_recv', anchor: 'check', depth: 1, values: { len: 10 }, branch: 'short' },
  enter('copy', 2),
  enter('shared_tail', 1),
]);
const newer = trace('6.12.1', [
  enter('sys_recv', 0),
  {
    function: 'sys_recv',
    anchor: 'dispatch',
    depth: 0,
    values: {},
    hop: { struct: 'proto_ops', field: 'recvmsg', table: 'new_ops', target: 'new_recv' },
  },
  enter('new_recv', 1),
  enter('copy', 2),
  enter('shared_tail', 1, { added: true }),
  { function: 'shared_tail', anchor: 'reason', depth: 1, values: { reason: 'NOMEM' } },
]);

test('a trace is cut into occurrences: an enter and the events of that function until the next call', () => {
  assert.deepEqual(
    occurrencesOf(older).map((o) => `${o.function}:${o.events.length}`),
    ['sys_recv:2', 'old_recv:2', 'copy:1', 'shared_tail:1'],
  );
});

test('occurrences align by function name: inserted and removed functions are on one side only', () => {
  const { path } = alignTraces(older, newer);
  assert.deepEqual(
    path.map((s) => `${s.side}:${s.function}`),
    ['both:sys_recv', 'old:old_recv', 'new:new_recv', 'both:copy', 'both:shared_tail'],
  );
});

test('a hop to another table is reported at its aligned event, with both sides', () => {
  const { hops } = alignTraces(older, newer);
  assert.equal(hops.length, 1);
  assert.equal(hops[0].anchor, 'dispatch');
  assert.equal(hops[0].old?.table, 'old_ops');
  assert.equal(hops[0].new?.target, 'new_recv');
});

test('a hop that moved to another function but reaches the same slot is not a change', () => {
  const hop = { struct: 'proto_ops', field: 'setsockopt', table: 'demo_ops', target: 'demo_setsockopt' };
  const before = trace('6.1.1', [
    enter('sys_set', 0),
    { function: 'sys_set', anchor: 'ops', depth: 0, values: {}, hop },
  ]);
  const after = trace('6.12.1', [
    enter('sys_set', 0),
    enter('do_set', 1),
    { function: 'do_set', anchor: 'ops', depth: 1, values: {}, hop },
  ]);
  assert.deepEqual(alignTraces(before, after).hops, []);
});

test('values that differ at aligned events, and events reached on one side only, are listed', () => {
  const { events } = alignTraces(older, newer);
  const enterTail = events.find((e) => e.function === 'shared_tail' && e.anchor === 'enter')!;
  assert.deepEqual(enterTail.keys, ['added']);
  const reason = events.find((e) => e.anchor === 'reason')!;
  assert.equal(reason.old, undefined);
  assert.deepEqual(reason.new?.values, { reason: 'NOMEM' });
  assert.equal(
    events.some((e) => e.function === 'copy'),
    false,
    'identical events are not differences',
  );
});

test('the merged trace holds both paths in aligned order, for the diagram', () => {
  const { merged } = alignTraces(older, newer);
  const entered = merged.events.filter((e) => e.anchor === 'enter').map((e) => e.function);
  assert.deepEqual(entered, ['sys_recv', 'old_recv', 'new_recv', 'copy', 'shared_tail']);
  assert.deepEqual(
    merged.events.map((e) => e.index),
    [...merged.events.keys()],
  );
});
