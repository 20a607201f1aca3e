// A trace: the model events of one scenario run placed on the indexed tree's lines, with the
// per-statement results. This is what `knr trace --json` prints and what the language server shows.
import { PerGeneration } from '../index/derived-cache';
import type { ScenarioProgram } from '../scenario/ast';
import type { ScenarioConstants } from '../scenario/constants';
import type { RunStop, StatementResult } from '../scenario/result';
import { modelDefinition, type EventValue, type ModelIndex, type OpsHop, type PacketEnd } from '../models';
import { AnchorResolver, type SourceReader } from './anchors';
import { runScenarioOnModels } from './run-scenario';

export interface TraceEvent {
  /** Position in the trace, from 0. */
  index: number;
  function: string;
  /** Relative to the kernel root. */
  file: string;
  /** 1-based line of the anchor (of the function's name for `enter`); 0 when it did not resolve. */
  line: number;
  anchor: string;
  /** The kernel's source line at `line`, trimmed. */
  source?: string;
  values: Record<string, EventValue>;
  branch?: string;
  hop?: OpsHop;
  depth: number;
  /** The result step (statement) that caused the event. */
  statement: number;
  /** Set when the anchor did not resolve against this tree. */
  unresolved?: string;
}

/**
 * What the live kernel's tracepoints said about one packet's end, set after a comparison with the live
 * kernel (Compare with Live Kernel); the trace of a model run alone has none.
 */
export interface KernelVerdict {
  /** The kernel ended the packet as the model did (or as the model declares this version does). */
  agreed: boolean;
  /** The difference the model declares for this version, when the kernel's end differs by it. */
  declared?: string;
  /** The kernel's end of the packet; absent when its tracepoints recorded none. */
  kernel?: {
    how: PacketEnd['how'];
    /** The function of the tracepoint's `location`. */
    function: string;
    /** The offset into it of `location`, in bytes. */
    offset?: number;
    /** skb:kfree_skb's reason, without `SKB_DROP_REASON_`. */
    reason?: string;
  };
}

/** A packet's end placed on the tree: `line` is the anchor's 1-based line, 0 when it did not resolve. */
export interface TracePacketEnd extends PacketEnd {
  line: number;
  verdict?: KernelVerdict;
}

export interface Trace {
  scenario: string;
  kernel: string;
  events: TraceEvent[];
  /**
   * How each packet ended, in the order they ended (those still queued last); absent from the partial
   * traces the version diff builds.
   */
  ends?: TracePacketEnd[];
  results: StatementResult[];
  stopped?: RunStop;
}

type TraceIndex = ModelIndex & ConstructorParameters<typeof AnchorResolver>[0];

/** One resolver per index generation and source, so functions found once are not looked up again. */
const resolvers = new PerGeneration((_: TraceIndex) => new WeakMap<SourceReader, AnchorResolver>());

function resolverFor(index: TraceIndex, source: SourceReader): AnchorResolver {
  const bySource = resolvers.get(index);
  let resolver = bySource.get(source);
  if (!resolver) {
    resolver = new AnchorResolver(index, source);
    bySource.set(source, resolver);
  }
  return resolver;
}

export function traceScenario(
  program: ScenarioProgram,
  index: TraceIndex,
  constants: ScenarioConstants,
  source: SourceReader,
): Trace {
  const execution = runScenarioOnModels(program, index, constants);
  const resolver = resolverFor(index, source);
  const events = execution.events.map((event, position): TraceEvent => {
    const definition = modelDefinition(event.function)!;
    const resolution = resolver.resolve(definition, event.anchor);
    const placed: TraceEvent = {
      index: position,
      function: event.function,
      file: event.file,
      line: resolution.status === 'resolved' ? resolution.line + 1 : 0,
      anchor: event.anchor,
      values: event.values,
      depth: event.depth,
      statement: event.statement,
    };
    if (resolution.status === 'resolved') placed.source = resolution.text.trim();
    else {
      placed.unresolved =
        resolution.status === 'unresolved' ? resolution.reason : `not in ${resolution.series}`;
      const functionLine = resolver.functionLine(definition);
      if (functionLine !== undefined) placed.line = functionLine + 1;
    }
    if (event.branch) placed.branch = event.branch;
    if (event.hop) placed.hop = event.hop;
    return placed;
  });
  const ends = execution.ends.map((end): TracePacketEnd => {
    const resolution = resolver.resolve(modelDefinition(end.function)!, end.anchor);
    return { ...end, line: resolution.status === 'resolved' ? resolution.line + 1 : 0 };
  });
  const trace: Trace = {
    scenario: program.name,
    kernel: index.version,
    events,
    ends,
    results: execution.run.results,
  };
  if (execution.run.stopped) trace.stopped = execution.run.stopped;
  return trace;
}

/** The functions a trace passes through, in order of first appearance. */
export function functionsOf(trace: Trace): string[] {
  return [...new Set(trace.events.map((e) => e.function))];
}

/** The ordered path: functions entered and ops hops taken, e.g. `packet_recvmsg`, `proto_ops.recvmsg->packet_recvmsg`. */
export function pathOf(trace: Trace): string[] {
  return trace.events
    .filter((e) => e.anchor === 'enter' || e.hop)
    .map((e) => (e.hop ? `${e.hop.struct}.${e.hop.field}->${e.hop.target}` : e.function));
}
