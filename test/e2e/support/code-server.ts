// A fresh, isolated code-server (real VS Code 1.100.3 served to a browser) for one test run: its own
// user data, extensions, temp and XDG folders, bound to 127.0.0.1 on a free port, with the .vsix
// installed through its own --install-extension. Facts: ../shared/notes/real-clients.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/prerequisites';

export const codeServerBinary =
  process.env.KNR_CODE_SERVER ?? join(repoRoot, '.cache', 'e2e', 'node_modules', '.bin', 'code-server');
export const chromiumBinary = process.env.KNR_CHROMIUM ?? '/usr/bin/chromium';

/** Why the end-to-end tests cannot run here, or undefined when they can. */
export function missingForCodeServer(): string | undefined {
  if (!existsSync(codeServerBinary)) return `no code-server at ${codeServerBinary} (run scripts/setup-e2e)`;
  if (!existsSync(chromiumBinary)) return `no chromium at ${chromiumBinary} (run scripts/setup-e2e)`;
  if (!existsSync(join(repoRoot, 'dist', 'server.js'))) return 'no dist/server.js (run npm run build)';
  return undefined;
}

export interface CodeServer {
  /** The workbench URL with the folder opened. */
  url: string;
  extensionsDir: string;
  /** Everything code-server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  vsix: string;
  folder: string;
  /** User settings (settings.json). */
  settings?: Record<string, unknown>;
  /** VS Code display language, e.g. `zh-cn` (needs a language pack; default English). */
  locale?: string;
  /**
   * Open the folder untrusted (Restricted Mode): Workspace Trust on, and no startup prompt, so a folder
   * nobody trusted opens restricted. By default trust is off and every folder is trusted.
   */
  untrusted?: boolean;
  /** User key bindings (keybindings.json): a way to run a command the command palette hides. */
  keybindings?: { key: string; command: string }[];
}

/** Workspace Trust on, without the startup dialog: an unknown folder opens in Restricted Mode. */
const untrustedSettings = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'editor.hover.delay': 100,
  'editor.inlayHints.enabled': 'on',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const home = mkdtempSync(join(tmpdir(), 'knr-code-server-'));
  const dirs = {
    userData: join(home, 'user-data'),
    extensions: join(home, 'extensions'),
    tmp: join(home, 'tmp'),
    config: join(home, 'config'),
    data: join(home, 'data'),
    cache: join(home, 'cache'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(
      { ...baseSettings, ...(options.untrusted ? untrustedSettings : {}), ...options.settings },
      null,
      2,
    ),
  );
  if (options.keybindings)
    writeFileSync(join(dirs.userData, 'User', 'keybindings.json'), JSON.stringify(options.keybindings));
  const env = {
    ...process.env,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
  };
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  const install = spawnSync(codeServerBinary, [...common, '--install-extension', options.vsix], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (install.status !== 0) {
    rmSync(home, { recursive: true, force: true });
    throw new Error(
      `code-server --install-extension ${options.vsix} failed:\n${install.stdout}\n${install.stderr}`,
    );
  }

  const port = await freePort();
  const args = [
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...(options.locale === undefined ? [] : ['--locale', options.locale]),
  ];
  const child = spawn(codeServerBinary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('HTTP server listening on')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`code-server exited (${String(code)}) before listening:\n${output}`)),
    );
  });
  const timeout = setTimeout(() => child.kill(), 60_000);
  try {
    await listening;
  } finally {
    clearTimeout(timeout);
  }
  return {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.folder)}`,
    extensionsDir: dirs.extensions,
    log: () => output,
    async stop() {
      await stopProcessGroup(child);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Stops code-server and the extension hosts and language servers it started (its children). */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const pid of descendants(child.pid)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(forced);
}

/** Every process below `pid`, children first found by `ps`. */
export function descendants(pid: number): number[] {
  const listing = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout;
  const children = new Map<number, number[]>();
  for (const line of listing.split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (!Number.isInteger(child) || !Number.isInteger(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

/** Pids of the language servers (dist/server.js) that this code-server's extension host started. */
export function languageServerPids(server: CodeServer): number[] {
  const listing = spawnSync('ps', ['-e', '-o', 'pid=,args='], { encoding: 'utf8' }).stdout;
  return listing
    .split('\n')
    .filter((line) => line.includes(server.extensionsDir) && line.includes(join('dist', 'server.js')))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
