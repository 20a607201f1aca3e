import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommandOutput } from '../../../server/src/cli/command';
import { UsageError } from '../../../server/src/cli/args';
import { diffCommand } from '../../../server/src/cli/commands/diff';

const output: CommandOutput = { out: () => undefined, err: () => undefined, isTTY: false };

test('knr diff needs exactly two trees, and says how many it got', async () => {
  await assert.rejects(diffCommand.run(['raw-create', '--kernel', '/a'], output), (error: Error) => {
    assert.ok(error instanceof UsageError);
    assert.match(error.message, /needs two trees, --kernel OLD --kernel NEW \(got 1\)/);
    return true;
  });
});

test('knr diff --svg is for a scenario, not a function', async () => {
  await assert.rejects(
    diffCommand.run(['packet_create', '--kernel', '/a', '--kernel=/b', '--svg', 'x.svg'], output),
    /--svg draws a scenario's paths; FUNCTION has none/,
  );
});

test('an unknown scenario name is named in the error', async () => {
  await assert.rejects(
    diffCommand.run(['no-such-scenario', '--kernel', '/a', '--kernel', '/b'], output),
    /no scenario file 'no-such-scenario'/,
  );
});
