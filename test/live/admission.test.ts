import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AdmissionError, admitForLive } from '../../server/src/live/admission';
import { libraryFolder } from '../../server/src/scenario/library';
import { parseScenario } from '../../server/src/scenario/parse';
import { generatedScenarios } from './generated-scenarios';

async function admit(source: string, file = 'demo.c'): Promise<void> {
  const parsed = await parseScenario(source, file);
  assert.ok(parsed.program, JSON.stringify(parsed.diagnostics));
  await admitForLive(source, parsed.program);
}

async function refusal(source: string): Promise<string> {
  try {
    await admit(source);
  } catch (error) {
    assert.ok(error instanceof AdmissionError, String(error));
    return error.message;
  }
  assert.fail('the scenario was admitted');
}

const main = 'int main(void)\n{\n\tsocket(AF_PACKET, SOCK_RAW, 0);\n\treturn 0;\n}\n';

test('every built-in and generated scenario may run live', async () => {
  const library = readdirSync(libraryFolder()).filter((name) => name.endsWith('.c'));
  for (const name of library) await admit(readFileSync(join(libraryFolder(), name), 'utf8'), name);
  for (const { name, source } of generatedScenarios()) await admit(source, `${name}.c`);
});

test('a macro at the top level is refused with its position', async () => {
  const message = await refusal(`#include <knr_scenario.h>\n#define socket(a, b, c) 0\n${main}`);
  assert.match(message, /^demo\.c:2:1: a preproc function def is not allowed at the top level/);
});

test('a quoted include, another function or another variable is refused', async () => {
  assert.match(await refusal(`#include "local.h"\n${main}`), /demo\.c:1:1: only #include <\.\.\.> headers/);
  assert.match(
    await refusal(`static void helper(void) {}\n${main}`),
    /demo\.c:1:1: only main may be defined/,
  );
  assert.match(
    await refusal(`int counter = 0;\n${main}`),
    /demo\.c:1:1: only knr_description may be declared/,
  );
});

test('a call outside the helper set is refused even when nested in an argument', async () => {
  const message = await refusal(
    'int main(void)\n{\n\tsocket(AF_INET, SOCK_RAW, system("id"));\n\treturn 0;\n}\n',
  );
  assert.match(message, /demo\.c:3:28: 'system' is not in the helper set/);
});

test('knr_sysctl outside the per-namespace sysctls is refused before anything runs as root', async () => {
  const message = await refusal(
    '#include <knr_scenario.h>\nint main(void)\n{\n\tknr_sysctl("kernel.core_pattern", "|/bin/sh");\n\treturn 0;\n}\n',
  );
  assert.match(message, /demo\.c:4:2: knr_sysctl: 'kernel\.core_pattern' is outside net\./);
});
