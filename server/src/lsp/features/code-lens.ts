// Code lens: over a function installed in tables ("packet_ops.recvmsg · packet_ops_spkt.recvmsg"),
// over an indirect call site ("12 implementations"). Lenses are listed cheaply and titled on
// resolve; the command carries the locations for the client to show as a list.
import type { CancellationToken, CodeLens, CodeLensParams, Location } from 'vscode-languageserver';
import { installerName, type Installation } from '../../index/queries';
import { clientCommands } from '../../protocol';
import { installationToLocation, lineRange, spanToRange, toLocation } from '../convert';
import { checkCancelled } from '../guard';
import type { Place, Session } from '../session';

const maxSlotsInTitle = 3;

type LensData =
  | { kind: 'installed'; uri: string; name: string }
  | { kind: 'implementations'; uri: string; line: number; column: number };

export function codeLenses(
  session: Session,
  params: CodeLensParams,
  token: CancellationToken,
): CodeLens[] | null {
  const place = session.place(params.textDocument.uri);
  const facts = place?.index.facts(place.file);
  if (!place || !facts) return null;
  const lenses: CodeLens[] = [];
  for (const fn of facts.functions) {
    checkCancelled(token);
    if (!fn.isDefinition || place.index.installationsOf(fn.name).length === 0) continue;
    const data: LensData = { kind: 'installed', uri: place.uri, name: fn.name };
    lenses.push({ range: spanToRange(fn.nameSpan), data });
  }
  for (const call of facts.calls) {
    if (call.receiver === undefined) continue;
    const data: LensData = { kind: 'implementations', uri: place.uri, line: call.line, column: call.column };
    lenses.push({ range: lineRange(call.line, call.column, call.column + call.callee.length), data });
  }
  return lenses;
}

export function resolveCodeLens(session: Session, lens: CodeLens, _token: CancellationToken): CodeLens {
  const data = lens.data as LensData | undefined;
  const place = data ? session.place(data.uri) : undefined;
  if (!data || !place) return lens;
  const installations =
    data.kind === 'installed'
      ? place.index.installationsOf(data.name)
      : implementationsAt(place, data.line, data.column);
  const title =
    data.kind === 'installed'
      ? installedTitle(session, installations)
      : countTitle(session, installations.length);
  const locations: Location[] =
    data.kind === 'installed'
      ? installations.map((i) => toLocation(place.root, i.file, i.span))
      : installations.map((i) => installationToLocation(place.root, i));
  return {
    ...lens,
    command: {
      title,
      command: clientCommands.showLocations,
      arguments: [data.uri, lens.range.start, locations],
    },
  };
}

function implementationsAt(place: Place, line: number, column: number): Installation[] {
  const call = place.index.callAt(place.file, line, column);
  return call?.indirect ? call.candidates : [];
}

function installedTitle(session: Session, installations: Installation[]): string {
  const slots = [...new Set(installations.map((i) => `${installerName(i.source)}.${i.field}`))];
  const shown = slots.slice(0, maxSlotsInTitle).join(' · ');
  const more =
    slots.length > maxSlotsInTitle
      ? ` ${session.messages.format('codeLens.andMore', { count: slots.length - maxSlotsInTitle })}`
      : '';
  return session.messages.format('codeLens.installedIn', { slots: shown + more });
}

function countTitle(session: Session, count: number): string {
  if (count === 0) return session.messages.format('codeLens.noImplementations');
  if (count === 1) return session.messages.format('codeLens.implementation');
  return session.messages.format('codeLens.implementations', { count });
}
