// Runs a scenario on the models for a comparison with the live kernel: the constants come from the
// indexed tree, but the models are told the running kernel's version, so that where versions differ
// they behave as the kernel they are compared with.
import type { ScenarioProgram } from '../scenario/ast';
import { checkScenario } from '../scenario/check';
import { ScenarioConstants } from '../scenario/constants';
import type { ScenarioRun } from '../scenario/result';
import type { ModelIndex } from '../models';
import { runScenarioOnModels, type ScenarioExecution } from '../trace/run-scenario';

export class ModelScenarioError extends Error {}

/** The index as the models see it, reporting `version` instead of the indexed tree's own. */
export function indexAtVersion(index: ModelIndex, version: string): ModelIndex {
  return {
    version,
    get generation() {
      return index.generation;
    },
    evaluateConstant: (name) => index.evaluateConstant(name),
    macroValue: (name) => index.macroValue(name),
    table: (name, fromFile) => index.table(name, fromFile),
    implementations: (struct, field) => index.implementations(struct, field),
    definitions: (name, fromFile) => index.definitions(name, fromFile),
  };
}

export function runModelAtVersion(program: ScenarioProgram, index: ModelIndex, version: string): ScenarioRun {
  return executeModelAtVersion(program, index, version).run;
}

/** The model run with its packet ends. */
export function executeModelAtVersion(
  program: ScenarioProgram,
  index: ModelIndex,
  version: string,
): ScenarioExecution {
  const constants = new ScenarioConstants(index);
  const problems = checkScenario(program, constants).filter((d) => d.severity === 'error');
  if (problems.length > 0) {
    const where = (line: number, column: number) => `${program.file}:${line + 1}:${column + 1}`;
    throw new ModelScenarioError(
      problems.map((d) => `${where(d.span.line, d.span.column)}: ${d.message}`).join('\n'),
    );
  }
  return runScenarioOnModels(program, indexAtVersion(index, version), constants);
}
