// One comparison: the same scenario file on the models (told the live kernel's version) and on the
// live kernel, then field by field.
import type { ModelIndex } from '../models';
import type { ScenarioRun } from '../scenario/result';
import { compareRuns } from './compare-runs';
import type { Comparison } from './diff';
import { runModelAtVersion } from './model-run';
import { liveKernelVersion, parseScenarioFile, runLiveProgram, type LiveRunOptions } from './run-live';

export interface ScenarioComparison {
  model: ScenarioRun;
  live: ScenarioRun;
  comparison: Comparison;
}

export async function compareScenarioFile(
  file: string,
  index: ModelIndex,
  options: LiveRunOptions = {},
): Promise<ScenarioComparison> {
  const { source, program } = await parseScenarioFile(file);
  const model = runModelAtVersion(program, index, liveKernelVersion());
  const live = await runLiveProgram(source, program, options);
  return { model, live, comparison: compareRuns(model, live) };
}
