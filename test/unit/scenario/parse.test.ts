import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseScenario } from '../../../server/src/scenario/parse';
import { repoRoot } from '../../support/prerequisites';
import { scenarioText } from '../models/run-text';

test('the VLAN example parses into statements with 0-based positions and its description', async () => {
  const file = join(repoRoot, 'scenarios', 'packet-auxdata-vlan.c');
  const { program, diagnostics } = await parseScenario(readFileSync(file, 'utf8'), file);
  assert.deepEqual(diagnostics, []);
  assert.equal(program?.name, 'packet-auxdata-vlan');
  assert.match(program?.description ?? '', /priority 3 VLAN 10/);
  const kinds = program!.statements.map((s) => s.kind);
  assert.deepEqual(kinds, [
    'expression',
    'declaration',
    'declaration',
    'expression',
    'declaration',
    'expression',
    'declaration',
    'expression',
    'expression',
    'return',
  ]);
  const socket = program!.statements[1];
  assert.equal(socket.kind === 'declaration' && socket.init?.kind === 'call' && socket.init.callee, 'socket');
  assert.deepEqual({ line: socket.span.line, column: socket.span.column }, { line: 9, column: 1 });
});

test('designated initialisers, casts, sizeof and a bounded loop are read', async () => {
  const text = scenarioText(
    [
      '\tstruct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("10.0.0.1") };',
      '\tbind(3, (struct sockaddr *)&a, sizeof(a));',
      '\tfor (int i = 0; i < 3; i++) { close(i); }',
    ].join('\n'),
  );
  const { program, diagnostics } = await parseScenario(text, 'x.c');
  assert.deepEqual(diagnostics, []);
  const [decl, bind, loop] = program!.statements;
  assert.ok(decl.kind === 'declaration' && decl.init?.kind === 'init-list');
  assert.deepEqual(
    decl.init.entries.map((e) => e.designator),
    [['sin_family'], ['sin_addr', 's_addr']],
  );
  assert.ok(bind.kind === 'expression' && bind.expr.kind === 'call');
  assert.deepEqual(
    bind.expr.args.map((a) => a.kind),
    ['number', 'cast', 'sizeof-expr'],
  );
  assert.ok(loop.kind === 'for' && loop.variable === 'i' && loop.body.length === 1);
});

test('a syntax error is a diagnostic with its position, not an exception', async () => {
  const { program, diagnostics } = await parseScenario(
    scenarioText('\tint s = socket(AF_PACKET, SOCK_RAW;'),
    'bad.c',
  );
  assert.equal(program, undefined);
  assert.ok(diagnostics.length > 0);
  assert.match(diagnostics[0].message, /syntax error/);
  assert.equal(diagnostics[0].span.line, 4);
});

test('a statement outside the scenario language is named with its position', async () => {
  const { diagnostics } = await parseScenario(scenarioText('\tint s = 3;\n\tif (s) close(s);'), 'if.c');
  assert.equal(diagnostics.length, 1);
  assert.match(diagnostics[0].message, /if statement is not supported/);
  assert.deepEqual([diagnostics[0].span.line, diagnostics[0].span.column], [5, 1]);
});

test('a loop without a bound on its variable is refused', async () => {
  const { diagnostics } = await parseScenario(
    scenarioText('\tfor (int i = 0; 1; i++) { close(3); }'),
    'loop.c',
  );
  assert.match(diagnostics[0]?.message ?? '', /loop condition/);
});

test('a file without main says so', async () => {
  const { diagnostics } = await parseScenario('int helper(void) { return 0; }\n', 'nomain.c');
  assert.match(diagnostics[0].message, /int main\(void\)/);
});

test("a missing ';' at the end of a line is reported at the end of that line, as a compiler would", async () => {
  const cases: [string, string, number][] = [
    // tree-sitter makes the last token of the line an ERROR here, and the next line the initialiser.
    ['\tint s = 0\n\ts = 1;', 'int s = 0', 4],
    ['\tint s = 3\n\tclose(s);', 'int s = 3', 4],
    ['\tchar buf[8];\n\trecv(3, buf, 8, 0) // read\n\tclose(3);', 'recv(3, buf, 8, 0)', 5],
    ['\tint s = socket(AF_PACKET, SOCK_RAW, 0)\n\tclose(s);', 'int s = socket(AF_PACKET, SOCK_RAW, 0)', 4],
  ];
  for (const [body, statement, line] of cases) {
    const { diagnostics } = await parseScenario(scenarioText(body), 'semicolon.c');
    assert.equal(diagnostics[0]?.message, "syntax error: expected ';' at end of statement", body);
    assert.equal(diagnostics[0].span.line, line, body);
    assert.equal(diagnostics[0].span.column, 1 + statement.length, body);
  }
});

test('an error inside a line still names the text it stopped at', async () => {
  const { diagnostics } = await parseScenario(scenarioText('\tint x = 1 +;'), 'operator.c');
  assert.match(diagnostics[0].message, /^syntax error at '\+'/);
});
