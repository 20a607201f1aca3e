// The extension in real VS Code: code-server 4.100.3 served on 127.0.0.1, driven through Debian's
// chromium with playwright-core. Installs the .vsix built from dist/, opens the real 6.1 tree, and
// does what a reader does. Screenshots of each step go to test-artifacts/e2e/kernel-6.1/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultCacheFolder } from '../../server/src/index/persist';
import { liveUnsupportedReason } from '../../server/src/live/support';
import { en } from '../../server/src/models/catalogue/en';
import { testIndexCache } from '../support/kernel-index';
import { kernelTree, requires } from '../support/prerequisites';
import { missingForCodeServer, startCodeServer, type CodeServer } from './support/code-server';
import { packageVsix } from './support/vsix';
import { Workbench } from './support/workbench';

const kernel = kernelTree('6.1');
const newerKernel = kernelTree('6.12');
const vlanScenario = 'packet-auxdata-vlan';
const missing = missingForCodeServer() ?? kernel.missing;

/** 1-based line and column of the `recvmsg` in the first `sock->ops->recvmsg` of net/socket.c. */
function indirectRecvmsgCall(): { line: number; column: number } {
  const lines = readFileSync(join(kernel.path, 'net', 'socket.c'), 'utf8').split('\n');
  const receiver = 'sock->ops->';
  const index = lines.findIndex((text) => text.includes(`${receiver}recvmsg`));
  assert.ok(index >= 0, 'net/socket.c has no sock->ops->recvmsg');
  return { line: index + 1, column: lines[index].indexOf(`${receiver}recvmsg`) + receiver.length + 2 };
}

/** 1-based line of a function's definition: its name followed by `(` at the start of a line's text. */
function definitionLine(file: string, name: string): number {
  const lines = readFileSync(join(kernel.path, file), 'utf8').split('\n');
  const index = lines.findIndex((text) => new RegExp(`^(static )?int ${name}\\(`).test(text));
  assert.ok(index >= 0, `${file} has no definition of ${name}`);
  return index + 1;
}

