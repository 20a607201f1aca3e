// The loopback door's wire format: a request is read only once whole, anything malformed or not UTF-8
// sends the shell client to the node client, a reply keeps each stream's bytes and their order, and
// bin/knr sends every variable the server's plan reads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeReply, readRequest, requestVersion } from '../../../server/src/cli/query-server/loopback-door';
import { planVariables } from '../../../server/src/cli/query-server/server-plan';
import { repoRoot } from '../../support/prerequisites';

const fields = (...parts: string[]) => Buffer.from(parts.map((part) => part + '\0').join(''));

test('a request is read once its last field has come', () => {
  const whole = fields(
    requestVersion,
    'bin/knr',
    '/work',
    '2',
    'impls',
    '',
    'HOME=/root',
    'KNR_CACHE=a=b',
    '',
  );
  assert.deepEqual(readRequest(whole), {
    script: 'bin/knr',
    cwd: '/work',
    argv: ['impls', ''],
    env: { HOME: '/root', KNR_CACHE: 'a=b' },
  });
  for (let cut = 0; cut < whole.length; cut++)
    assert.equal(readRequest(whole.subarray(0, cut)), 'incomplete', `cut at ${cut}`);
});

test('a malformed request or one not in UTF-8 is unreadable', () => {
  assert.equal(readRequest(fields('knr-request-0', 'bin/knr', '/work', '0', '')), 'unreadable');
  assert.equal(readRequest(fields(requestVersion, 'bin/knr', '/work', 'two', '')), 'unreadable');
  assert.equal(readRequest(fields(requestVersion, 'bin/knr', '/work', '0', 'NOEQUALS', '')), 'unreadable');
  const latin1 = Buffer.concat([fields(requestVersion, 'bin/knr', '/work', '1'), Buffer.from([0xe9, 0])]);
  assert.equal(readRequest(Buffer.concat([latin1, fields('')])), 'unreadable');
});

test("a reply keeps each stream's lines, in order, as bytes", () => {
  const reply = encodeReply({
    answer: {
      code: 2,
      lines: [
        ['out', 'é one'],
        ['out', 'two\nthree'],
        ['err', 'oops'],
        ['out', 'last'],
      ],
    },
  });
  const out = Buffer.from('é one\ntwo\nthree\n');
  assert.deepEqual(
    reply,
    Buffer.concat([
      Buffer.from(`answer 2\nout ${out.length}\n`),
      out,
      Buffer.from('err 5\noops\nout 5\nlast\nend\n'),
    ]),
  );
  assert.equal(encodeReply({ fallback: true }).toString(), 'fallback\n');
  assert.equal(encodeReply({ elsewhere: '0123' }).toString(), 'elsewhere 0123\n');
});

test('bin/knr sends the variables a plan reads', () => {
  const script = readFileSync(join(repoRoot, 'bin', 'knr'), 'utf8');
  const list = /for name in ([^;]+); do/.exec(script)?.[1];
  assert.ok(list, "bin/knr's list of variables");
  assert.deepEqual(list.replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean).sort(), [...planVariables].sort());
});
