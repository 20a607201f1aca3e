// Compares a model run with a live run of the same scenario: the scenario's name, every result field
// by field, and where the run stopped. `engine` and `kernel` say who produced the run and necessarily
// differ, so they identify the runs rather than being compared. The packet ends are compared packet by
// packet (compare-ends.ts), since a model run carries its ends beside the results.
import type { ScenarioRun } from '../scenario/result';
import { compareEnds, type EndsComparison, type ModelPacketEnd } from './compare-ends';
import { compareJson, type Comparison, type Json } from './diff';

function comparable(run: ScenarioRun): Json {
  const copy = JSON.parse(JSON.stringify(run)) as Record<string, Json>;
  delete copy.engine;
  delete copy.kernel;
  delete copy.ends;
  delete copy.endsUnavailable;
  return copy;
}

export function compareRuns(model: ScenarioRun, live: ScenarioRun): Comparison {
  return compareJson(comparable(model), comparable(live));
}

export interface ScenarioComparison {
  model: ScenarioRun;
  live: ScenarioRun;
  comparison: Comparison;
  /** The packet ends, model against kernel. */
  ends: EndsComparison;
  /**
   * No field and no packet end differs (declared differences aside) and both runs reached the end of
   * main: a stopped run is never an agreement.
   */
  agree: boolean;
}

/** Compares the runs and their packet ends and says whether they agree. */
export function judgeRuns(
  model: ScenarioRun,
  live: ScenarioRun,
  modelEnds: readonly ModelPacketEnd[] = [],
): ScenarioComparison {
  const comparison = compareRuns(model, live);
  const ends = compareEnds(modelEnds, live.ends, live.endsUnavailable, live.kernel);
  const agree =
    comparison.differences.length === 0 && ends.differences.length === 0 && !model.stopped && !live.stopped;
  return { model, live, comparison, ends, agree };
}
