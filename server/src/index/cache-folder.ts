// Where persisted indexes live by default; its own file so that knr's small client knows it too.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheFolder(): string {
  return (
    process.env.KNR_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kernel-net-reader')
  );
}
