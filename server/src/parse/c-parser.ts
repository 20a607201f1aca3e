// Loads web-tree-sitter and the C grammar once per thread. WASM, not the native binding, so the
// extension runs unchanged in any Electron (see ARCHITECTURE.md, "Parsing").
import { Language, Parser } from 'web-tree-sitter';
import { grammarWasmPath, runtimeWasmPath } from './wasm-paths';

let loading: Promise<Language> | undefined;

export function loadCLanguage(): Promise<Language> {
  loading ??= (async () => {
    const runtime = runtimeWasmPath();
    await Parser.init({ locateFile: () => runtime });
    return Language.load(grammarWasmPath());
  })();
  return loading;
}

export async function createCParser(): Promise<Parser> {
  const language = await loadCLanguage();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
