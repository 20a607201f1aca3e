// The custom messages between the VS Code extension and the language server, beyond standard LSP.
// Each is a `RequestType`/`NotificationType` carrying its parameter and result types, and both sides
// send and handle them through these objects only, so a change of shape is a compile error on both.
// Every method is `kernelNetReader/<name>`. Lines and characters are 0-based and URIs are `file:` URIs,
// as everywhere in LSP. The one import is the protocol package that vscode-languageclient and
// vscode-languageserver both re-export, so neither bundle gains code.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** The parameters of a request that needs none: an empty object, as clients send. */
export type NoParams = Record<string, never>;

/** Server -> client notification: the state of one kernel tree's index. Sent on every change of state
 * and, while indexing, at most a few times a second. */
export const indexStateNotification = new NotificationType<IndexStateParams>('kernelNetReader/indexState');

export type IndexStateKind =
  /** Parsing and linking; `done` of `total` files so far. Queries already answer from what is done. */
  | 'indexing'
  /** Every file indexed. */
  | 'ready'
  /** The configured or workspace folder is not a kernel tree (no top-level Makefile, Kbuild, net/). */
  | 'not-a-kernel-tree'
  /** Indexing failed; `message` says why and where. */
  | 'failed';

export interface IndexStateParams {
  /** Absolute path of the kernel tree. */
  root: string;
  state: IndexStateKind;
  /** Files indexed so far and files to index (0 and 0 before the count is known). */
  done: number;
  total: number;
  /** The tree's version from its Makefile (`6.1.158`), once known. */
  version?: string;
  message?: string;
}

/** A scenario the reader can run: a built-in one (by name) or a scenario file (by URI). */
export interface ScenarioRef {
  /** Built-in scenario name, as `knr scenarios` lists it. */
  name?: string;
  /** A scenario file anywhere on disk. */
  uri?: string;
}

/** Client -> server request: the scenarios to offer, optionally only those through one function. */
export const listScenariosRequest = new RequestType<ListScenariosParams, ListScenariosResult, void>(
  'kernelNetReader/listScenarios',
);

export interface ListScenariosParams {
  /** Only scenarios whose trace passes through this kernel function. */
  function?: string;
}

export interface ScenarioSummary {
  name: string;
  /** One line for a reader. */
  description: string;
  /** Set for scenarios that live in a file (the built-in library's files included). */
  uri?: string;
}

export interface ListScenariosResult {
  scenarios: ScenarioSummary[];
}

/** Client -> server request: run a scenario on the models (making its trace the active trace) or on
 * the live kernel. A scenario with errors gives `problems` (also published as diagnostics on the
 * scenario file) instead of a trace. */
export const runScenarioRequest = new RequestType<RunScenarioParams, RunScenarioResult, void>(
  'kernelNetReader/runScenario',
);

export interface RunScenarioParams {
  scenario: ScenarioRef;
  engine: 'model' | 'live';
  /** Which kernel tree to run against, when several are configured; default: the first ready one. */
  root?: string;
}

export interface ScenarioProblem {
  message: string;
  uri: string;
  line: number;
  character: number;
}

export interface RunScenarioResult {
  /** The trace (engine `model`) that is now active; absent for live runs and for scenarios with problems. */
  trace?: ActiveTrace;
  /** Per-statement results in the JSON shape of server/src/scenario/result.ts (ScenarioRun). */
  run?: unknown;
  problems?: ScenarioProblem[];
}

/** One event of a trace, in editor terms. */
export interface TraceEventView {
  /** Position in the trace, from 0. */
  index: number;
  function: string;
  uri: string;
  line: number;
  /** What happens there, for a reader: the anchor's construct or the branch taken. */
  label: string;
  /** The values read and written at this line, already formatted (`tp_status = 0x21`). */
  values: { name: string; value: string }[];
  /** For a call through an ops table: `proto_ops.recvmsg (packet_ops)`. */
  hop?: string;
}

/** How one packet of a trace ended, in editor terms. */
export interface PacketEndView {
  /** The packets numbered from 0 in the order they ended. */
  packet: number;
  /** The result step whose call ended it. */
  statement: number;
  how: 'freed' | 'consumed' | 'queued';
  function: string;
  uri: string;
  /** The line that frees, consumes or queues it (0-based). */
  line: number;
  /** `freed in ip_rcv_core (OTHERHOST)`, `queued to fd 3 in packet_rcv`. */
  label: string;
  /** The mark for that line: `✗ freed: OTHERHOST`, `○ consumed`, `⇥ queued to fd 3`. */
  mark: string;
  /** After a comparison with the live kernel: `kernel: kfree_skb in ip_rcv_core (OTHERHOST) ✓`. */
  verdict?: { agreed: boolean; label: string };
}

