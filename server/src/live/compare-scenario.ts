// One comparison: the same scenario file on the models (told the live kernel's version) and on the
// live kernel, then field by field.
import type { ModelIndex } from '../models';
import { judgeRuns, type ScenarioComparison } from './compare-runs';
import { runModelAtVersion } from './model-run';
import { liveKernelVersion, parseScenarioFile, runLiveProgram } from './run-live';

export async function compareScenarioFile(file: string, index: ModelIndex): Promise<ScenarioComparison> {
  const { source, program } = await parseScenarioFile(file);
  const model = runModelAtVersion(program, index, liveKernelVersion());
  const live = await runLiveProgram(source, program);
  return judgeRuns(model, live);
}
