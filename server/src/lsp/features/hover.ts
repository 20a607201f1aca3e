// textDocument/hover, in Markdown and the user's language: the signature and rendered kernel-doc;
// for a function its installations and the indirect calls that reach it; for an indirect call its
// implementations grouped by evidence and table; for a table its filled fields; for a macro or
// constant its value; for a function-like macro its parameters and body; for a modelled function its
// model (what it covers and does not, the built-in scenarios through it as links that trace them, and
// its values in the active trace).
// Long because it is one answer with a section per kind of target, sharing one writer's links and language.
import type { CancellationToken, Hover, HoverParams } from 'vscode-languageserver';
import { evidenceStrength, type Evidence } from '../../index/facts';
import {
  installerLabel,
  type IndirectCallTarget,
  type Installation,
  type IndexQueries,
  type SymbolLocation,
} from '../../index/queries';
import { clientCommands, type ScenarioRef, type TraceEventView } from '../../protocol';
import { modelNote, scenariosThrough, type ModelNote } from '../../trace/api';
import { commandLink, lineRange, markdownLink } from '../convert';
import { renderDoc } from '../kernel-doc';
import type { Place, Session } from '../session';
import {
  definitionsOf,
  fieldDeclaration,
  fieldSymbol,
  resolveFieldPath,
} from '../../index/definition-lookup';
import type { Target } from '../../index/target';
import { placeAndTarget } from '../cursor';

const maxListed = 25;
/** An indirect call lists every implementation up to this many: readers look for one table among them. */
const maxImplementationsListed = 100;

/** The active trace's events in a function (the trace feature keeps the active trace). */
export interface ActiveTraceValues {
  valuesOf(functionName: string, root: string): { scenario: string; events: TraceEventView[] } | undefined;
}

export async function hover(
  session: Session,
  params: HoverParams,
  _token: CancellationToken,
  trace?: ActiveTraceValues,
): Promise<Hover | null> {
  const found = placeAndTarget(session, params);
  if (!found) return null;
  const { place, target } = found;
  const writer = new HoverWriter(session, place);
  let value = writer.render(target);
  if (writer.modelled) {
    // The model comes right after where the function is defined, before its tables and callers.
    const { symbol, note, head } = writer.modelled;
    const section = await modelSection(session, place, symbol.name, note, trace);
    value = `${head}\n\n${section}${value.slice(head.length)}`;
  }
  if (value === '') {
    // Nothing known here yet: say so while the tree is still being indexed, rather than stay silent.
    if (place.tree.state !== 'indexing') return null;
    return {
      contents: { kind: 'markdown', value: session.messages.format('hover.indexing', place.tree.progress) },
    };
  }
  return {
    contents: { kind: 'markdown', value },
    range: lineRange(params.position.line, target.word.start, target.word.end),
  };
}

/** A modelled function's note, its scenarios (each a link that traces it) and its active-trace values. */
async function modelSection(
  session: Session,
  place: Place,
  functionName: string,
  note: ModelNote,
  trace: ActiveTraceValues | undefined,
): Promise<string> {
  const t: Session['messages']['format'] = (key, params) => session.messages.format(key, params);
  const parts = [`**${t('hover.model.title')}**: ${note.description}`];
  const limits = [t('hover.model.anchors', { count: note.anchors })];
  if (note.coarse) limits.push(t('hover.model.coarse'));
  if (note.only) limits.push(t('hover.model.only', { series: note.only.join(', ') }));
  parts.push(limits.join(' '));
  const scenarios = await scenariosThrough(functionName, place.index);
  if (scenarios.length === 0) parts.push(t('hover.model.noScenarios'));
  else {
    const links = scenarios.map((scenario) => {
      const ref: ScenarioRef = { name: scenario.name };
      const link = commandLink(scenario.name, clientCommands.runScenarioOnModel, [ref]);
      return `- ${link}: ${scenario.description}`;
    });
    parts.push(`${t('hover.model.scenarios')}\n\n${links.join('\n')}`);
  }
  const active = trace?.valuesOf(functionName, place.root);
  if (active && active.events.length === 0)
    parts.push(t('hover.trace.notThrough', { scenario: active.scenario }));
  else if (active) {
    const lines = active.events.slice(0, maxListed).map((event) => {
      const values = event.values.map((v) => `\`${v.name} = ${v.value}\``);
      const hop = event.hop ? [`→ \`${event.hop}\``] : [];
      const shown = [...hop, ...values].join(', ') || event.label;
      return `- [#${event.index + 1}](${event.uri}#L${event.line + 1}) ${shown}`;
    });
    if (active.events.length > lines.length)
      lines.push(`- ${t('hover.andMore', { count: active.events.length - lines.length })}`);
    parts.push(`**${t('hover.trace.values', { scenario: active.scenario })}**\n\n${lines.join('\n')}`);
  }
  return parts.join('\n\n');
}

