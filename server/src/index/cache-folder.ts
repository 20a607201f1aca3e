// Where persisted indexes live by default; its own file so that knr's small client knows it too.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  // homedir() is $HOME when set: the same folder for this process's own environment.
  return (
    env.KNR_CACHE ?? join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'), 'kernel-net-reader')
  );
}
