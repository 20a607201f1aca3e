// How the server finds the kernel tree(s): the `kernel` initialization option (or the extension's
// `settings.kernelTrees`), else the workspace folders (or rootUri), else KNR_KERNEL. What counts as a
// kernel tree is the index's rule.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InitializeParams } from 'vscode-languageserver';
import { checkKernelTree } from '../index/kernel-tree';
import { readSettings } from '../settings';

export interface InitializationOptions {
  kernel?: string[];
  cache?: string;
  locale?: string;
  /** The architecture read (`kernelNetReader.arch`). */
  arch: string;
  /** Settings the extension sent that were ignored, one line each. */
  problems: string[];
}

export interface RootChoice {
  /** Candidates that are kernel trees, in the order given. */
  kernels: string[];
  /** Candidates that were given but are not kernel trees, each with the reason. */
  rejected: { path: string; reason: string }[];
}

/**
 * Reads `{ kernel, cache, locale }` (any LSP client) and `{ settings }` (the VS Code extension, shaped
 * by server/src/settings.ts); the plain options win.
 */
export function readInitializationOptions(params: InitializeParams): InitializationOptions {
  const raw: unknown = params.initializationOptions;
  const options = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const { settings, problems } = readSettings(options.settings);
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  let kernel: string[] | undefined;
  if (typeof options.kernel === 'string') kernel = [options.kernel];
  else if (Array.isArray(options.kernel))
    kernel = options.kernel.filter((k): k is string => typeof k === 'string');
  else if (settings.kernelTrees.length > 0) {
    const base = workspaceCandidates(params)[0] ?? process.cwd();
    kernel = settings.kernelTrees.map((tree) => resolve(base, tree));
  }
  return {
    kernel,
    cache: text(options.cache) ?? text(settings.cacheFolder),
    locale: text(options.locale) ?? (settings.language === 'auto' ? undefined : settings.language),
    arch: settings.arch,
    problems,
  };
}

/** Why `path` is not a kernel tree, or `undefined` when it is one. */
function notKernelTreeReason(path: string): string | undefined {
  try {
    checkKernelTree(path);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function workspaceCandidates(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? [];
  if (uris.length === 0 && params.rootUri) uris.push(params.rootUri);
  const paths = uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
  if (paths.length === 0 && params.rootPath) paths.push(params.rootPath);
  return paths;
}

export function chooseKernelRoots(
  params: InitializeParams,
  options: InitializationOptions,
  env: NodeJS.ProcessEnv,
): RootChoice {
  const envKernel = env.KNR_KERNEL ? [env.KNR_KERNEL] : [];
  const candidateLists = [options.kernel ?? [], workspaceCandidates(params), envKernel];
  const rejected: RootChoice['rejected'] = [];
  for (const candidates of candidateLists) {
    const kernels: string[] = [];
    for (const path of candidates.map((candidate) => resolve(candidate))) {
      const reason = notKernelTreeReason(path);
      if (reason === undefined) kernels.push(path);
      else rejected.push({ path, reason });
    }
    if (kernels.length > 0) return { kernels: [...new Set(kernels)], rejected };
  }
  return { kernels: [], rejected };
}
