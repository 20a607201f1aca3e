// The text form of a trace for `knr trace`: per scenario statement, its result, then the path it
// took as annotated kernel source (function headers, 1-based line numbers, the kernel's own line,
// then the values, the branch and the ops hop), then how the packets its call ended ended.
import type { StatementResult } from '../scenario/result';
import { describeEnd, describeVerdict } from './describe-end';
import type { Trace, TraceEvent, TracePacketEnd } from './trace';

function formatValue(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

export function describeResult(result: StatementResult): string {
  const parts = [`${result.call}() = ${result.return}`];
  if (result.errno) parts.push(result.errno);
  if (result.bytes !== undefined) parts.push(`${result.bytes} bytes`);
  if (result.msgFlags?.length) parts.push(result.msgFlags.join('|'));
  for (const message of result.control ?? []) {
    if ('auxdata' in message) {
      const a = message.auxdata;
      parts.push(
        `auxdata tp_status=0x${a.tp_status.toString(16)} (${a.tp_status_names.join('|')}) tci=0x${a.tp_vlan_tci.toString(16)} tpid=0x${a.tp_vlan_tpid.toString(16)}`,
      );
    } else parts.push(`cmsg ${message.level}/${message.type}`);
  }
  const source = result.source;
  if (source && 'ifindex' in source)
    parts.push(`from ${source.address} ifindex ${source.ifindex} ${source.pkttype}`);
  else if (source && 'port' in source) parts.push(`from ${source.address}`);
  return parts.join(', ');
}

function eventLines(event: TraceEvent): string[] {
  const indent = '  '.repeat(event.depth + 1);
  if (event.anchor === 'enter') {
    const values = Object.entries(event.values).map(([k, v]) => `${k} = ${formatValue(v)}`);
    return [
      `${indent}${event.function}  ${event.file}:${event.line}${values.length ? `  (${values.join(', ')})` : ''}`,
    ];
  }
  const number = event.line > 0 ? String(event.line).padStart(5) : '    ?';
  const source = event.unresolved
    ? `[anchor ${event.anchor} unresolved: ${event.unresolved}]`
    : (event.source ?? '');
  const notes = Object.entries(event.values).map(([k, v]) => `${k} = ${formatValue(v)}`);
  if (event.branch) notes.push(`-> ${event.branch}`);
  if (event.hop)
    notes.push(`=> ${event.hop.struct}.${event.hop.field} in ${event.hop.table} = ${event.hop.target}`);
  const lines = [`${indent}  ${number} | ${source}`];
  if (notes.length) lines.push(`${indent}        | ${notes.join('; ')}`);
  return lines;
}

function endLines(end: TracePacketEnd): string[] {
  const where = `${end.file}:${end.line > 0 ? end.line : '?'}`;
  const lines = [`  packet ${end.packet} ended: ${describeEnd(end)}  ${where}`];
  if (end.verdict) lines.push(`    ${describeVerdict(end.verdict)}`);
  return lines;
}

export function renderTraceText(trace: Trace): string {
  const out = [`scenario ${trace.scenario} on the models of kernel ${trace.kernel}`];
  const byStatement = new Map<number, TraceEvent[]>();
  for (const event of trace.events)
    byStatement.set(event.statement, [...(byStatement.get(event.statement) ?? []), event]);
  const endsOf = (statement: number) => (trace.ends ?? []).filter((end) => end.statement === statement);
  for (const result of trace.results) {
    out.push('', `[${result.step}] line ${result.line}: ${describeResult(result)}`);
    for (const event of byStatement.get(result.step) ?? []) out.push(...eventLines(event));
    for (const end of endsOf(result.step)) out.push(...endLines(end));
  }
  const pending = byStatement.get(trace.results.length);
  if (pending) for (const event of pending) out.push(...eventLines(event));
  for (const end of endsOf(trace.results.length)) out.push(...endLines(end));
  if (trace.stopped)
    out.push('', `stopped at line ${trace.stopped.line}:${trace.stopped.column}: ${trace.stopped.message}`);
  return out.join('\n');
}
