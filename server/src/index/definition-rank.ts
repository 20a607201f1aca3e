// Which of several definitions of one name a file means, best first. Code on the other side of the
// kernel boundary (tools, samples, scripts, selftests, boot wrappers) comes last. Then C decides
// visibility: what a .c file defines is its own, except non-static functions and variables; a header
// is seen by every file that includes it, its statics too. Among the visible, nearness decides: the
// file itself, its folder, its subsystem and that subsystem's headers, the core headers, the rest of
// the kernel, and other architectures than the one read.
import { defaultSettings } from '../settings';
import { isOutsideKernel } from './kernel-tree';

/** The architecture read when none is set: its `arch/<a>/` definitions rank with the generic code. */
export const defaultArch = defaultSettings.arch;

export interface RankedEntry {
  file: string;
  /** `static` (a function or variable); anything else a .c file defines is its own as well. */
  isStatic: boolean;
  /** Functions and variables without `static` are linked across files; the rest is textual. */
  linkable: boolean;
  /**
   * A prototype with no definition in the tree: after the definitions as near as it is, as a reader
   * asks where a name is defined (`extern int lockdep_is_held(...)` under the #else of the #ifdef
   * that defines it as a macro). Not before farther ones: a function written in assembler has only
   * prototypes, and a driver's macro of its name is not it.
   */
  isDeclarationOnly?: boolean;
}

export const isHeader = (file: string): boolean => file.endsWith('.h');

/** Whether a definition can be meant outside its own file: in a header, or linked (non-static). */
function isExported(entry: RankedEntry): boolean {
  return isHeader(entry.file) || (entry.linkable && !entry.isStatic);
}

/** Whether `fromFile` sees the definition (with no file asking, every definition is seen). */
export function isVisibleFrom(entry: RankedEntry, fromFile: string | undefined): boolean {
  return fromFile === undefined || entry.file === fromFile || isExported(entry);
}

/** Top-level folders made of subsystems, one per subfolder (`net/ipv4`, `drivers/net`, `arch/x86`). */
const groupingFolders = new Set(['arch', 'drivers', 'fs', 'net', 'sound', 'include', 'samples', 'tools']);

/** `net/ipv4` for net/ipv4/raw.c, `drivers/net` for a driver, `kernel` for kernel/fork.c. */
function subsystemOf(file: string): string {
  const parts = file.split('/');
  if (parts.length > 2 && groupingFolders.has(parts[0])) return `${parts[0]}/${parts[1]}`;
  return parts.length > 1 ? parts[0] : '';
}

const folderOf = (file: string): string => file.slice(0, file.lastIndexOf('/') + 1);

/** Headers every file includes, whatever its subsystem: linux/, asm-generic/ and the arch's own asm/. */
function isCoreHeader(file: string, arch: string): boolean {
  return (
    /^include\/(?:uapi\/)?(?:linux|asm-generic)\//.test(file) || file.startsWith(`arch/${arch}/include/`)
  );
}

function otherArch(file: string, arch: string): boolean {
  return file.startsWith('arch/') && !file.startsWith(`arch/${arch}/`);
}

/**
 * Whether a file lies on the other side of the kernel boundary from the asking file (kernel code when
 * none asks): a selftest's `max` or a boot wrapper's `memcpy` is not what kernel code calls.
 */
export function acrossKernelBoundary(file: string, fromFile: string | undefined): boolean {
  const askedFromOutside = fromFile !== undefined && isOutsideKernel(fromFile);
  return isOutsideKernel(file) !== askedFromOutside;
}

/** Nearness of `file` to `fromFile`, lower is nearer. */
function tier(file: string, fromFile: string | undefined, arch: string): number {
  if (fromFile !== undefined) {
    if (file === fromFile) return 0;
    if (folderOf(file) === folderOf(fromFile)) return 1;
    const subsystem = subsystemOf(fromFile);
    if (subsystemOf(file) === subsystem) return 2;
    const top = subsystem.split('/')[0];
    if (file.startsWith(`include/${top}/`) || file.startsWith(`include/uapi/${top}/`)) return 3;
  }
  if (otherArch(file, arch)) return 8;
  if (isCoreHeader(file, arch)) return 4;
  if (file.startsWith('include/')) return 5;
  return 6;
}

/**
 * Sorts definitions best first, for `fromFile` (or for no file: then the ones other files can mean
 * come first). Stable, so entries that rank alike keep the order they came in.
 */
export function rankDefinitions<T extends RankedEntry>(
  entries: readonly T[],
  fromFile: string | undefined,
  arch: string,
): T[] {
  const keyed = entries.map((entry, order) => ({
    entry,
    order,
    key: [
      acrossKernelBoundary(entry.file, fromFile) ? 1 : 0,
      isVisibleFrom(entry, fromFile) ? 0 : 1,
      tier(entry.file, fromFile, arch),
      entry.isDeclarationOnly ? 1 : 0,
      isExported(entry) || entry.file === fromFile ? 0 : 1,
    ],
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
    if (a.entry.file !== b.entry.file) return a.entry.file < b.entry.file ? -1 : 1;
    return a.order - b.order;
  });
  return keyed.map(({ entry }) => entry);
}
