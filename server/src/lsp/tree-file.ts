// The server reads a tree's files the way the index lists them: never through a symbolic link, since
// a link inside the tree can point anywhere on the machine. A URI inside the tree is not enough.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether `file` (relative to `root`) resolves to itself: no symbolic link on the way. A file that does
 * not exist counts as plain, so that its removal from the index still goes through.
 */
export function plainTreeFile(root: string, file: string): boolean {
  try {
    return realpathSync(join(root, file)) === join(realpathSync(root), file);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && !linkedFolder(root, file);
  }
}

/** A missing file under a symbolic link to a folder is still reached through the link. */
function linkedFolder(root: string, file: string): boolean {
  const parts = file.split('/');
  for (let depth = parts.length - 1; depth > 0; depth--) {
    try {
      const folder = parts.slice(0, depth).join('/');
      return realpathSync(join(root, folder)) !== join(realpathSync(root), folder);
    } catch {
      // this folder is missing too: look at its parent
    }
  }
  return false;
}
