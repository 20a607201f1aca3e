// Compares a model run with a live run of the same scenario: the scenario's name, every result field
// by field, and where the run stopped. `engine` and `kernel` say who produced the run and necessarily
// differ, so they identify the runs rather than being compared.
import type { ScenarioRun } from '../scenario/result';
import { compareJson, type Comparison, type Json } from './diff';

function comparable(run: ScenarioRun): Json {
  const copy = JSON.parse(JSON.stringify(run)) as Record<string, Json>;
  delete copy.engine;
  delete copy.kernel;
  return copy;
}

export function compareRuns(model: ScenarioRun, live: ScenarioRun): Comparison {
  return compareJson(comparable(model), comparable(live));
}

export interface ScenarioComparison {
  model: ScenarioRun;
  live: ScenarioRun;
  comparison: Comparison;
  /** No field differs and both runs reached the end of main: a stopped run is never an agreement. */
  agree: boolean;
}

/** Compares the runs and says whether they agree. */
export function judgeRuns(model: ScenarioRun, live: ScenarioRun): ScenarioComparison {
  const comparison = compareRuns(model, live);
  const agree = comparison.differences.length === 0 && !model.stopped && !live.stopped;
  return { model, live, comparison, agree };
}
