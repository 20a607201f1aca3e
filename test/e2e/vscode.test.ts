// The extension in real VS Code: code-server 4.100.3 served on 127.0.0.1, driven through Debian's
// chromium with playwright-core. Installs the .vsix built from dist/, opens the real 6.1 tree, and
// does what a reader does. Screenshots of each step go to test-artifacts/e2e/kernel-6.1/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kernelTree, repoRoot, requires } from '../support/prerequisites';
import { missingForCodeServer, startCodeServer, type CodeServer } from './support/code-server';
import { packageVsix } from './support/vsix';
import { Workbench } from './support/workbench';

const kernel = kernelTree('6.1');
const missing = missingForCodeServer() ?? kernel.missing;

describe(
  'VS Code (code-server) on the 6.1 tree',
  { ...requires('e2e: VS Code', missing), timeout: 600_000 },
  () => {
    let scratch: string;
    let server: CodeServer;
    let workbench: Workbench;

    before(async () => {
      scratch = mkdtempSync(join(tmpdir(), 'knr-e2e-'));
      const vsix = packageVsix(scratch);
      server = await startCodeServer({
        vsix,
        folder: kernel.path,
        // A persistent cache, so that a second run does not index the whole tree again.
        settings: { 'kernelNetReader.cacheFolder': join(repoRoot, '.cache', 'e2e', 'index') },
      });
      workbench = await Workbench.open(server.url, 'kernel-6.1');
    });

    after(async () => {
      // The state the page ended in, whatever the outcome.
      await workbench?.screenshot('final');
      await workbench?.close();
      await server?.stop();
      if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
    });

    test('the extension activates on the kernel tree and shows the index state', async () => {
      await workbench
        .statusItem(/Kernel/)
        .first()
        .waitFor({ timeout: 60_000 });
      await workbench.screenshot('activated');
    });

    test('net/socket.c opens in the editor', async () => {
      await workbench.openFile('net/socket.c');
      await workbench.screenshot('socket-c');
    });
  },
);
