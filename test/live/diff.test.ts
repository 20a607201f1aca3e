import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareJson } from '../../server/src/live/diff';
import { compareRuns, judgeRuns } from '../../server/src/live/compare-runs';
import { formatComparison } from '../../server/src/live/format';
import type { ScenarioRun } from '../../server/src/scenario/result';

test('equal values agree and every leaf is counted', () => {
  const value = { a: 1, b: [true, 'x', { c: null }] };
  assert.deepEqual(compareJson(value, structuredClone(value)), { fields: 4, differences: [] });
});

test('a changed leaf is reported with its path and both values', () => {
  const result = compareJson({ control: [{ tp_status: 81 }] }, { control: [{ tp_status: 1 }] });
  assert.deepEqual(result.differences, [{ path: '$.control[0].tp_status', model: 81, live: 1 }]);
});

test('a key or an element present on one side only is a difference', () => {
  const result = compareJson({ errno: 'EINVAL', list: [1] }, { bytes: 3, list: [1, 2] });
  assert.deepEqual(
    result.differences.map((d) => d.path),
    ['$.errno', '$.list[1]', '$.bytes'],
  );
  assert.equal(result.differences[0].live, undefined);
});

test('an object against a scalar is one differing field', () => {
  const result = compareJson({ source: { family: 'AF_INET' } }, { source: 3 });
  assert.deepEqual(result.differences, [{ path: '$.source', model: { family: 'AF_INET' }, live: 3 }]);
});

test('compareRuns ignores only who produced the run, not any result field', () => {
  const model: ScenarioRun = {
    scenario: 's',
    engine: 'model',
    kernel: '6.12.5',
    results: [{ step: 0, line: 3, column: 2, call: 'socket', return: 3 }],
  };
  const live: ScenarioRun = { ...structuredClone(model), engine: 'live', kernel: '6.18.1' };
  assert.deepEqual(compareRuns(model, live).differences, []);
  live.results[0].return = 4;
  assert.deepEqual(
    compareRuns(model, live).differences.map((d) => d.path),
    ['$.results[0].return'],
  );
  live.stopped = { message: 'stopped', line: 1, column: 1 };
  assert.equal(compareRuns(model, live).differences.length, 2);
});

test('two runs stopped at the same statement are the same fields but never an agreement', () => {
  const stop = {
    message: 'the run stopped after 10000 statements (the step bound); shorten the loop',
    line: 4,
    column: 3,
  };
  const model: ScenarioRun = {
    scenario: 'loop',
    engine: 'model',
    kernel: '6.12.5',
    results: [{ step: 0, line: 3, column: 2, call: 'socket', return: 3 }],
    stopped: stop,
  };
  const live: ScenarioRun = { ...structuredClone(model), engine: 'live', kernel: '6.18.1' };
  const judged = judgeRuns(model, live);
  assert.deepEqual(judged.comparison.differences, []);
  assert.equal(judged.agree, false);
  const report = formatComparison('loop', judged, '6.18.1');
  assert.doesNotMatch(report, /agrees/);
  assert.match(
    report,
    /^loop: no agreement with live kernel 6\.18\.1: the runs stopped before the end of main/,
  );
  assert.match(report, /the model run stopped at 4:3: the run stopped after 10000 statements/);
  assert.match(report, /the live run stopped at 4:3:/);
});

test('runs that reach the end with the same fields agree', () => {
  const model: ScenarioRun = { scenario: 's', engine: 'model', kernel: '6.12.5', results: [] };
  const judged = judgeRuns(model, { ...model, engine: 'live', kernel: '6.18.1', ends: [] });
  assert.equal(judged.agree, true);
  assert.equal(
    formatComparison('s', judged, '6.18.1'),
    's: the model agrees with live kernel 6.18.1 (1 fields, 0 packet ends (0 differ, 0 declared))',
  );
});
