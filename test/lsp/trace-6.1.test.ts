// Traces through the language server on the real 6.1 tree: run a built-in scenario on the models,
// see its values as inlay hints in af_packet.c, step, draw the path, and get diagnostics for a
// scenario file with an error.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeLens, Diagnostic, Hover, InlayHint, MarkupContent } from 'vscode-languageserver-protocol';
import { en } from '../../server/src/models/catalogue/en';
import {
  activeTraceNotification,
  pathDiagramRequest,
  runScenarioRequest,
  stepRequest,
  type ActiveTraceParams,
  type PathDiagramResult,
  type RunScenarioResult,
  type StepResult,
} from '../../server/src/protocol';
import { definitionLine } from '../support/definition-line';
import { requires } from '../support/prerequisites';
import { sharedCache, tree61 } from './support/kernel-61';
import { startKernelServer, type KernelServer } from './support/stdio-session';

const skip = requires('traces through the language server on the 6.1 tree', tree61.missing);

describe('traces through the language server on the 6.1 tree', { ...skip, timeout: 30 * 60 * 1000 }, () => {
  let server: KernelServer;
  let packet: string;
  const notified: ActiveTraceParams[] = [];
  before(async () => {
    server = await startKernelServer({ kernel: tree61.path, cache: sharedCache() });
    server.session.connection.onNotification(activeTraceNotification, (p: ActiveTraceParams) => {
      notified.push(p);
    });
    server.session.connection.onRequest('workspace/inlayHint/refresh', () => null);
    await server.ready;
    packet = await server.open('net/packet/af_packet.c');
  });
  after(() => server?.close());

  test('the VLAN auxdata scenario runs on the models and becomes the active trace', async () => {
    const result = await server.request<RunScenarioResult>(runScenarioRequest, {
      scenario: { name: 'packet-auxdata-vlan' },
      engine: 'model',
    });
    assert.equal(result.problems, undefined);
    const functions = result.trace!.events.map((e) => e.function);
    assert.ok(
      functions.includes('packet_recvmsg') && functions.includes('packet_create'),
      functions.join(' '),
    );
    assert.ok(result.trace!.events.some((e) => e.hop?.startsWith('proto_ops.recvmsg (packet_ops)')));
    assert.equal(notified.at(-1)?.trace?.scenario, result.trace!.scenario);
  });

  test('the hover of a modelled function shows its model note, scenario links and active-trace values', async () => {
    const text = readFileSync(join(tree61.path, 'net/packet/af_packet.c'), 'utf8');
    const line = definitionLine(text, 'packet_recvmsg') - 1;
    const character = text.split('\n')[line].indexOf('packet_recvmsg');
    const hover = await server.request<Hover>('textDocument/hover', {
      textDocument: { uri: packet },
      position: { line, character },
    });
    const value = (hover.contents as MarkupContent).value;
    assert.ok(value.includes(`**Model**: ${en.packet_recvmsg}`), value);
    assert.match(value, /The model steps through \d+ statements of this function/);
    const link = `[packet-auxdata-vlan](command:kernelNetReader.runScenarioOnModel?${encodeURIComponent(JSON.stringify([{ name: 'packet-auxdata-vlan' }]))})`;
    assert.ok(value.includes(link), value);
    assert.match(value, /\*\*In the active trace \([^)]+\)\*\*\n\n- \[#\d+\]\(file:/);
  });

  test('inlay hints put the values on the traced lines of af_packet.c', async () => {
    const hints = await server.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: packet },
      range: { start: { line: 0, character: 0 }, end: { line: 100000, character: 0 } },
    });
    const labels = hints.map((h) => String(h.label));
    assert.ok(
      labels.some((l) => /tp_status/.test(l)),
      labels.slice(0, 20).join('\n'),
    );
    assert.ok(labels.some((l) => l.startsWith('▶ ')) || notified.at(-1)!.trace!.events[0].uri !== packet);
  });

  test('inlay hints reach a document the editor names through a symbolic link to the tree', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'knr-linked-tree-'));
    try {
      const linkedTree = join(folder, 'linux');
      symlinkSync(tree61.path, linkedTree);
      const path = join(linkedTree, 'net/packet/af_packet.c');
      const uri = pathToFileURL(path).href;
      await server.session.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'c', version: 1, text: readFileSync(path, 'utf8') },
      });
      const hints = await server.request<InlayHint[]>('textDocument/inlayHint', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 100000, character: 0 } },
      });
      assert.ok(hints.some((h) => /tp_status/.test(String(h.label))));
      await server.session.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('stepping moves the current event and is bounded at both ends', async () => {
    const first = await server.request<StepResult>(stepRequest, { to: 'next' });
    const second = await server.request<StepResult>(stepRequest, { to: 'next' });
    assert.deepEqual([first.current, second.current], [1, 2]);
    const back = await server.request<StepResult>(stepRequest, { to: -5 });
    assert.equal(back.current, 0);
  });

  test('the path diagram names the functions with clickable nodes', async () => {
    const diagram = await server.request<PathDiagramResult>(pathDiagramRequest, null);
    assert.match(diagram.svg, /^<svg/);
    const node = diagram.nodes.find((n) => n.function === 'packet_recvmsg');
    assert.ok(node && node.uri.endsWith('net/packet/af_packet.c'));
    assert.match(diagram.svg, /data-node="packet_recvmsg"/);
  });

  test('a Trace lens sits over modelled functions', async () => {
    const lenses = await server.request<CodeLens[]>('textDocument/codeLens', {
      textDocument: { uri: packet },
    });
    const traced = lenses.filter((l) => l.command?.command === 'kernelNetReader.traceThisPath');
    assert.ok(traced.some((l) => (l.command!.arguments as string[])[0] === 'packet_recvmsg'));
  });

  test('a scenario file with an unknown constant gets a diagnostic at its position', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'knr-scenario-'));
    try {
      const file = join(folder, 'bad.c');
      const text =
        '#include <knr_scenario.h>\nint main(void)\n{\n\tint s = socket(AF_PACKET, SOCK_RAW, NO_SUCH_PROTOCOL);\n\treturn 0;\n}\n';
      writeFileSync(file, text);
      const uri = pathToFileURL(file).href;
      const published = new Promise<Diagnostic[]>((resolve) =>
        server.session.connection.onNotification(
          'textDocument/publishDiagnostics',
          (p: { uri: string; diagnostics: Diagnostic[] }) => {
            if (p.uri === uri) resolve(p.diagnostics);
          },
        ),
      );
      await server.session.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'c', version: 1, text },
      });
      const diagnostics = await published;
      const problem = diagnostics.find((d) => JSON.stringify(d.message).includes('NO_SUCH_PROTOCOL'));
      assert.ok(problem, JSON.stringify(diagnostics));
      assert.equal(problem.range.start.line, 3);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('packet ends: listed with the active trace, marked on the freeing line, clickable in the diagram', async () => {
    const result = await server.request<RunScenarioResult>(runScenarioRequest, {
      scenario: { name: 'raw-udp-and-unreachable' },
      engine: 'model',
    });
    const ends = result.trace!.ends;
    const closedPort = ends.find((end) => end.function === '__udp4_lib_rcv');
    assert.ok(closedPort, JSON.stringify(ends));
    assert.equal(closedPort.how, 'freed');
    assert.equal(closedPort.label, 'freed in __udp4_lib_rcv (NO_SOCKET)');
    assert.equal(closedPort.mark, '✗ freed: NO_SOCKET');
    assert.equal(closedPort.verdict, undefined);
    assert.ok(closedPort.uri.endsWith('net/ipv4/udp.c'));
    const udpText = readFileSync(join(tree61.path, 'net/ipv4/udp.c'), 'utf8').split('\n');
    assert.match(udpText[closedPort.line], /kfree_skb_reason\(skb, drop_reason\)/);
    assert.ok(
      ends.some((end) => end.how === 'consumed' && end.label.startsWith('consumed in skb_free_datagram')),
    );

    const udp = await server.open('net/ipv4/udp.c');
    const hints = await server.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: udp },
      range: { start: { line: 0, character: 0 }, end: { line: 100000, character: 0 } },
    });
    const freeing = hints.find((h) => h.position.line === closedPort.line);
    assert.ok(freeing, JSON.stringify(hints));
    assert.match(String(freeing.label), new RegExp(`✗ freed: NO_SOCKET \\(packet ${closedPort.packet}\\)`));
    assert.doesNotMatch(String(freeing.label), /drop reason =/);

    const diagram = await server.request<PathDiagramResult>(pathDiagramRequest, null);
    const node = diagram.nodes.find((n) => n.id === `end:${closedPort.packet}`);
    assert.deepEqual(node && { uri: node.uri, line: node.line }, {
      uri: closedPort.uri,
      line: closedPort.line,
    });
    assert.match(diagram.svg, new RegExp(`data-node="end:${closedPort.packet}"`));
  });
});
