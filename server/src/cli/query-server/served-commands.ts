// The knr commands the shared query server answers: the ones that open the index, ask it one question
// and print the answer. Every other command runs in the calling process.

export const servedCommands: readonly string[] = [
  'impls',
  'resolve',
  'tables',
  'callers',
  'callees',
  'definition',
];

/** `--no-server` on the command line or KNR_NO_SERVER=1 keeps the query in the calling process. */
export const noServerFlag = '--no-server';
export const noServerVariable = 'KNR_NO_SERVER';

/** Seconds without a request before the server stops (KNR_SERVER_IDLE overrides). */
export const defaultIdleSeconds = 600;
export const idleVariable = 'KNR_SERVER_IDLE';

/** Pause between two checks of the tree's stat times while the server runs (KNR_SERVER_CHECK_MS). */
export const defaultCheckPauseMs = 2000;
export const checkPauseVariable = 'KNR_SERVER_CHECK_MS';
