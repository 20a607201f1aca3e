// The extension's commands. Each turns a reader's action into one server request and shows the
// answer where the code is: the trace view, the step highlight, the path diagram, the log.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  clearTraceRequest,
  clientCommands,
  compareLiveRequest,
  comparePathRequest,
  pathDiagramRequest,
  runScenarioRequest,
  stepRequest,
  type ActiveTrace,
  type CompareLiveParams,
  type ComparePathParams,
  type RunScenarioParams,
  type RunScenarioResult,
  type ScenarioRef,
  type StepParams,
} from '../../server/src/protocol';
import { liveKernelUnavailableReason } from './live-kernel';
import type { ComparePathPanel } from './compare-path';
import type { PathDiagramPanel } from './path-diagram';
import { pickScenario } from './scenario-picker';
import type { ServerRequests } from './server-requests';
import type { TraceState } from './trace-state';

export const commandIds = {
  traceThisPath: clientCommands.traceThisPath,
  showLocations: clientCommands.showLocations,
  runScenarioOnModel: clientCommands.runScenarioOnModel,
  runScenarioOnLiveKernel: 'kernelNetReader.runScenarioOnLiveKernel',
  compareWithLiveKernel: 'kernelNetReader.compareWithLiveKernel',
  nextStep: 'kernelNetReader.nextStep',
  previousStep: 'kernelNetReader.previousStep',
  revealEvent: 'kernelNetReader.revealEvent',
  showImplementations: 'kernelNetReader.showImplementations',
  showPathDiagram: 'kernelNetReader.showPathDiagram',
  comparePathAcrossVersions: 'kernelNetReader.comparePathAcrossVersions',
  clearTrace: 'kernelNetReader.clearTrace',
  showLog: 'kernelNetReader.showLog',
} as const;

export interface CommandContext {
  client: LanguageClient;
  requests: ServerRequests;
  state: TraceState;
  diagram: PathDiagramPanel;
  comparison: ComparePathPanel;
  output: vscode.OutputChannel;
}

function isScenarioRef(value: unknown): value is ScenarioRef {
  const ref = value as ScenarioRef | undefined;
  return typeof ref?.name === 'string' || typeof ref?.uri === 'string';
}

