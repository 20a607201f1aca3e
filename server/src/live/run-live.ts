// Runs one scenario on the running kernel: parse, instrument, compile, build the network it asks for,
// run the program inside the scenario's namespace, and turn its records into a ScenarioRun. The
// namespaces, the program and the temporary files are removed on every path out, including signals.
import { readFileSync, rmSync } from 'node:fs';
import { release } from 'node:os';
import type { ScenarioProgram } from '../scenario/ast';
import { parseScenario } from '../scenario/parse';
import type { ScenarioRun } from '../scenario/result';
import { admitForLive } from './admission';
import { registerCleanup } from './cleanup';
import { compileScenario } from './compile';
import { instrumentScenario } from './instrument';
import { sweepStaleNamespaces } from './namespaces';
import { recordsToRun } from './records';
import { runInNamespace } from './run-program';
import { endsFromTrace } from './skb-ends';
import { liveUnsupportedReason } from './support';
import { buildNetwork } from './topology';
import { startEndsRecorder, type EndsRecorder } from './tracefs';
import { createWorkDir, sweepStaleWorkDirs } from './work-dirs';
import { helperConstants } from '../scenario/helpers';

export class LiveUnavailableError extends Error {}
export class ScenarioError extends Error {}

let supportChecked = false;

/** Throws a LiveUnavailableError saying why this machine cannot run scenarios live. */
export function ensureLiveSupported(): void {
  if (supportChecked) return;
  const reason = liveUnsupportedReason();
  if (reason) throw new LiveUnavailableError(reason);
  supportChecked = true;
}

/** The live kernel's version, as result JSON reports it. */
export function liveKernelVersion(): string {
  return release();
}

/** Parses a scenario file, or throws a ScenarioError listing its problems with their positions. */
export async function parseScenarioFile(file: string): Promise<{ source: string; program: ScenarioProgram }> {
  const source = readFileSync(file, 'utf8');
  const parsed = await parseScenario(source, file);
  if (!parsed.program) {
    const messages = parsed.diagnostics.map(
      (d) => `${file}:${d.span.line + 1}:${d.span.column + 1}: ${d.message}`,
    );
    throw new ScenarioError(messages.join('\n'));
  }
  return { source, program: parsed.program };
}

export async function runLiveScenario(file: string): Promise<ScenarioRun> {
  const { source, program } = await parseScenarioFile(file);
  return runLiveProgram(source, program);
}

/** Runs an already parsed scenario (`source` is its text, which the program is compiled from). */
export async function runLiveProgram(source: string, program: ScenarioProgram): Promise<ScenarioRun> {
  await admitForLive(source, program);
  const instrumented = instrumentScenario(source, program);
  ensureLiveSupported();

  sweepStaleWorkDirs();
  const workDir = createWorkDir();
  const removeWorkDir = registerCleanup(`live work directory ${workDir}`, () =>
    rmSync(workDir, { recursive: true, force: true }),
  );
  try {
    const executable = compileScenario(instrumented.source, program.file, workDir);
    sweepStaleNamespaces();
    const network = buildNetwork(instrumented.topology);
    let recorder: EndsRecorder | undefined;
    let endsUnavailable: string | undefined;
    try {
      try {
        recorder = startEndsRecorder();
      } catch (error) {
        endsUnavailable = error instanceof Error ? error.message : String(error);
      }
      const env: NodeJS.ProcessEnv = {};
      if (network.peer) env.KNR_LIVE_PEER_NETNS = `/run/netns/${network.peer.name}`;
      if (recorder) env.KNR_LIVE_TRACE_MARKER = recorder.marker;
      const outcome = await runInNamespace(network.scenario.name, executable, env);
      const run = recordsToRun(program.name, liveKernelVersion(), instrumented.sites, outcome);
      if (recorder) {
        try {
          const peerDevices = network.peer ? [String(helperConstants.KNR_IF_PEER)] : [];
          run.ends = endsFromTrace(recorder.read(), { peerDevices });
        } catch (error) {
          endsUnavailable = error instanceof Error ? error.message : String(error);
        }
      }
      if (endsUnavailable !== undefined) run.endsUnavailable = endsUnavailable;
      return run;
    } finally {
      recorder?.remove();
      network.delete();
    }
  } finally {
    removeWorkDir();
  }
}
