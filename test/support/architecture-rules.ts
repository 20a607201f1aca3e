// The architecture's invariants as a check over source text: which layer may import which, that the
// models do no IO, that the editor protocol stays out of the index, that index positions become LSP
// positions only in lsp/convert.ts, and that tree-sitter query text lives only in grammars/. Imports are
// read with TypeScript's own `ts.preProcessFile` (imports, `import type`, re-exports), not a regex.
import { dirname, posix } from 'node:path';
import ts from 'typescript';

/** A source file by its path relative to the repository (`server/src/index/open.ts`). */
export interface SourceFile {
  path: string;
  text: string;
}

/**
 * The layer of a file: the folder under server/src (`index`, `lsp`, ...), a top-level module
 * (`protocol`, `settings`, `version`), or `client` for the extension.
 */
export function layerOf(path: string): string {
  if (path.startsWith('client/src/')) return 'client';
  const match = /^server\/src\/([^/]+?)(?:\/|\.ts$)/.exec(path);
  return match ? match[1] : path;
}

/** The layers each layer may import from (its own always), the one place the data flow is written. */
const allowedLayers: Record<string, readonly string[]> = {
  parse: [],
  l10n: [],
  settings: [],
  version: [],
  protocol: [],
  index: ['parse', 'settings', 'version'],
  scenario: ['index', 'parse'],
  models: ['index', 'scenario'],
  trace: ['index', 'models', 'scenario'],
  live: ['index', 'models', 'parse', 'scenario', 'trace'],
  diff: ['index', 'models', 'scenario', 'trace'],
  lsp: [
    'diff',
    'index',
    'l10n',
    'live',
    'models',
    'parse',
    'protocol',
    'scenario',
    'settings',
    'trace',
    'version',
  ],
  cli: ['diff', 'index', 'live', 'lsp', 'mcp', 'models', 'parse', 'scenario', 'settings', 'trace', 'version'],
  mcp: ['cli', 'index', 'live', 'scenario', 'trace', 'version'],
  client: ['protocol', 'settings'],
};

/** Single files a layer may import outside its layers: the client asks whether a document is a scenario. */
const allowedFiles: Record<string, readonly string[]> = {
  client: ['server/src/scenario/scenario-text.ts'],
};

/** Packages of the editor protocol, allowed only in the front ends that speak it. */
const editorPackage = /^(vscode|vscode-languageserver|vscode-languageclient|vscode-jsonrpc)(-[a-z]+)?(\/|$)/;
const speaksEditorProtocol = (path: string): boolean =>
  ['lsp', 'protocol', 'client'].includes(layerOf(path)) || path === 'server/src/cli/commands/lsp.ts';

export interface Violation {
  file: string;
  rule: string;
  detail: string;
}

function importsOf(file: SourceFile): { specifier: string; target?: string }[] {
  return ts.preProcessFile(file.text, true, true).importedFiles.map(({ fileName }) => ({
    specifier: fileName,
    target: fileName.startsWith('.')
      ? posix.normalize(posix.join(dirname(file.path), fileName)).replace(/(\.ts)?$/, '.ts')
      : undefined,
  }));
}

/** Every broken invariant in these files; none for a tree that keeps them. */
export function checkArchitecture(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    for (const { specifier, target } of importsOf(file)) {
      if (target !== undefined) {
        const targetLayer = layerOf(target);
        const allowed = allowedLayers[layer];
        const allowedFile = allowedFiles[layer]?.includes(target) ?? false;
        if (
          targetLayer !== layer &&
          targetLayer !== 'package.json.ts' &&
          !allowed?.includes(targetLayer) &&
          !allowedFile
        ) {
          violations.push({ file: file.path, rule: 'layers', detail: `${layer} imports ${target}` });
        }
      } else if (layer === 'models') {
        violations.push({
          file: file.path,
          rule: 'models do no IO',
          detail: `models import no package (${specifier}): the index and scenario are all they read`,
        });
      } else if (editorPackage.test(specifier) && !speaksEditorProtocol(file.path)) {
        violations.push({ file: file.path, rule: 'editor protocol only in front ends', detail: specifier });
      }
    }
    if (layer === 'lsp' && file.path !== 'server/src/lsp/convert.ts') {
      // An LSP position from an index one (a column, a span) is made in convert.ts; elsewhere a
      // position is only ever the start of a line, to read a document's text.
      for (const match of file.text.matchAll(/\bcharacter:\s*(?!0\b)[^,}\s]+/g)) {
        violations.push({ file: file.path, rule: 'LSP positions only in convert.ts', detail: match[0] });
      }
    }
    for (const match of file.text.matchAll(/['"`][^'"`\n]*\(\s*\w+[^'"`\n]*\)\s*@[\w.]+[^'"`\n]*['"`]/g)) {
      violations.push({ file: file.path, rule: 'tree-sitter queries only in grammars/', detail: match[0] });
    }
  }
  return violations;
}
