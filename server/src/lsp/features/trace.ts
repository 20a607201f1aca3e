// Traces in the editor: run a scenario on the models (custom requests of server/src/protocol.ts), keep
// the active trace, step through it, draw it, and show its values as inlay hints in every file of the
// path. Scenario files get diagnostics. The models and scenarios are server/src/trace's API.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DiagnosticSeverity,
  InlayHintKind,
  type CodeLens,
  type CodeLensParams,
  type Connection,
  type Diagnostic,
  type InlayHint,
  type InlayHintParams,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { IndexQueries } from '../../index/queries';
import {
  activeTraceNotification,
  clientCommands,
  type ActiveTrace,
  type CompareLiveParams,
  type CompareLiveResult,
  type ScenarioRef,
  type ListScenariosParams,
  type ListScenariosResult,
  type PacketEndView,
  type PathDiagramResult,
  type RunScenarioParams,
  type RunScenarioResult,
  type StepParams,
  type StepResult,
  type TraceEventView,
} from '../../protocol';
import { compareScenarioFile } from '../../live/compare-scenario';
import { endKey, verdictsByEnd } from '../../live/end-verdicts';
import { formatComparison } from '../../live/format';
import { liveKernelVersion, runLiveScenario } from '../../live/run-live';
import { liveUnsupportedReason } from '../../live/support';
import { listLibrary, resolveScenarioPath } from '../../scenario/library';
import { isScenarioText } from '../../scenario/scenario-text';
import { describeEnd, describeVerdict, dropReasonValue, endMark } from '../../trace/describe-end';
import { endNodeId, renderTraceSvg } from '../../trace/render-svg';
import { modelledFunctions, scenarioDiagnostics, scenariosThrough, traceScenarioText } from '../../trace/api';
import type { KernelVerdict, Trace } from '../../trace/trace';
import { fileToUri, spanStart, spanToRange, visibleRange } from '../convert';
import type { Session } from '../session';

function formatValue(value: number | string | boolean): string {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) > 9
    ? `${value} (0x${(value >>> 0).toString(16)})`
    : String(value);
}

function toEventView(root: string, trace: Trace): TraceEventView[] {
  return trace.events.map((event) => ({
    index: event.index,
    function: event.function,
    uri: fileToUri(root, event.file),
    line: Math.max(0, event.line - 1),
    label: event.branch ?? event.anchor,
    values: Object.entries(event.values).map(([name, value]) => ({ name, value: formatValue(value) })),
    hop: event.hop ? `${event.hop.struct}.${event.hop.field} (${event.hop.table})` : undefined,
  }));
}

/** The trace's packet ends, each with its verdict when a comparison with the live kernel set one. */
export function toEndViews(root: string, trace: Trace): PacketEndView[] {
  return (trace.ends ?? []).map((end) => {
    const view: PacketEndView = {
      packet: end.packet,
      statement: end.statement,
      how: end.how,
      function: end.function,
      uri: fileToUri(root, end.file),
      line: Math.max(0, end.line - 1),
      label: describeEnd(end),
      mark: endMark(end),
    };
    if (end.verdict) view.verdict = { agreed: end.verdict.agreed, label: describeVerdict(end.verdict) };
    return view;
  });
}

/**
 * The inlay hint of one traced line: the steps on it (`▶` on the current one), the packets it ended
 * with their verdicts, then the hops and values.
 */
export function lineHintLabel(events: TraceEventView[], ends: PacketEndView[], current: number): string {
  const isCurrent = events.some((e) => e.index === current);
  const endParts = ends.map(
    (end) => `${end.mark} (packet ${end.packet})${end.verdict ? ` · ${end.verdict.label}` : ''}`,
  );
  // A packet's end on this line says the drop reason already; its event's value would repeat it.
  const parts = events.flatMap((e) => [
    ...(e.hop ? [`→ ${e.hop}`] : []),
    ...e.values
      .filter((v) => !(ends.length > 0 && v.name === dropReasonValue))
      .map((v) => `${v.name} = ${v.value}`),
  ]);
  const said = [...endParts, ...parts].join(', ');
  return `${isCurrent ? '▶ ' : ''}#${events.map((e) => e.index + 1).join(',')} ${said || events[0].label}`;
}

export class TraceFeature {
  private active: { trace: Trace; view: ActiveTrace; root: string; path: string } | undefined;