export function registerCommands(context: CommandContext): vscode.Disposable[] {
  const { requests, state, output } = context;

  const runOnModel = async (scenario: ScenarioRef | undefined): Promise<void> => {
    if (scenario === undefined) return;
    const params: RunScenarioParams = { scenario, engine: 'model' };
    const result = await requests.send(runScenarioRequest, params, vscode.l10n.t('Running the scenario'));
    if (result === undefined) return;
    if (result.problems !== undefined && result.problems.length > 0) {
      reportProblems(result, output);
      return;
    }
    if (result.trace === undefined || result.trace.events.length === 0) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('The scenario ran but passed through no modelled function.'),
      );
      return;
    }
    state.set(result.trace);
    await revealCurrent(state);
  };

  const step = async (index: number | undefined): Promise<void> => {
    if (index === undefined) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('There is no active trace. Run Trace This Path first.'),
      );
      return;
    }
    if (state.moveTo(index) === undefined) return;
    // The client knows the events; the server only needs the step to move its inlay hints' highlight.
    const params: StepParams = { to: index };
    await requests.sendQuietly(stepRequest, params);
    await revealCurrent(state);
  };

  /** The scenario to run on the live kernel, after saying why there is none where the kernel cannot be used. */
  const pickLiveScenario = async (): Promise<ScenarioRef | undefined> => {
    const reason = liveKernelUnavailableReason();
    if (reason !== undefined) {
      void vscode.window.showWarningMessage(reason);
      return undefined;
    }
    return pickScenario(requests, { preferActiveFile: true });
  };

  const runLive = async (): Promise<void> => {
    const scenario = await pickLiveScenario();
    if (scenario === undefined) return;
    const params: RunScenarioParams = { scenario, engine: 'live' };
    const result = await requests.send(
      runScenarioRequest,
      params,
      vscode.l10n.t('Running the scenario on the live kernel'),
    );
    if (result === undefined) return;
    if (result.problems !== undefined && result.problems.length > 0) return reportProblems(result, output);
    output.appendLine(JSON.stringify(result.run, null, 2));
    output.show(true);
  };

  const compareLive = async (): Promise<void> => {
    const scenario = await pickLiveScenario();
    if (scenario === undefined) return;
    const params: CompareLiveParams = { scenario };
    const result = await requests.send(
      compareLiveRequest,
      params,
      vscode.l10n.t('Comparing with the live kernel'),
    );
    if (result === undefined) return;
    output.appendLine(result.report);
    const message = result.agree
      ? vscode.l10n.t('The model and the live kernel agree.')
      : result.differences.length > 0
        ? vscode.l10n.t(
            'The model and the live kernel differ in {0} places; see the log.',
            result.differences.length,
          )
        : vscode.l10n.t('No agreement: a run stopped before the end of the scenario; see the log.');
    void vscode.window.showInformationMessage(message);
    if (!result.agree) output.show(true);
  };

  const showPathDiagram = async (): Promise<void> => {
    const trace = state.active;
    if (trace === null) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('There is no active trace. Run Trace This Path first.'),
      );
      return;
    }
    const diagram = await requests.send(pathDiagramRequest, {}, vscode.l10n.t('Drawing the path'));
    if (diagram !== undefined) context.diagram.show(diagram, trace);
  };

  // An open diagram follows the active trace: a new trace, or the kernel's verdicts after a comparison.
  const redrawPathDiagram = async (trace: ActiveTrace | null): Promise<void> => {
    if (trace === null || !context.diagram.isStale(trace)) return;
    const diagram = await requests.sendQuietly(pathDiagramRequest, {});
    if (diagram !== undefined && state.active === trace) context.diagram.redraw(diagram, trace);
  };

  const comparePath = async (): Promise<void> => {
    const scenario = await pickScenario(requests, { preferActiveFile: true });
    if (scenario === undefined) return;
    const params: ComparePathParams = { scenario };
    const result = await requests.send(
      comparePathRequest,
      params,
      vscode.l10n.t('Comparing the path across kernel versions'),
    );
    if (result === undefined) return;
    output.appendLine(result.report);
    context.comparison.show(result);
  };

  const register = (id: string, handler: (...args: never[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, handler);

  return [
    state.onDidChange((trace) => void redrawPathDiagram(trace)),
    register(commandIds.traceThisPath, async (functionName?: string) => {
      const through = typeof functionName === 'string' ? functionName : await functionAtCursor();
      await runOnModel(await pickScenario(requests, { throughFunction: through, preferActiveFile: true }));
    }),
    // A hover's scenario link passes the scenario; the command palette passes nothing and offers them all.
    register(commandIds.runScenarioOnModel, async (scenario?: ScenarioRef) =>
      runOnModel(
        isScenarioRef(scenario) ? scenario : await pickScenario(requests, { preferActiveFile: true }),
      ),
    ),
    register(commandIds.runScenarioOnLiveKernel, runLive),
    register(commandIds.compareWithLiveKernel, compareLive),
    register(commandIds.nextStep, () => step(state.indexFrom(1))),
    register(commandIds.previousStep, () => step(state.indexFrom(-1))),
    register(commandIds.revealEvent, (index: number) => step(index)),
    register(commandIds.showImplementations, () =>
      vscode.commands.executeCommand('editor.action.peekImplementation'),
    ),
    register(commandIds.showPathDiagram, showPathDiagram),
    register(commandIds.comparePathAcrossVersions, comparePath),
    register(commandIds.clearTrace, async () => {
      state.set(null);
      await requests.sendQuietly(clearTraceRequest, {});
    }),
    register(commandIds.showLog, () => output.show(true)),
    register(commandIds.showLocations, (uri: string, position: unknown, locations: unknown[]) =>
      showLocations(context.client, uri, position, locations),
    ),
  ];
}

async function revealCurrent(state: TraceState): Promise<void> {
  const event = state.currentEvent;
  if (event === undefined) return;
  const line = new vscode.Range(event.line, 0, event.line, 0);
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(event.uri), {
    selection: line,
    preserveFocus: false,
  });
  editor.revealRange(line, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** The function whose body holds the cursor, from the server's document symbols. */
async function functionAtCursor(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) return undefined;
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
    'vscode.executeDocumentSymbolProvider',
    editor.document.uri,
  );
  const cursor = editor.selection.active;
  const containing = (symbols ?? []).find(
    (symbol) => symbol.kind === vscode.SymbolKind.Function && symbol.range.contains(cursor),
  );
  return containing?.name;
}

/** Lists problems of a scenario in the log and the Problems panel, where the server published them as
 * diagnostics, without a modal dialog. */
function reportProblems(result: RunScenarioResult, output: vscode.OutputChannel): void {
  const problems = result.problems ?? [];
  for (const problem of problems) {
    output.appendLine(
      `${vscode.Uri.parse(problem.uri).fsPath}:${problem.line + 1}:${problem.character + 1}: ${problem.message}`,
    );
  }
  void vscode.window.setStatusBarMessage(
    `$(warning) ${vscode.l10n.t('Problems in the scenario: {0}; see the Problems panel.', problems.length)}`,
    10_000,
  );
  void vscode.commands.executeCommand('workbench.actions.view.problems');
}

async function showLocations(
  client: LanguageClient,
  uri: string,
  position: unknown,
  locations: unknown[],
): Promise<void> {
  const converter = client.protocol2CodeConverter;
  await vscode.commands.executeCommand(
    'editor.action.showReferences',
    vscode.Uri.parse(uri),
    converter.asPosition(position as Parameters<typeof converter.asPosition>[0]),
    await Promise.all(
      locations.map((location) =>
        converter.asLocation(location as Parameters<typeof converter.asLocation>[0]),
      ),
    ),
  );
}
