// The server's own polling for clients that do not watch files: a changed file, a removed one, and a
// new file in a new folder are each reported once; an untouched tree reports nothing; nothing is
// reported before the index is ready.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TreePoller } from '../../server/src/lsp/features/tree-poll';

let root: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'knr-tree-poll-'));
  mkdirSync(join(root, 'net', 'core'), { recursive: true });
  writeFileSync(join(root, 'net', 'socket.c'), 'int a(void) { return 0; }\n');
  writeFileSync(join(root, 'net', 'core', 'sock.c'), 'int b(void) { return 0; }\n');
  writeFileSync(join(root, 'README'), 'not a source\n');
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Moves a path's modification time a few seconds on, as a later write would on a coarse clock. */
function touchLater(path: string): void {
  const later = new Date(Date.now() + 5_000);
  utimesSync(path, later, later);
}

test('changes, removals and new files in new folders are reported once each, and only when ready', async () => {
  const changed: string[] = [];
  let ready = false;
  const poller = await TreePoller.start(
    root,
    (file) => changed.push(file),
    () => ready,
    60_000,
  );
  try {
    poller.tick();
    assert.deepEqual(changed, [], 'an untouched tree');

    writeFileSync(join(root, 'net', 'socket.c'), 'int a(void) { return 1; }\nint c(void);\n');
    unlinkSync(join(root, 'net', 'core', 'sock.c'));
    mkdirSync(join(root, 'net', 'packet'));
    writeFileSync(join(root, 'net', 'packet', 'af_packet.c'), 'int d(void) { return 0; }\n');
    touchLater(join(root, 'net'));
    poller.tick();
    assert.deepEqual(changed, [], 'nothing is reported before the index is ready');

    ready = true;
    poller.tick();
    assert.deepEqual(changed.sort(), ['net/core/sock.c', 'net/packet/af_packet.c', 'net/socket.c']);

    changed.length = 0;
    poller.tick();
    assert.deepEqual(changed, [], 'each change is reported once');
  } finally {
    poller.dispose();
  }
});