describe(
  'VS Code (code-server) on the 6.1 tree',
  { ...requires('e2e: VS Code', missing), timeout: 2_400_000 },
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
        // The cache the other suites on real trees share, so that the tree is indexed once per machine.
        settings: { 'kernelNetReader.cacheFolder': defaultCacheFolder() },
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

    let recvmsgHover = '';

    test('the hover on sock->ops->recvmsg lists its implementations', async () => {
      // A cold index of the whole tree takes minutes; a warm one seconds.
      await workbench.statusItem(/Kernel [\d.]+: ready/).waitFor({ timeout: 1_500_000 });
      const { line, column } = indirectRecvmsgCall();
      await workbench.goTo(line, column);
      const hover = await workbench.hoverUntil('sock->ops->recvmsg', 'recvmsg', 'proto_ops.recvmsg');
      recvmsgHover = await hover.innerText();
      assert.match(recvmsgHover, /\binet_recvmsg\b/);
      await workbench.screenshot('hover-recvmsg');
    });

    test('the hover on sock->ops->recvmsg names packet_recvmsg', () => {
      assert.match(recvmsgHover, /\bpacket_recvmsg\b/);
    });

    test('Trace This Path runs the VLAN PACKET_AUXDATA scenario and shows values inline in af_packet.c', async () => {
      // The view shows its rows only while open; the trace fills it when the server answers.
      await workbench.runCommand('Focus on Kernel Trace View');
      await workbench.runCommand('Kernel Net Reader: Trace This Path');
      await workbench.pickQuickItem(vlanScenario);
      await workbench.currentTraceRow();
      // The frame for another host ends in ip_rcv_core; the Packet ends group sits above the steps.
      await workbench.page
        .locator('.monaco-list-row', { hasText: 'freed in ip_rcv_core (OTHERHOST)' })
        .waitFor({ timeout: 30_000 });
      await workbench.screenshot('trace-started');
      await workbench.openFile('net/packet/af_packet.c');
      await workbench.goTo(definitionLine('net/packet/af_packet.c', 'packet_recvmsg'), 1);
      await workbench.page
        .locator('.editor-group-container.active .view-lines', { hasText: /#\d+(,\d+)*\s.*\s=\s/ })
        .waitFor({ timeout: 30_000 });
      await workbench.screenshot('inline-values-af-packet');
    });

    test('the hover of packet_rcv shows its model note, its scenarios and its values in the trace', async () => {
      await workbench.goTo(definitionLine('net/packet/af_packet.c', 'packet_rcv'), 1);
      const hover = await workbench.hoverUntil('packet_rcv(struct sk_buff', 'packet_rcv', 'Model');
      const text = await hover.innerText();
      assert.ok(text.includes(en.packet_rcv), text);
      assert.match(text, /The model steps through \d+ statements of this function/);
      assert.match(text, new RegExp(`\\b${vlanScenario}\\b`));
      assert.match(text, /In the active trace/);
      await workbench.screenshot('hover-packet-rcv-model');
    });

    test('Next Step twice moves the current step', async () => {
      let current = await workbench.currentTraceRow();
      for (const step of [1, 2]) {
        await workbench.runCommand('Kernel Net Reader: Next Step');
        current = await workbench.currentTraceRowOtherThan(current);
        await workbench.screenshot(`step-${step}`);
      }
    });

    test('Show Path Diagram draws the path with clickable functions', async () => {
      await workbench.runCommand('Kernel Net Reader: Show Path Diagram');
      await workbench.page.locator('.tab', { hasText: `Path: ${vlanScenario}` }).waitFor({ timeout: 30_000 });
      await workbench.webview().locator('svg [data-node]').first().waitFor({ timeout: 30_000 });
      await workbench.screenshot('path-diagram');
    });

    test(
      'Compare with Live Kernel puts the kernel’s verdict beside each end, in the view and the open diagram',
      requires('e2e: Compare with Live Kernel', liveUnsupportedReason()),
      async () => {
        await workbench.runCommand('Kernel Net Reader: Compare with Live Kernel');
        await workbench.pickQuickItem(vlanScenario);
        // The frame for another host: the kernel frees it where the model does, with the same reason.
        const verdict = /kernel: kfree_skb in ip_rcv_core\+0x[0-9a-f]+ \(OTHERHOST\) ✓/;
        await workbench.page.locator('.monaco-list-row', { hasText: verdict }).waitFor({ timeout: 180_000 });
        await workbench
          .webview()
          .locator('svg text[data-agreed="true"]', { hasText: verdict })
          .waitFor({ timeout: 30_000 });
        await workbench.screenshot('compare-live-verdicts');
      },
    );

    test('a scenario with an unknown constant gives a diagnostic in the Problems panel, no dialog', async () => {
      const scenario = join(scratch, 'unknown-constant.c');
      writeFileSync(
        scenario,
        '#include <knr_scenario.h>\n\nint main(void)\n{\n\tint s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_NOPE));\n\treturn 0;\n}\n',
      );
      await workbench.openAbsoluteFile(scenario);
      await workbench.runCommand('Kernel Net Reader: Run Scenario on Model');
      await workbench.page.locator('.markers-panel', { hasText: 'ETH_P_NOPE' }).waitFor({ timeout: 30_000 });
      assert.equal(await workbench.page.locator('.monaco-dialog-box').count(), 0, 'a modal dialog opened');
      await workbench.screenshot('scenario-diagnostics');
    });
  },
);

describe(
  'VS Code (code-server) with the 6.1 and 6.12 trees: Compare Path Across Kernel Versions',
  { ...requires('e2e: VS Code, two trees', missing ?? newerKernel.missing), timeout: 1_200_000 },
  () => {
    let scratch: string;
    let server: CodeServer;
    let workbench: Workbench;

    before(async () => {
      scratch = mkdtempSync(join(tmpdir(), 'knr-e2e-compare-'));
      server = await startCodeServer({
        vsix: packageVsix(scratch),
        folder: kernel.path,
        // The kernel suites' cache, which holds both trees' indexes.
        settings: {
          'kernelNetReader.kernelTrees': [kernel.path, newerKernel.path],
          'kernelNetReader.cacheFolder': testIndexCache,
        },
      });
      workbench = await Workbench.open(server.url, 'compare-path');
    });

    after(async () => {
      await workbench?.screenshot('final');
      await workbench?.close();
      await server?.stop();
      if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
    });

    test('the comparison lists the aligned path and a changed function opens in the diff editor', async () => {
      await workbench.statusItem(/Kernel [\d.]+, [\d.]+: ready/).waitFor({ timeout: 900_000 });
      await workbench.runCommand('Kernel Net Reader: Compare Path Across Kernel Versions');
      await workbench.pickQuickItem('raw-create');
      await workbench.page.locator('.tab', { hasText: 'Path raw-create' }).waitFor({ timeout: 120_000 });
      const view = workbench.webview();
      const changed = view.locator('#path li.changed[data-node="__sock_release"]').first();
      await changed.waitFor({ timeout: 60_000 });
      await view.locator('svg [data-mark="changed"]').first().waitFor({ timeout: 30_000 });
      await workbench.screenshot('compare-path-view');
      await changed.click();
      const diffEditor = workbench.page.locator('.monaco-diff-editor');
      await diffEditor.first().waitFor({ timeout: 60_000 });
      await workbench.page.locator('.tab', { hasText: '__sock_release' }).waitFor({ timeout: 30_000 });
      await workbench.page
        .locator('.monaco-diff-editor .view-lines', { hasText: 'READ_ONCE(sock->ops)' })
        .first()
        .waitFor({ timeout: 30_000 });
      await workbench.screenshot('function-diff');
    });
  },
);