function code(text: string): string {
  return '```c\n' + text + '\n```';
}

/** A multi-line macro body as the kernel writes it: each line indented, continued by a backslash. */
function indentedBody(body: string): string {
  return body
    .split('\n')
    .map((line) => `\t${line}`)
    .join(' \\\n');
}

function byEvidence<T extends { evidence: Evidence }>(items: T[]): T[] {
  return [...items].sort((a, b) => evidenceStrength[b.evidence] - evidenceStrength[a.evidence]);
}

function slotName(installation: Installation): string {
  return `${installerLabel(installation.source)}.${installation.field}`;
}

class HoverWriter {
  private readonly index: IndexQueries;
  /** Set by render when the hovered function is the definition a model pairs with. */
  modelled: { symbol: SymbolLocation; note: ModelNote; head: string } | undefined;

  constructor(
    private readonly session: Session,
    private readonly place: Place,
  ) {
    this.index = place.index;
  }

  private t(
    key: Parameters<Session['messages']['format']>[0],
    params?: Record<string, string | number>,
  ): string {
    return this.session.messages.format(key, params);
  }

  render(target: Target): string {
    const { index, place } = this;
    switch (target.kind) {
      case 'call':
        return target.call.indirect
          ? this.indirectCall(target.call)
          : this.symbols(definitionsOf(index, place.file, target, this.session.localScope(place)));
      case 'slot-field': {
        const resolved = resolveFieldPath(index, target.struct, target.field, place.file);
        return resolved ? this.field(fieldSymbol(resolved)) : '';
      }
      case 'field':
        return this.field(fieldSymbol({ struct: target.struct.name, field: target.field, file: place.file }));
      case 'slot-value':
      case 'member':
      case 'name':
        return this.symbols(definitionsOf(index, place.file, target, this.session.localScope(place)));
    }
  }

  private link(file: string, span: SymbolLocation['span']): string {
    return markdownLink(this.place.root, file, span);
  }

  private definedAt(symbol: SymbolLocation): string {
    return this.t('hover.definedAt', { location: this.link(symbol.file, symbol.span) });
  }

  private symbols(symbols: SymbolLocation[]): string {
    const first = symbols[0];
    if (!first) return '';
    switch (first.kind) {
      case 'function':
        return this.function(first);
      case 'struct':
        return this.struct(first);
      case 'table':
      case 'variable':
        return this.table(first) ?? [code(first.detail), this.definedAt(first)].join('\n\n');
      case 'macro':
        return this.functionMacro(first) ?? this.constant(first);
      case 'enum-constant':
        return this.constant(first);
      case 'field':
        return this.field(first);
      case 'typedef':
      case 'enum':
      case 'local':
        return [code(first.detail), this.definedAt(first)].join('\n\n');
    }
  }

