// The scenario's packet ends, read from the text of a tracing instance's `trace` file: parses each line
// and keeps only the ends of the scenario's own packets (docs/scenarios.md, "How each packet ended
// (live kernel)", states the criterion and its limits):
// - the scenario program marks the trace ("knr begin", "knr statement N", "knr end"); its pid is the
//   pid of those markers, and nothing before "knr begin" counts (that is `ip netns exec` at work);
// - an end in the program's own process context (its system calls, its exit) is the scenario's: a
//   system call works on the scenario's own sockets and devices;
// - in softirq context (on whatever task's time), an skb is the scenario's when the program sent it
//   (net_dev_queue or netif_rx of its process context), or when it was sent while the kernel received
//   one of the scenario's (a reply); every end on that CPU between the netif_receive_skb of a scenario's
//   skb and the next netif_receive_skb or napi_poll there is the scenario's (the clones made while
//   delivering it have addresses no tracepoint announces);
// - an skb received on the peer device has left the scenario's namespace: it no longer counts.
import type { KernelPacketEnd } from '../scenario/result';

export class TraceParseError extends Error {}

export interface TraceRecord {
  pid: number;
  cpu: number;
  /** The context column of the flags: `.` task, `s` softirq, `h` hardirq, `H` hardirq in softirq, `z` NMI. */
  context: string;
  event: string;
  /** `key=value` fields of the event's text; a marker's text is in `text`. */
  fields: Record<string, string>;
  text: string;
}

export interface EndsScope {
  /** Devices of the peer namespace: what the scenario receives there is not its own. */
  peerDevices: readonly string[];
}

const recordLine = /^\s*.*?-(\d+)\s+\[(\d+)\]\s+(\S{4,6})\s+\d+\.\d+:\s+([\w]+):\s?(.*)$/;

/** One line of a `trace` file; undefined for its comment header and blank lines. */
export function parseTraceLine(line: string, lineNumber: number): TraceRecord | undefined {
  if (line.trim() === '' || line.startsWith('#')) return undefined;
  const match = recordLine.exec(line);
  if (!match)
    throw new TraceParseError(`trace line ${lineNumber}: not a trace record: ${line.slice(0, 160)}`);
  const [, pid, cpu, flags, event, text] = match;
  const fields: Record<string, string> = {};
  for (const field of text.matchAll(/(\w+)[=:] ?(\S+)/g)) fields[field[1]] = field[2];
  return { pid: Number(pid), cpu: Number(cpu), context: flags[2], event, fields, text };
}

/**
 * `__udp4_lib_rcv+0x4bc/0xd00` -> `__udp4_lib_rcv`; a module's `fn+0x1/0x2 [mod]` -> `fn`; the copies
 * the compiler specialises keep their source function's name (`__netif_receive_skb_core.constprop.0`,
 * `.isra.0`, `.part.0`, `.cold`): the location keeps the full symbol.
 */
export function locationFunction(location: string): string {
  return location
    .replace(/\+0x[0-9a-f]+\/0x[0-9a-f]+.*$/, '')
    .replace(/(\.(constprop|isra|part|cold|llvm)(\.\d+)?)+$/, '');
}

const markerPrefix = 'knr ';

/** The ends of the scenario's packets among the records, in the order the kernel reported them. */
export function scenarioEnds(records: readonly TraceRecord[], scope: EndsScope): KernelPacketEnd[] {
  const peer = new Set(scope.peerDevices);
  let program: number | undefined;
  let statement: number | undefined;
  let mainReturned = false;
  const sent = new Set<string>();
  const deliveringOn = new Map<number, boolean>();
  const ends: KernelPacketEnd[] = [];

  for (const record of records) {
    if (record.event === 'tracing_mark_write' && record.text.startsWith(markerPrefix)) {
      const [word, number] = record.text.slice(markerPrefix.length).trim().split(/\s+/);
      if (word === 'begin' && program === undefined) program = record.pid;
      if (record.pid !== program) continue;
      if (word === 'statement') statement = Number(number);
      if (word === 'end') mainReturned = true;
      continue;
    }
    if (program === undefined) continue;
    const ownTask = record.context === '.' && record.pid === program;
    const inSoftirq = record.context === 's';
    const skb = record.fields.skbaddr;
    switch (record.event) {
      case 'net_dev_queue':
      case 'netif_rx':
        if (ownTask || (inSoftirq && deliveringOn.get(record.cpu))) sent.add(skb);
        break;
      case 'netif_receive_skb': {
        const ours = sent.has(skb) && !peer.has(record.fields.dev);
        if (peer.has(record.fields.dev)) sent.delete(skb);
        deliveringOn.set(record.cpu, inSoftirq && ours);
        break;
      }
      case 'napi_poll':
        deliveringOn.set(record.cpu, false);
        break;
      case 'kfree_skb':
      case 'consume_skb': {
        const ours = ownTask || (inSoftirq && (sent.has(skb) || deliveringOn.get(record.cpu) === true));
        if (!ours) break;
        sent.delete(skb);
        ends.push(endOf(record, ends.length, mainReturned ? undefined : statement));
        break;
      }
    }
  }
  return ends;
}

function endOf(record: TraceRecord, packet: number, statement: number | undefined): KernelPacketEnd {
  const location = record.fields.location ?? '';
  const end: KernelPacketEnd = {
    packet,
    how: statement === undefined ? 'queued' : record.event === 'kfree_skb' ? 'freed' : 'consumed',
    function: locationFunction(location),
    location,
  };
  if (statement !== undefined) end.statement = statement;
  if (record.event === 'kfree_skb' && record.fields.reason) end.reason = record.fields.reason;
  return end;
}

/** The scenario's ends in the text of a `trace` file. */
export function endsFromTrace(trace: string, scope: EndsScope): KernelPacketEnd[] {
  const records: TraceRecord[] = [];
  trace.split('\n').forEach((line, index) => {
    const record = parseTraceLine(line, index + 1);
    if (record) records.push(record);
  });
  return scenarioEnds(records, scope);
}
