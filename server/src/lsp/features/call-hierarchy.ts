// Call hierarchy, incoming and outgoing, with indirect edges through ops tables labelled by the hop
// ("via proto_ops.recvmsg (packet_ops)").
import type {
  CallHierarchyIncomingCall,
  CallHierarchyIncomingCallsParams,
  CallHierarchyItem,
  CallHierarchyOutgoingCall,
  CallHierarchyOutgoingCallsParams,
  CallHierarchyPrepareParams,
  CancellationToken,
  Range,
} from 'vscode-languageserver';
import type { CallEdge, SymbolLocation } from '../../index/queries';
import { spanToRange, toCallHierarchyItem, type CallHierarchyData } from '../convert';
import { checkCancelled } from '../guard';
import type { Session } from '../session';
import { symbolsOfKind } from '../../index/definition-lookup';
import { targetAt } from '../cursor';

const maxPrepared = 50;

export function prepareCallHierarchy(
  session: Session,
  params: CallHierarchyPrepareParams,
  _token: CancellationToken,
): CallHierarchyItem[] | null {
  const place = session.place(params.textDocument.uri);
  if (!place) return null;
  const { index, file, root } = place;
  const target = targetAt(session, place, params.position);
  let functions: SymbolLocation[] = [];
  if (target?.kind === 'call' && target.call.indirect) {
    functions = target.call.candidates.flatMap((i) => (i.functionLocation ? [i.functionLocation] : []));
  } else if (target) {
    const name =
      target.kind === 'call'
        ? target.call.callee
        : target.kind === 'slot-value'
          ? target.slot.value
          : target.word.name;
    functions = symbolsOfKind(index, name, file, ['function']);
  }
  if (functions.length === 0) {
    const enclosing = index.functionAt(file, params.position.line);
    if (enclosing)
      functions = symbolsOfKind(index, enclosing.name, file, ['function']).filter((f) => f.file === file);
  }
  const items = uniqueByName(functions)
    .slice(0, maxPrepared)
    .map((symbol) => toCallHierarchyItem(root, symbol));
  return items.length > 0 ? items : null;
}

function uniqueByName(symbols: SymbolLocation[]): SymbolLocation[] {
  const byKey = new Map<string, SymbolLocation>();
  for (const symbol of symbols) {
    const key = `${symbol.file}:${symbol.name}`;
    if (!byKey.has(key)) byKey.set(key, symbol);
  }
  return [...byKey.values()];
}

function dataOf(item: CallHierarchyItem): CallHierarchyData | undefined {
  const data = item.data as Partial<CallHierarchyData> | undefined;
  if (typeof data?.name !== 'string' || typeof data.file !== 'string') return undefined;
  return { name: data.name, file: data.file };
}

/** Groups edges by the function at the other end and the hop, so one item carries every call site. */
function groupEdges(edges: CallEdge[], keyOf: (edge: CallEdge) => string): CallEdge[][] {
  const groups = new Map<string, CallEdge[]>();
  for (const edge of edges) {
    const how = edge.hop
      ? `${edge.hop.struct}.${edge.hop.field}.${edge.hop.tables.join(',')}`
      : (edge.passedTo ?? '');
    const key = `${keyOf(edge)}|${how}`;
    const group = groups.get(key);
    if (group) group.push(edge);
    else groups.set(key, [edge]);
  }
  return [...groups.values()];
}

function hopLabel(session: Session, edge: CallEdge): string | undefined {
  if (edge.hop) {
    return session.messages.format('callHierarchy.via', { ...edge.hop, tables: edge.hop.tables.join(', ') });
  }
  return edge.passedTo !== undefined
    ? session.messages.format('callHierarchy.passedTo', { callee: edge.passedTo })
    : undefined;
}

function endpoint(name: string, location: SymbolLocation | undefined, edge: CallEdge): SymbolLocation {
  return location ?? { kind: 'function', name, file: edge.file, span: edge.span, detail: name };
}

export function callHierarchyIncoming(
  session: Session,
  params: CallHierarchyIncomingCallsParams,
  token: CancellationToken,
): CallHierarchyIncomingCall[] | null {
  const data = dataOf(params.item);
  const place = session.place(params.item.uri);
  if (!data || !place) return null;
  const groups = groupEdges(place.index.callers(data.name), (edge) => `${edge.file}:${edge.caller}`);
  return groups.map((edges) => {
    checkCancelled(token);
    const { item, fromRanges } = hierarchyCall(session, place.root, edges, 'caller');
    return { from: item, fromRanges };
  });
}

export function callHierarchyOutgoing(
  session: Session,
  params: CallHierarchyOutgoingCallsParams,
  token: CancellationToken,
): CallHierarchyOutgoingCall[] | null {
  const data = dataOf(params.item);
  const place = session.place(params.item.uri);
  if (!data || !place) return null;
  const groups = groupEdges(place.index.callees(data.name, data.file), (edge) => edge.callee);
  return groups.map((edges) => {
    checkCancelled(token);
    const { item, fromRanges } = hierarchyCall(session, place.root, edges, 'callee');
    return { to: item, fromRanges };
  });
}

/** The function at one end of a group of call edges, and where each of those calls is. */
function hierarchyCall(
  session: Session,
  root: string,
  edges: CallEdge[],
  end: 'caller' | 'callee',
): { item: CallHierarchyItem; fromRanges: Range[] } {
  const first = edges[0];
  const location = end === 'caller' ? first.callerLocation : first.calleeLocation;
  const item = toCallHierarchyItem(root, endpoint(first[end], location, first), hopLabel(session, first));
  return { item, fromRanges: edges.map((edge) => spanToRange(edge.span)) };
}