  private function(symbol: SymbolLocation): string {
    const fact = this.index
      .facts(symbol.file)
      ?.functions.find((f) => f.name === symbol.name && f.nameSpan.line === symbol.span.line);
    const parts = [code(fact?.signature ?? symbol.detail)];
    const doc = renderDoc(fact?.doc, this.session.messages);
    if (doc) parts.push(doc);
    parts.push(this.definedAt(symbol));
    const note = modelNote(symbol.name, symbol.file, this.session.messages.locale);
    if (note) this.modelled = { symbol, note, head: parts.join('\n\n') };
    const installations = byEvidence(this.index.installationsOf(symbol.name));
    if (installations.length > 0) {
      const lines = installations
        .slice(0, maxListed)
        .map(
          (i) =>
            `- \`${slotName(i)}\` (\`struct ${i.struct}\`, ${this.t(`evidence.${i.evidence}`)}) ${this.link(i.file, i.span)}`,
        );
      parts.push(
        `**${this.t('hover.installedIn', { count: installations.length })}**\n\n${this.withMore(lines, installations.length)}`,
      );
      // Only an installed function is reached through a table, so only then are its callers asked for.
      const reachedBy = this.reachedBy(symbol.name);
      if (reachedBy) parts.push(reachedBy);
    }
    return parts.join('\n\n');
  }

  /** The indirect call sites that reach `fn`: their count, then the first few, strongest evidence first. */
  private reachedBy(fn: string): string | undefined {
    const edges = this.index
      .callers(fn, { indirectOnly: true })
      .flatMap((edge) => (edge.hop ? [{ ...edge, hop: edge.hop }] : []));
    if (edges.length === 0) return undefined;
    const strongestFirst = edges.sort(
      (a, b) => evidenceStrength[b.hop.evidence] - evidenceStrength[a.hop.evidence],
    );
    const lines = strongestFirst
      .slice(0, maxListed)
      .map(
        (edge) =>
          `- \`${edge.caller}\` ${this.t('callHierarchy.via', { ...edge.hop, tables: edge.hop.tables.join(', ') })} ${this.link(edge.file, edge.span)}`,
      );
    return `**${this.t('hover.reachedBy', { count: edges.length })}**\n\n${this.withMore(lines, edges.length)}`;
  }

  private withMore(lines: string[], total: number): string {
    if (total > lines.length) lines.push(`- ${this.t('hover.andMore', { count: total - lines.length })}`);
    return lines.join('\n');
  }

  private indirectCall(call: IndirectCallTarget): string {
    const receiver = call.struct;
    const via = call.via ? ` ${this.t('hover.via', { macro: call.via })}` : '';
    if (receiver === undefined)
      return this.t('hover.implementationsUnknownType', { field: call.callee }) + via;
    const candidates = byEvidence(call.candidates);
    const header = `**${this.t('hover.implementations', { count: candidates.length, struct: receiver, field: call.callee })}**${via}`;
    const parts = [header];
    const resolved = resolveFieldPath(this.index, receiver, call.callee, this.place.file);
    if (resolved) parts.push(code(fieldDeclaration(resolved.field)));
    let listed = 0;
    for (const evidence of Object.keys(evidenceStrength) as Evidence[]) {
      const group = candidates.filter((c) => c.evidence === evidence);
      if (group.length === 0 || listed >= maxImplementationsListed) continue;
      const shown = group.slice(0, maxImplementationsListed - listed);
      listed += shown.length;
      const lines = shown.map((c) => {
        const where = c.functionLocation
          ? this.link(c.functionLocation.file, c.functionLocation.span)
          : this.link(c.file, c.span);
        return `- \`${installerLabel(c.source)}\` → \`${c.function}\` ${where}`;
      });
      parts.push(`*${this.t(`evidence.${evidence}`)}* (${group.length})\n\n${lines.join('\n')}`);
    }
    if (candidates.length > listed)
      parts.push(this.t('hover.andMore', { count: candidates.length - listed }));
    return parts.join('\n\n');
  }