export interface ActiveTrace {
  /** Scenario name. */
  scenario: string;
  /** Kernel version the models ran for. */
  kernel: string;
  events: TraceEventView[];
  /** How each packet ended, in the order they ended (those still queued last). */
  ends: PacketEndView[];
  /** Index of the current step (the one highlighted), from 0. */
  current: number;
}

/** Server -> client notification: the active trace changed (a run from a code lens, a step, a clear);
 * `trace` is null when there is none. */
export const activeTraceNotification = new NotificationType<ActiveTraceParams>('kernelNetReader/activeTrace');

export interface ActiveTraceParams {
  trace: ActiveTrace | null;
}

/** Client -> server request: move the current step; the server refreshes its inlay hints. */
export const stepRequest = new RequestType<StepParams, StepResult, void>('kernelNetReader/step');

export interface StepParams {
  /** `next`, `previous`, or an event index to jump to. */
  to: 'next' | 'previous' | number;
}

export interface StepResult {
  current: number;
  event: TraceEventView;
}

/** Client -> server request: forget the active trace (its inlay hints disappear). */
export const clearTraceRequest = new RequestType<NoParams, null, void>('kernelNetReader/clearTrace');

/** Client -> server request: the path diagram of the active trace as SVG. */
export const pathDiagramRequest = new RequestType<NoParams, PathDiagramResult, void>(
  'kernelNetReader/pathDiagram',
);

export interface PathDiagramResult {
  /** A standalone SVG document. Each clickable node is an element with `data-node="<id>"`. */
  svg: string;
  nodes: { id: string; function: string; uri: string; line: number }[];
}

/** Client -> server request: run a scenario on the models and on the live kernel and compare. */
export const compareLiveRequest = new RequestType<CompareLiveParams, CompareLiveResult, void>(
  'kernelNetReader/compareLive',
);

export interface CompareLiveParams {
  scenario: ScenarioRef;
  root?: string;
}

export interface CompareLiveResult {
  /** No field differs and both runs reached the end of main (a stopped run never agrees). */
  agree: boolean;
  /** Each field where the model and the live kernel disagree; empty when none does. */
  differences: { path: string; model: string; live: string }[];
  /** The same comparison as readable text for the output log. */
  report: string;
}

/** Client -> server request: run a scenario on the models of two indexed trees and compare the paths
 * (`knr diff`). Without `old` and `new`, the two ready trees of lowest and highest version. */
export interface ComparePathParams {
  scenario: ScenarioRef;
  /** Roots of the older and newer tree. */
  old?: string;
  new?: string;
}

/** A function's definition in one tree, with its text for the diff editor. */
export interface FunctionVersionView {
  uri: string;
  line: number;
  text: string;
}

export interface ComparedFunctionView {
  name: string;
  /** `changed`: the definition's text differs with whitespace folded; `only-old`/`only-new`: on one
   * path only; `not-found`: on both paths, but one index has no definition of it. */
  status: 'unchanged' | 'changed' | 'only-old' | 'only-new' | 'not-found';
  old?: FunctionVersionView;
  new?: FunctionVersionView;
}

export interface ComparePathResult {
  scenario: string;
  old: { root: string; kernel: string };
  new: { root: string; kernel: string };
  /** Functions entered, aligned in call order; `side` is where each was entered. */
  path: { function: string; depth: number; statement: number; side: 'both' | 'old' | 'new' }[];
  functions: ComparedFunctionView[];
  /** Both paths as one diagram, the changes marked; nodes carry `data-node="<function>"`. */
  svg: string;
  /** The whole comparison as `knr diff` prints it, for the log. */
  report: string;
}

export const comparePathRequest = new RequestType<ComparePathParams, ComparePathResult, void>(
  'kernelNetReader/comparePath',
);

/** Commands the extension registers that the server may put in code lenses. Their arguments are JSON. */
export const clientCommands = {
  /** Arguments: `(uri: string, position: {line, character}, locations: LSP Location[])`; opens the peek list. */
  showLocations: 'kernelNetReader.showLocations',
  /** Arguments: `(functionName?: string)`; offers the scenarios through that function. */
  traceThisPath: 'kernelNetReader.traceThisPath',
  /** Arguments: `(scenario?: ScenarioRef)`; traces that scenario on the models, or offers them all. */
  runScenarioOnModel: 'kernelNetReader.runScenarioOnModel',
} as const;
