// The extension in real VS Code (code-server) in the workspaces it must treat with care: a kernel tree
// opened untrusted (Restricted Mode: reading and model traces work, the live commands are not offered),
// and a folder that is no kernel tree (the server is not started; one quiet status line says how to
// point the extension at a tree). The kernel tree is the small synthetic one of test/fixtures.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot, requires } from '../support/prerequisites';
import {
  languageServerPids,
  missingForCodeServer,
  startCodeServer,
  type CodeServer,
} from './support/code-server';
import { packageVsix } from './support/vsix';
import { Workbench } from './support/workbench';

const miniKernel = join(repoRoot, 'test', 'fixtures', 'mini-kernel');
const skip = requires('e2e: VS Code workspaces', missingForCodeServer());

let scratch: string;
let vsix: string;

before(() => {
  if (skip.skip) return;
  scratch = mkdtempSync(join(tmpdir(), 'knr-e2e-workspaces-'));
  vsix = packageVsix(scratch);
});
after(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

describe('VS Code (code-server) on an untrusted kernel tree', { ...skip, timeout: 600_000 }, () => {
  let server: CodeServer;
  let workbench: Workbench;

  before(async () => {
    server = await startCodeServer({
      vsix,
      folder: miniKernel,
      untrusted: true,
      settings: { 'kernelNetReader.cacheFolder': join(scratch, 'cache') },
      keybindings: [{ key: 'ctrl+alt+l', command: 'kernelNetReader.runScenarioOnLiveKernel' }],
    });
    workbench = await Workbench.open(server.url, 'untrusted');
  });
  after(async () => {
    await workbench?.screenshot('final');
    await workbench?.close();
    await server?.stop();
  });

  test('the workspace is in Restricted Mode and the extension still indexes the tree', async () => {
    await workbench
      .statusItem(/Restricted Mode/)
      .first()
      .waitFor({ timeout: 60_000 });
    await workbench.statusItem(/Kernel [\d.]+: ready/).waitFor({ timeout: 120_000 });
    await workbench.screenshot('restricted-ready');
  });

  test('reading works: the hover of an indirect call lists its implementations', async () => {
    await workbench.openFile('net/socket.c');
    await workbench.hoverUntil('sock->ops->recvmsg', 'recvmsg', 'packet_recvmsg');
    await workbench.screenshot('restricted-hover');
  });

  test('the live commands are not offered; running on the models is', async () => {
    const titles = await workbench.commandPaletteTitles('Kernel Net Reader: ', 'Run Scenario on Model');
    assert.deepEqual(
      titles.filter((title) => /Live Kernel/.test(title)),
      [],
      titles.join('\n'),
    );
    await workbench.screenshot('restricted-palette');
  });

  test('run anyway (a key binding), a live command refuses and says why', async () => {
    await workbench.page.keyboard.press('Escape');
    await workbench.page.keyboard.press('Control+Alt+L');
    await workbench
      .notification(/Live runs are disabled in an untrusted workspace/)
      .waitFor({ timeout: 30_000 });
    assert.equal(
      await workbench.page.locator('.quick-input-widget:visible').count(),
      0,
      'a scenario was offered',
    );
    await workbench.screenshot('restricted-live-refused');
  });
});

describe('VS Code (code-server) on a folder that is no kernel tree', { ...skip, timeout: 600_000 }, () => {
  let server: CodeServer;
  let workbench: Workbench;

  before(async () => {
    const folder = join(scratch, 'just-c');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'hello.c'), 'int main(void)\n{\n\treturn 0;\n}\n');
    server = await startCodeServer({ vsix, folder });
    workbench = await Workbench.open(server.url, 'no-kernel-tree');
  });
  after(async () => {
    await workbench?.screenshot('final');
    await workbench?.close();
    await server?.stop();
  });

  test('a lone C file gets one quiet status line naming the setting, and no language server', async () => {
    await workbench.openFile('hello.c');
    await workbench
      .statusItem(/Kernel: no tree \(set kernelNetReader\.kernelTrees\)/)
      .waitFor({ timeout: 60_000 });
    assert.deepEqual(languageServerPids(server), []);
    assert.equal(await workbench.page.locator('.notification-toast').count(), 0, 'a notification opened');
    await workbench.screenshot('no-kernel-tree');
  });
});