  constructor(
    private readonly session: Session,
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  /** The first tree whose whole index is ready, or the one asked for; the models need a whole tree. */
  private tree(root?: string): { root: string; index: IndexQueries } {
    const ready = this.session.readyIndexes();
    const chosen = root ? ready.find((tree) => tree.root === root) : ready[0];
    if (chosen) return chosen;
    const key = this.session.stillIndexing() ? 'trace.stillIndexing' : 'trace.noKernel';
    throw new Error(this.session.messages.format(key));
  }

  async listScenarios(params: ListScenariosParams): Promise<ListScenariosResult> {
    const library = params.function
      ? await scenariosThrough(params.function, this.tree().index)
      : await listLibrary();
    return {
      scenarios: library.map((s) => ({
        name: s.name,
        description: s.description,
        uri: fileToUri('/', s.file),
      })),
    };
  }

  private scenarioPath(ref: ScenarioRef): string {
    return ref.uri ? fileURLToPath(ref.uri) : resolveScenarioPath(ref.name ?? '');
  }

  /** Refuses live runs where the kernel cannot be used (not Linux, not root, no namespaces). */
  private checkLive(): void {
    const reason = liveUnsupportedReason();
    if (reason) throw new Error(this.session.messages.format('trace.liveUnavailable', { reason }));
  }

  async runScenario(params: RunScenarioParams): Promise<RunScenarioResult> {
    const path = this.scenarioPath(params.scenario);
    if (params.engine === 'live') {
      this.checkLive();
      return { run: await runLiveScenario(path) };
    }
    const { root, index } = this.tree(params.root);
    const ref = params.scenario;
    const open = ref.uri ? this.documents.get(ref.uri) : undefined;
    const text = open?.getText() ?? readFileSync(path, 'utf8');
    const outcome = await traceScenarioText(text, path, index);
    const scenarioUri = ref.uri ?? fileToUri('/', path);
    const problems = outcome.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => ({ message: d.message, uri: scenarioUri, ...spanStart(d.span) }));
    if (!outcome.trace) return { problems };
    const view: ActiveTrace = {
      scenario: outcome.trace.scenario,
      kernel: outcome.trace.kernel,
      events: toEventView(root, outcome.trace),
      ends: toEndViews(root, outcome.trace),
      current: 0,
    };
    this.active = { trace: outcome.trace, view, root, path };
    this.changed();
    return { trace: view, run: outcome.trace.results, problems: problems.length > 0 ? problems : undefined };
  }

  async compareLive(params: CompareLiveParams): Promise<CompareLiveResult> {
    this.checkLive();
    const path = this.scenarioPath(params.scenario);
    const { root, index } = this.tree(params.root);
    const outcome = await compareScenarioFile(path, index);
    const { comparison } = outcome;
    this.showVerdicts(root, path, verdictsByEnd(outcome.ends));
    return {
      agree: outcome.agree,
      differences: comparison.differences.map((d) => ({
        path: d.path,
        model: JSON.stringify(d.model),
        live: JSON.stringify(d.live),
      })),
      report: formatComparison(path, outcome, liveKernelVersion()),
    };
  }

  /**
   * Puts the kernel's verdicts beside the ends of the active trace when it is of the compared scenario and
   * tree. An end gets one only where the comparison's model run ended that packet the same way (the
   * comparison runs the models as the live kernel's version, which may differ from the trace's).
   */
  private showVerdicts(root: string, path: string, verdicts: Map<string, KernelVerdict>): void {
    const active = this.active;
    if (!active || active.root !== root || active.path !== path || !active.trace.ends) return;
    active.trace.ends = active.trace.ends.map(({ verdict: _previous, ...end }) => {
      const verdict = verdicts.get(endKey(end));
      return verdict ? { ...end, verdict } : end;
    });
    active.view.ends = toEndViews(root, active.trace);
    this.changed();
  }

  /** The active trace's events in one function of the tree at `root`, for the hover. */
  valuesOf(functionName: string, root: string): { scenario: string; events: TraceEventView[] } | undefined {
    if (!this.active || this.active.root !== root) return undefined;
    const { view } = this.active;
    return { scenario: view.scenario, events: view.events.filter((e) => e.function === functionName) };
  }

  step(params: StepParams): StepResult {
    if (!this.active) throw new Error(this.session.messages.format('trace.none'));
    const view = this.active.view;
    const last = view.events.length - 1;
    const target =
      params.to === 'next' ? view.current + 1 : params.to === 'previous' ? view.current - 1 : params.to;
    view.current = Math.max(0, Math.min(last, target));
    this.changed();
    return { current: view.current, event: view.events[view.current] };
  }

  clear(): null {
    this.active = undefined;
    this.changed();
    return null;
  }

