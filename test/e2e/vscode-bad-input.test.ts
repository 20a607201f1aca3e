// The extension in real VS Code (code-server) given bad input: a workspace that is not a kernel tree,
// a kernelTrees setting that points nowhere, and a language server that dies. Each must be said
// clearly, once, and the extension must go on. Screenshots go to test-artifacts/e2e/bad-input/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { requires } from '../support/prerequisites';
import {
  languageServerPids,
  missingForCodeServer,
  startCodeServer,
  type CodeServer,
} from './support/code-server';
import { packageVsix } from './support/vsix';
import { Workbench } from './support/workbench';

const nowhere = '/nonexistent/knr-e2e-linux';

describe(
  'VS Code (code-server) with bad input',
  { ...requires('e2e: VS Code bad input', missingForCodeServer()), timeout: 300_000 },
  () => {
    let scratch: string;
    let server: CodeServer;
    let workbench: Workbench;

    before(async () => {
      scratch = mkdtempSync(join(tmpdir(), 'knr-e2e-bad-'));
      const folder = join(scratch, 'not-a-kernel');
      const vsix = packageVsix(scratch);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'hello.c'), 'int main(void)\n{\n\treturn 0;\n}\n');
      server = await startCodeServer({
        vsix,
        folder,
        settings: { 'kernelNetReader.kernelTrees': [nowhere] },
      });
      workbench = await Workbench.open(server.url, 'bad-input');
    });

    after(async () => {
      await workbench?.screenshot('final');
      await workbench?.close();
      await server?.stop();
      if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
    });

    test('a C file outside any kernel tree activates the extension, and the missing kernel tree is named', async () => {
      await workbench.openFile('hello.c');
      await workbench
        .statusItem(/Kernel/)
        .first()
        .waitFor({ timeout: 60_000 });
      await workbench
        .notification(
          new RegExp(`Kernel tree ${nowhere} \\(setting kernelNetReader\\.kernelTrees\\) does not exist`),
        )
        .waitFor();
      await workbench.screenshot('kernel-tree-nowhere');
    });

    test('the language server is running and says it has no kernel tree to serve', async () => {
      await workbench
        .statusItem(/Kernel: (waiting for the index|not a kernel tree)/)
        .waitFor({ timeout: 60_000 });
      await workbench.screenshot('no-kernel-tree');
    });

    test('Trace This Path without a kernel tree fails with one clear message and no dialog', async () => {
      await workbench.runCommand('Kernel Net Reader: Trace This Path');
      // The built-in library can be listed without a tree; running one of its scenarios cannot.
      const listingFailed = workbench.notification(/Listing scenarios failed: /);
      const scenarioRow = workbench.page.locator('.quick-input-list .monaco-list-row', {
        hasText: 'packet-auxdata-vlan',
      });
      await listingFailed.or(scenarioRow).first().waitFor({ timeout: 30_000 });
      if (await scenarioRow.isVisible()) {
        await workbench.pickQuickItem('packet-auxdata-vlan');
        await workbench.notification(/Running the scenario failed: /).waitFor({ timeout: 30_000 });
      }
      assert.equal(await workbench.page.locator('.monaco-dialog-box').count(), 0, 'a modal dialog opened');
      await workbench.screenshot('trace-without-kernel');
    });

    test('a crashed language server is restarted, and the reader is told', async () => {
      const before = languageServerPids(server);
      assert.equal(before.length, 1, `language servers running: ${before.join(', ')}`);
      process.kill(before[0], 'SIGKILL');
      await workbench
        .notification(/language server stopped unexpectedly; restarting it \(restart 1\)/)
        .waitFor({ timeout: 30_000 });
      await workbench
        .statusItem(/Kernel: (waiting for the index|not a kernel tree)/)
        .waitFor({ timeout: 60_000 });
      const after = languageServerPids(server);
      assert.equal(after.length, 1, `language servers running after the restart: ${after.join(', ')}`);
      assert.notEqual(after[0], before[0]);
      await workbench.screenshot('server-restarted');
    });
  },
);
