// The small API the language server (and the CLI) use: run a scenario to a trace, find the library
// scenarios that pass through a function, and describe a modelled function for a reader.
import { readFileSync } from 'node:fs';
import { PerGeneration } from '../index/derived-cache';
import type { IndexQueries } from '../index/queries';
import type { ScenarioDiagnostic } from '../scenario/ast';
import { checkScenario } from '../scenario/check';
import { ScenarioConstants } from '../scenario/constants';
import { listLibrary, type LibraryScenario } from '../scenario/library';
import { parseScenario } from '../scenario/parse';
import { allModelDefinitions, ModelError, modelDefinition } from '../models';
import { modelDescription, type CatalogueLanguage } from '../models/catalogue';
import { fileSourceReader, type SourceReader } from './anchors';
import { traceScenario, type Trace } from './trace';

export interface ScenarioOutcome {
  /** Problems with positions; when any is an error there is no trace. */
  diagnostics: ScenarioDiagnostic[];
  trace?: Trace;
}

const scenarioConstants = new PerGeneration((index: IndexQueries) => new ScenarioConstants(index));

/**
 * The kernel's source files as read from disk, kept until the index changes (a file edited or
 * changed on disk is indexed again); pass a reader to see unsaved edits.
 */
const diskSources = new PerGeneration((index: IndexQueries) => fileSourceReader(index.root));

/** Parses, checks and runs a scenario's text on the models of the indexed tree. */
export async function traceScenarioText(
  text: string,
  file: string,
  index: IndexQueries,
  source: SourceReader = diskSources.get(index),
): Promise<ScenarioOutcome> {
  const parsed = await parseScenario(text, file);
  if (!parsed.program) return { diagnostics: parsed.diagnostics };
  const constants = scenarioConstants.get(index);
  const diagnostics = checkScenario(parsed.program, constants);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { diagnostics, trace: traceScenario(parsed.program, index, constants, source) };
}

/**
 * The diagnostics of a scenario file for an editor: syntax errors, unknown calls, unknown constants and
 * types, and, when those are clean, where a run on the models stops (the step bound), all with positions.
 * A tree the models cannot boot on (it lacks a table they read) is one warning at the file's start.
 */
export async function scenarioDiagnostics(
  text: string,
  file: string,
  index: IndexQueries,
): Promise<ScenarioDiagnostic[]> {
  let outcome: ScenarioOutcome;
  try {
    outcome = await traceScenarioText(text, file, index, { lines: () => undefined });
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    const start = { line: 0, column: 0, endLine: 0, endColumn: 0 };
    return [{ message: error.message, severity: 'warning', span: start }];
  }
  const stopped = outcome.trace?.stopped;
  if (!stopped) return outcome.diagnostics;
  const at = {
    line: stopped.line - 1,
    column: stopped.column - 1,
    endLine: stopped.line - 1,
    endColumn: stopped.column - 1,
  };
  return [...outcome.diagnostics, { message: stopped.message, severity: 'error', span: at }];
}

export async function traceScenarioFile(
  file: string,
  index: IndexQueries,
  source?: SourceReader,
): Promise<ScenarioOutcome> {
  return traceScenarioText(readFileSync(file, 'utf8'), file, index, source);
}

/** The library scenarios by each function their trace on this tree passes through. */
async function libraryByFunction(index: IndexQueries): Promise<Map<string, LibraryScenario[]>> {
  const map = new Map<string, LibraryScenario[]>();
  const noSource: SourceReader = { lines: () => undefined };
  for (const scenario of await listLibrary()) {
    const outcome = await traceScenarioFile(scenario.file, index, noSource);
    for (const fn of new Set(outcome.trace?.events.map((e) => e.function) ?? [])) {
      map.set(fn, [...(map.get(fn) ?? []), scenario]);
    }
  }
  return map;
}

const libraryThrough = new PerGeneration(libraryByFunction);

/** The library scenarios whose trace on this tree passes through `functionName`. */
export async function scenariosThrough(
  functionName: string,
  index: IndexQueries,
): Promise<LibraryScenario[]> {
  return (await libraryThrough.get(index)).get(functionName) ?? [];
}

/** What a reader is told of the model of a kernel function: what it covers and where it stops. */
export interface ModelNote {
  /** The catalogue's description in the asked language (English when that language lacks one). */
  description: string;
  /** The statements of the function the model steps through (anchors), which `knr check-models` checks. */
  anchors: number;
  /** A coarse model of code the scenarios pass through without exercising its branches. */
  coarse: boolean;
  /** The kernel series where the function exists, when not all. */
  only?: readonly string[];
}

/** The note on the model of `functionName` as defined in `file`, or undefined when it has none there. */
export function modelNote(
  functionName: string,
  file: string,
  language: CatalogueLanguage = 'en',
): ModelNote | undefined {
  const model = modelDefinition(functionName);
  const description = modelDescription(functionName, language);
  if (!model || model.file !== file || description === undefined) return undefined;
  return {
    description,
    anchors: Object.keys(model.anchors).length,
    coarse: model.coarse === true,
    only: model.only,
  };
}

/** Every modelled function with its file, for code lenses. */
export function modelledFunctions(): { name: string; file: string }[] {
  return allModelDefinitions().map((m) => ({ name: m.name, file: m.file }));
}