  pathDiagram(): PathDiagramResult {
    if (!this.active) throw new Error(this.session.messages.format('trace.none'));
    const { trace, root } = this.active;
    const nodes: PathDiagramResult['nodes'] = [];
    for (const event of trace.events) {
      if (event.anchor !== 'enter' || nodes.some((n) => n.function === event.function)) continue;
      nodes.push({
        id: event.function,
        function: event.function,
        uri: fileToUri(root, event.file),
        line: Math.max(0, event.line - 1),
      });
    }
    for (const end of trace.ends ?? []) {
      nodes.push({
        id: endNodeId(end),
        function: end.function,
        uri: fileToUri(root, end.file),
        line: Math.max(0, end.line - 1),
      });
    }
    return { svg: renderTraceSvg(trace), nodes };
  }

  /** The active trace's values on the traced lines of one document; the current step is marked. */
  inlayHints(params: InlayHintParams): InlayHint[] {
    if (!this.active) return [];
    const { view, root } = this.active;
    const document = this.documents.get(params.textDocument.uri);
    const hints: InlayHint[] = [];
    const byLine = new Map<number, TraceEventView[]>();
    const endsByLine = new Map<number, PacketEndView[]>();
    // Compare paths, not URI strings: clients escape characters such as `+` differently. A client may
    // also name the document through a symbolic link to the tree, which the tree's path resolves.
    const path = fileURLToPath(params.textDocument.uri);
    const inTree = this.session.treeOf(params.textDocument.uri);
    const treePath = inTree?.tree.root === root ? fileURLToPath(fileToUri(root, inTree.file)) : path;
    const shown = (at: { uri: string; line: number }): boolean => {
      const atPath = fileURLToPath(at.uri);
      return (
        (atPath === path || atPath === treePath) &&
        at.line >= params.range.start.line &&
        at.line <= params.range.end.line
      );
    };
    for (const event of view.events) {
      if (shown(event)) byLine.set(event.line, [...(byLine.get(event.line) ?? []), event]);
    }
    for (const end of view.ends) {
      if (shown(end)) endsByLine.set(end.line, [...(endsByLine.get(end.line) ?? []), end]);
    }
    for (const [line, events] of byLine) {
      const label = lineHintLabel(events, endsByLine.get(line) ?? [], view.current);
      const character = document
        ? document
            .getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } })
            .replace(/\r?\n$/, '').length
        : 0;
      hints.push({ position: { line, character }, label, kind: InlayHintKind.Parameter, paddingLeft: true });
    }
    return hints;
  }

  /**
   * Publishes a scenario document's problems (syntax, unknown calls and constants, where a run stops).
   * Until a whole tree is indexed there are none: a constant not indexed yet is not unknown.
   * `scenarioDocumentsChanged` publishes them when the tree is ready.
   */
  async publishScenarioDiagnostics(document: TextDocument): Promise<void> {
    const text = document.getText();
    if (!isScenarioText(text)) return;
    const ready = this.session.readyIndexes()[0];
    if (!ready) return;
    const found = await scenarioDiagnostics(text, fileURLToPath(document.uri), ready.index);
    const diagnostics: Diagnostic[] = found.map((d) => ({
      range: visibleRange(d.span),
      severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      source: 'kernel-net-reader',
      message: d.message,
    }));
    await this.connection.sendDiagnostics({ uri: document.uri, diagnostics });
  }

  /** Publishes the problems of every open scenario document again (a tree became ready). */
  async scenarioDocumentsChanged(): Promise<void> {
    for (const document of this.documents.all()) await this.publishScenarioDiagnostics(document);
  }

  private changed(): void {
    void this.connection.sendNotification(activeTraceNotification, { trace: this.active?.view ?? null });
    // Clients without inlay-hint refresh support pick the hints up on their next request.
    this.connection.languages.inlayHint.refresh().catch(() => undefined);
  }
}

/** A "Trace" lens over every function in this document that has a model, offering its scenarios. */
export function traceLenses(session: Session, params: CodeLensParams): CodeLens[] {
  const place = session.place(params.textDocument.uri);
  const facts = place?.index.facts(place.file);
  if (!place || !facts) return [];
  const modelled = new Set(
    modelledFunctions()
      .filter((m) => m.file === place.file)
      .map((m) => m.name),
  );
  return facts.functions
    .filter((fn) => fn.isDefinition && modelled.has(fn.name))
    .map((fn) => ({
      range: spanToRange(fn.nameSpan),
      command: {
        title: session.messages.format('codeLens.trace'),
        command: clientCommands.traceThisPath,
        arguments: [fn.name],
      },
    }));
}
