// A process-wide registry of undo actions for what a live run creates outside this process (network
// namespaces, a running scenario program). The actions are synchronous so that they can run from a
// signal handler or from the 'exit' event, where nothing asynchronous completes.

interface CleanupEntry {
  label: string;
  run: () => void;
}

const entries = new Map<number, CleanupEntry>();
let nextId = 1;
let handlersInstalled = false;

const signalExitCodes: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGHUP: 129,
};

function onSignal(signal: NodeJS.Signals): void {
  runAllCleanups();
  process.exit(signalExitCodes[signal as keyof typeof signalExitCodes] ?? 1);
}

function onExit(): void {
  runAllCleanups();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of Object.keys(signalExitCodes) as NodeJS.Signals[]) process.on(signal, onSignal);
  process.on('exit', onExit);
}

// Handlers are removed when nothing is registered, so a command that never runs live keeps the
// default signal behaviour.
function removeHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  for (const signal of Object.keys(signalExitCodes) as NodeJS.Signals[]) process.off(signal, onSignal);
  process.off('exit', onExit);
}

/** Registers an undo action; returns a function that runs it once and unregisters it. */
export function registerCleanup(label: string, run: () => void): () => void {
  const id = nextId++;
  entries.set(id, { label, run });
  installHandlers();
  return () => {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    if (entries.size === 0) removeHandlers();
    entry.run();
  };
}

/** Runs every registered action, newest first (a program is killed before its namespace goes). */
export function runAllCleanups(): void {
  const pending = [...entries.entries()].reverse();
  entries.clear();
  removeHandlers();
  for (const [, entry] of pending) {
    try {
      entry.run();
    } catch (error) {
      process.stderr.write(`knr: cleanup of ${entry.label} failed: ${String(error)}\n`);
    }
  }
}

/** Labels of the actions still registered (for tests and diagnostics). */
export function pendingCleanups(): string[] {
  return [...entries.values()].map((entry) => entry.label);
}
