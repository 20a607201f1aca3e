// Two traces of one scenario aligned function by function: each function entered is an occurrence
// (its `enter` event and the events of its own body up to the next function at its depth or above),
// occurrences are aligned by function name in call order, and the events of aligned occurrences by
// anchor. From that come the path and the values or branches that differ. Ops hops are aligned on their
// own, over the whole trace, by struct and field: a hop that moved to another function (a dispatch
// split into a helper) is the same hop; one whose table or target differs, or that one side lacks,
// changed.
import type { Trace, TraceEvent } from '../trace/trace';
import { alignSequences } from './align';
import type { EventDifference, HopChange, PathStep } from './path-diff';

interface Occurrence {
  function: string;
  depth: number;
  statement: number;
  events: TraceEvent[];
}

/** The trace cut into occurrences, in call order. */
export function occurrencesOf(trace: Trace): Occurrence[] {
  const occurrences: Occurrence[] = [];
  const open: Occurrence[] = [];
  for (const event of trace.events) {
    const current = open[event.depth];
    if (event.anchor === 'enter' || !current || current.function !== event.function) {
      const occurrence = {
        function: event.function,
        depth: event.depth,
        statement: event.statement,
        events: [event],
      };
      occurrences.push(occurrence);
      open.length = event.depth;
      open[event.depth] = occurrence;
    } else current.events.push(event);
  }
  return occurrences;
}

export interface TraceAlignment {
  path: PathStep[];
  hops: HopChange[];
  events: EventDifference[];
  /** One trace holding both paths: the new run's events where aligned, each side's own elsewhere. */
  merged: Trace;
}

const sameHop = (a: TraceEvent['hop'], b: TraceEvent['hop']): boolean =>
  a?.struct === b?.struct && a?.field === b?.field && a?.table === b?.table && a?.target === b?.target;

const differingKeys = (older: TraceEvent, newer: TraceEvent): string[] =>
  [...new Set([...Object.keys(older.values), ...Object.keys(newer.values)])].filter(
    (key) => JSON.stringify(older.values[key]) !== JSON.stringify(newer.values[key]),
  );

const eventSide = (event: TraceEvent): { values: TraceEvent['values']; branch?: string } =>
  event.branch === undefined ? { values: event.values } : { values: event.values, branch: event.branch };

export function alignTraces(older: Trace, newer: Trace): TraceAlignment {
  const oldOccurrences = occurrencesOf(older);
  const newOccurrences = occurrencesOf(newer);
  const path: PathStep[] = [];
  const hops: HopChange[] = [];
  const events: EventDifference[] = [];
  const mergedEvents: TraceEvent[] = [];
  for (const pair of alignSequences(oldOccurrences, newOccurrences, (o) => o.function)) {
    const o = pair.old === undefined ? undefined : oldOccurrences[pair.old];
    const n = pair.new === undefined ? undefined : newOccurrences[pair.new];
    const shown = (n ?? o)!;
    path.push({
      function: shown.function,
      depth: shown.depth,
      statement: shown.statement,
      side: o && n ? 'both' : o ? 'old' : 'new',
    });
    mergedEvents.push(...shown.events);
    if (o && n) compareOccurrences(o, n, events);
  }
  const oldHops = older.events.filter((e) => e.hop);
  const newHops = newer.events.filter((e) => e.hop);
  for (const pair of alignSequences(oldHops, newHops, (e) => `${e.hop!.struct}.${e.hop!.field}`)) {
    const before = pair.old === undefined ? undefined : oldHops[pair.old];
    const after = pair.new === undefined ? undefined : newHops[pair.new];
    if (before && after && sameHop(before.hop, after.hop)) continue;
    const at = (after ?? before)!;
    const change: HopChange = { function: at.function, anchor: at.anchor, statement: at.statement };
    if (before) change.old = before.hop;
    if (after) change.new = after.hop;
    hops.push(change);
  }
  const merged: Trace = {
    scenario: newer.scenario,
    kernel: `${older.kernel} / ${newer.kernel}`,
    events: mergedEvents.map((event, index) => ({ ...event, index })),
    results: newer.results,
  };
  return { path, hops, events, merged };
}

function compareOccurrences(o: Occurrence, n: Occurrence, events: EventDifference[]): void {
  for (const pair of alignSequences(o.events, n.events, (e) => e.anchor)) {
    const before = pair.old === undefined ? undefined : o.events[pair.old];
    const after = pair.new === undefined ? undefined : n.events[pair.new];
    const at = (after ?? before)!;
    const where = { function: at.function, anchor: at.anchor, statement: at.statement };
    if (before && after) {
      const keys = differingKeys(before, after);
      if (keys.length > 0 || before.branch !== after.branch)
        events.push({ ...where, old: eventSide(before), new: eventSide(after), keys });
    } else if (before) events.push({ ...where, old: eventSide(before), keys: [] });
    else events.push({ ...where, new: eventSide(after!), keys: [] });
  }
}
