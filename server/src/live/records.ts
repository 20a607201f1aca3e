// Turns the JSON lines the compiled scenario printed (scenarios/live/knr_record.c) into a ScenarioRun:
// each record's site becomes the statement's line and column, and records are numbered in order.
import { stepBound } from '../scenario/helpers';
import type { RunStop, ScenarioRun, StatementResult } from '../scenario/result';
import type { StatementSite } from './instrument';
import type { ProgramOutcome } from './run-program';

export class RecordError extends Error {}

interface CallRecord {
  site: number;
  call: string;
  [field: string]: unknown;
}

// The models' wording (server/src/trace/run-scenario.ts), so that a stopped run compares equal.
function stopMessage(iterations: unknown): string {
  if (typeof iterations === 'number') {
    return `this loop would run ${iterations} times, past the bound of ${stepBound} statements per scenario`;
  }
  return `the run stopped after ${stepBound} statements (the step bound); shorten the loop`;
}

function parseLine(line: string, index: number): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new RecordError(`line ${index + 1} of the program's output is not JSON: ${line.slice(0, 120)}`);
  }
}

function describeEnd(outcome: ProgramOutcome): string {
  if (outcome.stoppedAfterQuietMs !== undefined) {
    return `was stopped: no statement finished within ${outcome.stoppedAfterQuietMs / 1000} s (the live limit per statement)`;
  }
  if (outcome.signal) return `was killed by ${outcome.signal}`;
  return `exited with status ${String(outcome.status)} before the end of main`;
}

export function recordsToRun(
  scenario: string,
  kernel: string,
  sites: readonly StatementSite[],
  outcome: ProgramOutcome,
): ScenarioRun {
  const results: StatementResult[] = [];
  let stopped: RunStop | undefined;
  let ended = false;
  const lines = outcome.stdout.split('\n').filter((line) => line.length > 0);
  lines.forEach((line, index) => {
    const record = parseLine(line, index);
    if ('end' in record) {
      ended = true;
      return;
    }
    if ('stopped' in record) {
      const site = sites[Number(record.stopped)];
      stopped = { message: stopMessage(record.iterations), line: site.line, column: site.column };
      ended = true;
      return;
    }
    const { site: siteIndex, call, ...fields } = record as CallRecord;
    const site = sites[siteIndex];
    if (!site || site.call !== call) {
      throw new RecordError(
        `record ${index + 1} names site ${siteIndex} (${call}), which the scenario lacks`,
      );
    }
    results.push({
      step: results.length,
      line: site.line,
      column: site.column,
      call,
      ...fields,
    } as StatementResult);
  });
  if (!ended) {
    const last = results.at(-1);
    const after = last
      ? ` after step ${last.step} (${last.call} at line ${last.line})`
      : ' before its first call';
    const stderr = outcome.stderr.trim();
    throw new RecordError(
      `the scenario program ${describeEnd(outcome)}${after}${stderr ? `:\n${stderr}` : ''}`,
    );
  }
  const run: ScenarioRun = { scenario, engine: 'live', kernel, results };
  if (stopped) run.stopped = stopped;
  return run;
}
