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

/** Pause between two checks of the tree's stat times while the server is in use (KNR_SERVER_CHECK_MS). */
export const defaultCheckPauseMs = 2000;
export const checkPauseVariable = 'KNR_SERVER_CHECK_MS';

/**
 * An answer waits for a check of the tree when the last began longer ago than this (KNR_SERVER_FRESH_MS):
 * while queries keep coming, the repeated checks keep it fresh and no answer waits.
 */
export const defaultFreshMs = 10_000;
export const freshVariable = 'KNR_SERVER_FRESH_MS';

/** Checks repeat for this long after the last request, then stop until the next (KNR_SERVER_ACTIVE_MS). */
export const defaultActiveMs = 30_000;
export const activeVariable = 'KNR_SERVER_ACTIVE_MS';
