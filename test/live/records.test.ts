import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StatementSite } from '../../server/src/live/instrument';
import { RecordError, recordsToRun } from '../../server/src/live/records';
import type { ProgramOutcome } from '../../server/src/live/run-program';

const sites: StatementSite[] = [
  { line: 5, column: 2, call: 'socket' },
  { line: 6, column: 2 },
  { line: 8, column: 3, call: 'recv' },
];

function outcome(lines: object[], extra: Partial<ProgramOutcome> = {}): ProgramOutcome {
  return {
    stdout: lines.map((line) => JSON.stringify(line) + '\n').join(''),
    stderr: '',
    status: 0,
    signal: null,
    ...extra,
  };
}

test('records become results numbered in order, positioned by their site', () => {
  const run = recordsToRun(
    'demo',
    '6.18.0',
    sites,
    outcome([
      { site: 0, call: 'socket', return: 3 },
      { site: 2, call: 'recv', return: -1, errno: 'EAGAIN' },
      { site: 2, call: 'recv', return: 4, bytes: 4, data: '00010203' },
      { end: 1 },
    ]),
  );
  assert.deepEqual(run, {
    scenario: 'demo',
    engine: 'live',
    kernel: '6.18.0',
    results: [
      { step: 0, line: 5, column: 2, call: 'socket', return: 3 },
      { step: 1, line: 8, column: 3, call: 'recv', return: -1, errno: 'EAGAIN' },
      { step: 2, line: 8, column: 3, call: 'recv', return: 4, bytes: 4, data: '00010203' },
    ],
  });
});

test("the statement bound becomes `stopped` at the statement where it hit, in the models' words", () => {
  const run = recordsToRun('demo', '6.18.0', sites, outcome([{ stopped: 2 }]));
  assert.deepEqual(run.stopped, {
    message: 'the run stopped after 10000 statements (the step bound); shorten the loop',
    line: 8,
    column: 3,
  });
  const loop = recordsToRun('demo', '6.18.0', sites, outcome([{ stopped: 1, iterations: 20000 }]));
  assert.equal(
    loop.stopped?.message,
    'this loop would run 20000 times, past the bound of 10000 statements per scenario',
  );
});

test('a program that died says how, after which step, and what it printed', () => {
  assert.throws(
    () =>
      recordsToRun(
        'demo',
        '6.18.0',
        sites,
        outcome([{ site: 0, call: 'socket', return: 3 }], {
          status: null,
          signal: 'SIGSEGV',
          stderr: 'boom',
        }),
      ),
    (error: unknown) =>
      error instanceof RecordError &&
      /killed by SIGSEGV after step 0 \(socket at line 5\):\nboom/.test(error.message),
  );
});

test('a record for a call the site does not make is rejected', () => {
  assert.throws(
    () => recordsToRun('demo', '6.18.0', sites, outcome([{ site: 1, call: 'close', return: 0 }, { end: 1 }])),
    /names site 1 \(close\)/,
  );
});
