// Whether this machine can run scenarios on its live kernel: Linux, root, iproute2 with network
// namespaces, and a C compiler. Returns the reason when it cannot, so that callers can refuse clearly.
import { createNamespace } from './namespaces';
import { haveExecutable } from './system';

export function liveUnsupportedReason(): string | undefined {
  if (process.platform !== 'linux') return `live runs need Linux (this is ${process.platform})`;
  const uid = process.getuid?.();
  if (uid !== 0) return `live runs need root to create network namespaces (running as uid ${String(uid)})`;
  if (!haveExecutable('ip')) return "live runs need iproute2's 'ip' (apt-get install iproute2)";
  if (!haveExecutable('gcc'))
    return 'live runs need gcc to compile the scenario (apt-get install gcc libc6-dev)';
  try {
    createNamespace().delete();
  } catch (error) {
    return `network namespaces are unavailable here: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}
