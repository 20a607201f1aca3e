// The small API the language server (and the CLI) use: run a scenario to a trace, find the library
// scenarios that pass through a function, and describe a modelled function for a reader.
import { readFileSync } from 'node:fs';
import type { IndexQueries } from '../index/queries';
import type { ScenarioDiagnostic } from '../scenario/ast';
import { checkScenario } from '../scenario/check';
import { ScenarioConstants } from '../scenario/constants';
import { listLibrary, type LibraryScenario } from '../scenario/library';
import { parseScenario } from '../scenario/parse';
import { allModelDefinitions, modelDefinition } from '../models';
import { modelDescription, type CatalogueLanguage } from '../models/catalogue';
import { fileSourceReader, type SourceReader } from './anchors';
import { traceScenario, type Trace } from './trace';

export interface ScenarioOutcome {
  /** Problems with positions; when any is an error there is no trace. */
  diagnostics: ScenarioDiagnostic[];
  trace?: Trace;
}

const readers = new WeakMap<IndexQueries, SourceReader>();
const scenarioConstants = new WeakMap<IndexQueries, ScenarioConstants>();

function constantsFor(index: IndexQueries): ScenarioConstants {
  let constants = scenarioConstants.get(index);
  if (!constants) {
    constants = new ScenarioConstants(index);
    scenarioConstants.set(index, constants);
  }
  return constants;
}

/** The kernel's source files as read from disk, cached per index (pass a reader to see unsaved edits). */
function diskSource(index: IndexQueries): SourceReader {
  let reader = readers.get(index);
  if (!reader) {
    reader = fileSourceReader(index.root);
    readers.set(index, reader);
  }
  return reader;
}

/** Parses, checks and runs a scenario's text on the models of the indexed tree. */
export async function traceScenarioText(
  text: string,
  file: string,
  index: IndexQueries,
  source: SourceReader = diskSource(index),
): Promise<ScenarioOutcome> {
  const parsed = await parseScenario(text, file);
  if (!parsed.program) return { diagnostics: parsed.diagnostics };
  const constants = constantsFor(index);
  const diagnostics = checkScenario(parsed.program, constants);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { diagnostics, trace: traceScenario(parsed.program, index, constants, source) };
}

/**
 * The diagnostics of a scenario file for an editor: syntax errors, unknown calls, unknown constants and
 * types, and, when those are clean, where a run on the models stops (the step bound), all with positions.
 */
export async function scenarioDiagnostics(
  text: string,
  file: string,
  index: IndexQueries,
): Promise<ScenarioDiagnostic[]> {
  const outcome = await traceScenarioText(text, file, index, { lines: () => undefined });
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

const throughCache = new WeakMap<IndexQueries, Promise<Map<string, LibraryScenario[]>>>();

/** The library scenarios whose trace on this tree passes through `functionName`. */
export async function scenariosThrough(
  functionName: string,
  index: IndexQueries,
): Promise<LibraryScenario[]> {
  let byFunction = throughCache.get(index);
  if (!byFunction) {
    byFunction = (async () => {
      const map = new Map<string, LibraryScenario[]>();
      const noSource: SourceReader = { lines: () => undefined };
      for (const scenario of await listLibrary()) {
        const outcome = await traceScenarioFile(scenario.file, index, noSource);
        for (const fn of new Set(outcome.trace?.events.map((e) => e.function) ?? [])) {
          map.set(fn, [...(map.get(fn) ?? []), scenario]);
        }
      }
      return map;
    })();
    throughCache.set(index, byFunction);
  }
  return (await byFunction).get(functionName) ?? [];
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