  private struct(symbol: SymbolLocation): string {
    const found = this.index.struct(symbol.name, symbol.file);
    const parts = [code(found ? `${found.fact.kind} ${found.fact.name}` : symbol.detail)];
    const doc = renderDoc(found?.fact.doc, this.session.messages);
    if (doc) parts.push(doc);
    parts.push(this.definedAt(symbol));
    const tables = this.index.tablesOfStruct(symbol.name);
    if (tables.length > 0) {
      const lines = tables
        .slice(0, maxListed)
        .map((table) => `- \`${table.name}\` ${this.link(table.location.file, table.location.span)}`);
      parts.push(
        `**${this.t('hover.tablesOfStruct', { count: tables.length })}**\n\n${this.withMore(lines, tables.length)}`,
      );
    }
    return parts.join('\n\n');
  }

  private table(symbol: SymbolLocation): string | undefined {
    const table = this.index.table(symbol.name, symbol.file);
    if (!table) return undefined;
    const parts = [code(`struct ${table.struct} ${table.name}`), this.definedAt(table.location)];
    const lines = table.slots.slice(0, maxListed * 2).map((slot) => {
      const element = slot.element === undefined ? '' : `[${slot.element}]`;
      const recovered = slot.recovered ? ` (${this.t('hover.recovered')})` : '';
      return `- \`${element}.${slot.field} = ${slot.value}\`${recovered}`;
    });
    parts.push(
      `**${this.t('hover.filledFields', { count: table.slots.length })}**\n\n${this.withMore(lines, table.slots.length)}`,
    );
    return parts.join('\n\n');
  }

  /** A function-like macro: its parameters and body as written (shortened by the index). */
  private functionMacro(symbol: SymbolLocation): string | undefined {
    const fact = this.index
      .facts(symbol.file)
      ?.functionMacros.find((m) => m.name === symbol.name && m.nameSpan.line === symbol.span.line);
    if (!fact) return undefined;
    const head = `#define ${fact.name}(${fact.parameters})`;
    const definition = fact.body.includes('\n')
      ? `${head} \\\n${indentedBody(fact.body)}`
      : `${head} ${fact.body}`;
    return [code(definition.trimEnd()), this.definedAt(symbol)].join('\n\n');
  }

  private constant(symbol: SymbolLocation): string {
    const value = this.index.macroValue(symbol.name);
    const declaration =
      symbol.kind === 'macro'
        ? `#define ${symbol.name} ${value ?? ''}`
        : `${symbol.name}${value ? ` = ${value}` : ''}`;
    const parts = [code(declaration.trim())];
    const evaluated = this.index.evaluateConstant(symbol.name);
    if (evaluated !== undefined && String(evaluated) !== value?.trim()) {
      const hex = evaluated >= 16 ? ` (0x${evaluated.toString(16)})` : '';
      parts.push(this.t('hover.evaluated', { value: `\`${evaluated}\`${hex}` }));
    }
    parts.push(this.definedAt(symbol));
    return parts.join('\n\n');
  }

  private field(symbol: SymbolLocation): string {
    const parts = [code(symbol.detail)];
    if (symbol.container) parts.push(this.t('hover.fieldOf', { struct: symbol.container }));
    parts.push(this.definedAt(symbol));
    if (symbol.container) {
      const implementations = this.index.implementations(symbol.container, symbol.name);
      if (implementations.length > 0) {
        const lines = byEvidence(implementations)
          .slice(0, maxListed)
          .map((i) => `- \`${slotName(i)}\` → \`${i.function}\` (${this.t(`evidence.${i.evidence}`)})`);
        parts.push(
          `**${this.t('hover.implementations', { count: implementations.length, struct: symbol.container, field: symbol.name })}**\n\n${this.withMore(lines, implementations.length)}`,
        );
      }
    }
    return parts.join('\n\n');
  }
}
