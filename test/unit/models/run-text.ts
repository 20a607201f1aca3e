// Runs scenario text on the models of the fake index: parse, check, run. Fails the test on diagnostics.
import assert from 'node:assert/strict';
import { parseScenario } from '../../../server/src/scenario/parse';
import { checkScenario } from '../../../server/src/scenario/check';
import { ScenarioConstants } from '../../../server/src/scenario/constants';
import { runScenarioOnModels, type ScenarioExecution } from '../../../server/src/trace/run-scenario';
import { fakeKernelIndex } from './fake-kernel-index';

/** Wraps statements in `int main(void) { ... }` after the helper include. */
export function scenarioText(body: string): string {
  return `#include <knr_scenario.h>\n\nint main(void)\n{\n${body}\n\treturn 0;\n}\n`;
}

export async function runText(body: string, version = '6.1.192'): Promise<ScenarioExecution> {
  const parsed = await parseScenario(scenarioText(body), 'test.c');
  assert.deepEqual(parsed.diagnostics, []);
  const index = fakeKernelIndex(version);
  const constants = new ScenarioConstants(index);
  assert.deepEqual(checkScenario(parsed.program!, constants), []);
  return runScenarioOnModels(parsed.program!, index, constants);
}

/** Entered functions and ops hops in order, as `fn` and `struct.field->target`. */
export function path(execution: ScenarioExecution, statement?: number): string[] {
  return execution.events
    .filter((e) => statement === undefined || e.statement === statement)
    .filter((e) => e.anchor === 'enter' || e.hop)
    .map((e) => (e.hop ? `${e.hop.struct}.${e.hop.field}->${e.hop.target}` : e.function));
}
