// The extension's manifest against the code: the settings schema the server reads, the commands the
// extension registers, the localised strings in both languages, activation and engine limits.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { clientCommands } from '../../server/src/protocol';
import { readSettings, settingsSchema } from '../../server/src/settings';
import { repoRoot } from '../support/prerequisites';

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(repoRoot, file), 'utf8'));
const manifest = readJson('package.json') as {
  engines: { vscode: string };
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; description: string } };
  l10n: string;
  icon: string;
  contributes: {
    configuration: { properties: Record<string, unknown> };
    commands: { command: string; title: string }[];
    keybindings: { command: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
};
const nls = { en: readJson('package.nls.json'), zhCn: readJson('package.nls.zh-cn.json') };
const clientSources = readdirSync(join(repoRoot, 'client', 'src'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => readFileSync(join(repoRoot, 'client', 'src', file), 'utf8'))
  .join('\n');

/** Every string literal passed to vscode.l10n.t in the client. */
function runtimeStrings(): string[] {
  const found = new Set<string>();
  for (const match of clientSources.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g))
    found.add(match[1].replace(/\\'/g, "'"));
  return [...found].sort();
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\d+\}/g)].map((match) => match[0]).sort();

describe('extension manifest', () => {
  test('contributes.configuration is the server settings schema, key for key', () => {
    assert.deepEqual(manifest.contributes.configuration.properties, settingsSchema);
  });

  test('every %key% of package.json is translated in English and Simplified Chinese', () => {
    const keys = [
      ...new Set([...JSON.stringify(manifest).matchAll(/"%([^%"]+)%"/g)].map((match) => match[1])),
    ].sort();
    assert.ok(keys.length > 20, `only ${keys.length} localised keys found`);
    assert.deepEqual(
      keys.filter((key) => !(key in nls.en)),
      [],
      'missing in package.nls.json',
    );
    assert.deepEqual(Object.keys(nls.zhCn).sort(), Object.keys(nls.en).sort(), 'package.nls.zh-cn.json keys');
  });

  test('every runtime string of the client has a Simplified Chinese translation with the same placeholders', () => {
    const bundle = readJson(join(manifest.l10n, 'bundle.l10n.zh-cn.json')) as Record<string, string>;
    const strings = runtimeStrings();
    assert.ok(strings.length > 20, `only ${strings.length} vscode.l10n.t strings found`);
    assert.deepEqual(
      strings.filter((text) => !(text in bundle)),
      [],
      'untranslated',
    );
    assert.deepEqual(
      Object.keys(bundle).filter((text) => !strings.includes(text)),
      [],
      'translated but unused',
    );
    for (const text of strings) assert.deepEqual(placeholders(bundle[text]), placeholders(text), text);
  });

  test('the contributed commands are the ones the extension registers, the server’s code-lens commands included', () => {
    const contributed = manifest.contributes.commands.map((command) => command.command).sort();
    const registered = [...clientSources.matchAll(/^\s+(\w+): '(kernelNetReader\.\w+)',$/gm)].map(
      (match) => match[2],
    );
    const fromProtocol = Object.values(clientCommands);
    assert.deepEqual([...new Set([...registered, ...fromProtocol])].sort(), contributed);
    const referenced = [
      ...manifest.contributes.keybindings.map((binding) => binding.command),
      ...Object.values(manifest.contributes.menus).flatMap((items) => items.map((item) => item.command)),
    ];
    assert.deepEqual(
      referenced.filter((command) => !contributed.includes(command)),
      [],
    );
  });

  test('activation is on C files and kernel trees, never on everything', () => {
    assert.ok(manifest.activationEvents.includes('onLanguage:c'));
    assert.ok(manifest.activationEvents.includes('workspaceContains:net/socket.c'));
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  test('an untrusted workspace is supported in part: the live commands need trust', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(
      nls.en[manifest.capabilities.untrustedWorkspaces.description.slice(1, -1)] as string,
      /root/,
    );
    for (const command of [
      'kernelNetReader.runScenarioOnLiveKernel',
      'kernelNetReader.compareWithLiveKernel',
    ]) {
      const palette = manifest.contributes.menus.commandPalette.find((item) => item.command === command);
      assert.match(palette?.when ?? '', /\bisWorkspaceTrusted\b/, command);
    }
  });

  test('engines.vscode accepts VS Code 1.100 (code-server 4.100.3) and needs nothing newer', () => {
    const match = /^\^1\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
    assert.ok(match, `engines.vscode ${manifest.engines.vscode} is not ^1.x.y`);
    assert.ok(Number(match[1]) <= 100, manifest.engines.vscode);
  });
});

describe('readSettings', () => {
  test('takes valid values and fills the rest with defaults', () => {
    const reading = readSettings({
      kernelTrees: ['/src/linux', ' '],
      language: 'zh-cn',
      modelKernelVersion: '6.12',
      arch: ' arm64 ',
    });
    assert.deepEqual(reading.problems, []);
    assert.deepEqual(reading.settings, {
      kernelTrees: ['/src/linux'],
      cacheFolder: '',
      modelKernelVersion: '6.12',
      language: 'zh-cn',
      arch: 'arm64',
    });
  });

  test('reports each bad value by its setting name and falls back to the default', () => {
    const reading = readSettings({
      kernelTrees: '/src/linux',
      cacheFolder: 3,
      modelKernelVersion: 'latest',
      language: 'fr',
      arch: '../x86',
    });
    assert.deepEqual(reading.settings, readSettings(undefined).settings);
    assert.deepEqual(
      reading.problems.map((problem) => problem.split(':')[0]),
      [
        'kernelNetReader.kernelTrees',
        'kernelNetReader.cacheFolder',
        'kernelNetReader.modelKernelVersion',
        'kernelNetReader.language',
        'kernelNetReader.arch',
      ],
    );
  });
});
