// GNU global as the reference for go-to-definition: builds its tag files for a tree outside the
// tree (the kernel trees are shared and read-only), lists the identifier uses in a folder with the
// one definition each resolves to, and classifies where knr's first answer differs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const installHint =
  'GNU global is not installed (gtags/global not found): on Debian or Ubuntu, `sudo apt-get install global` ' +
  '(scripts/setup-test-env installs it); then run `npm run bench:nav` again';

/** Code in a tree that is not the kernel proper: a definition there is no reference answer. */
const notKernelProper = /^(?:tools|samples|scripts|Documentation|usr)\/|\/selftests\/|^arch\/[^/]+\/boot\//;

export const isKernelProper = (file: string): boolean => !notKernelProper.test(file);

/** One tag global prints: the name, the path relative to the root, the 1-based line. */
export interface Tag {
  name: string;
  file: string;
  line: number;
}

/**
 * Parses `name<TAB>path<TAB>line` (`global --result=ctags`; the ctags-x format would add each line's
 * text, over a gigabyte for a kernel's definitions); undefined for a line of another shape.
 */
export function parseCtagsLine(line: string): Tag | undefined {
  const match = /^([^\t]+)\t([^\t]+)\t(\d+)$/.exec(line);
  if (!match) return undefined;
  return { name: match[1], file: match[2].replace(/^\.\//, ''), line: Number(match[3]) };
}

export function globalIsInstalled(): boolean {
  return ['gtags', 'global'].every(
    (tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0,
  );
}

const gtagsEnvironment = (tree: string, dbDir: string) => ({
  ...process.env,
  GTAGSROOT: tree,
  GTAGSDBPATH: dbDir,
});

/**
 * Builds global's tag files for the .c and .h files of `tree` in `dbDir` (never in the tree), unless
 * `dbDir` already holds them. Returns whether they were built now.
 */
export function ensureGtagsDatabase(tree: string, dbDir: string, sourceFiles: readonly string[]): boolean {
  const tags = join(dbDir, 'GTAGS');
  if (existsSync(tags) && statSync(tags).size > 0) return false;
  mkdirSync(dbDir, { recursive: true });
  const result = spawnSync('gtags', ['--file', '-', dbDir], {
    cwd: tree,
    input: sourceFiles.join('\n') + '\n',
    encoding: 'utf8',
    env: gtagsEnvironment(tree, dbDir),
  });
  if (result.error || result.status !== 0)
    throw new Error(`gtags in ${tree} failed: ${result.error?.message ?? result.stderr.slice(0, 500)}`);
  return true;
}

/** Runs `global ARGS` and hands each tag it prints to `onTag`, line by line (the output is large). */
async function eachTag(
  tree: string,
  dbDir: string,
  args: string[],
  onTag: (tag: Tag) => void,
): Promise<void> {
  const child = spawn('global', ['--result=ctags', ...args], {
    cwd: tree,
    env: gtagsEnvironment(tree, dbDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    const tag = parseCtagsLine(line);
    if (tag) onTag(tag);
  }
  const status = await exited;
  if (status !== 0)
    throw new Error(`global ${args.join(' ')} in ${tree} failed (${status}): ${stderr.slice(0, 500)}`);
}

/** The definitions global knows of each of `names`. */
export async function globalDefinitions(
  tree: string,
  dbDir: string,
  names: ReadonlySet<string>,
): Promise<Map<string, Tag[]>> {
  const byName = new Map<string, Tag[]>();
  await eachTag(tree, dbDir, ['--definition', '.*'], (tag) => {
    if (!names.has(tag.name)) return;
    const tags = byName.get(tag.name);
    if (tags) tags.push(tag);
    else byName.set(tag.name, [tag]);
  });
  return byName;
}

/** Every reference global records under `folder` (symbols with a definition somewhere), in order. */
export async function globalReferences(tree: string, dbDir: string, folder: string): Promise<Tag[]> {
  const references: Tag[] = [];
  await eachTag(tree, dbDir, ['--reference', '--scope', folder, '.*'], (tag) => {
    if (tag.file.startsWith(`${folder}/`)) references.push(tag);
  });
  return references;
}

/**
 * The 1-based column of the `nth` (0-based) whole-word occurrence of `name` in `lineText`, or
 * undefined. Global lists a name used twice on a line twice, in order.
 */
export function wordColumn(lineText: string, name: string, nth: number): number | undefined {
  const word = new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`, 'g');
  let match: RegExpExecArray | null = null;
  for (let seen = 0; seen <= nth; seen++) {
    match = word.exec(lineText);
    if (!match) return undefined;
  }
  return match ? match.index + 1 : undefined;
}

/** What global's definition is, read from its line: the class a disagreement is counted under. */
export function definitionKind(lineText: string, name: string): string {
  if (/^\s*#\s*define\b/.test(lineText)) {
    return new RegExp(`#\\s*define\\s+${name}\\(`).test(lineText)
      ? 'function-like macro'
      : 'object-like macro';
  }
  if (new RegExp(`\\b(?:struct|union)\\s+${name}\\b`).test(lineText)) return 'struct or union';
  if (new RegExp(`\\benum\\s+${name}\\b`).test(lineText)) return 'enum';
  if (/\btypedef\b/.test(lineText)) return 'typedef';
  if (new RegExp(`\\b${name}\\s*\\(`).test(lineText)) return 'function';
  return 'variable or other';
}

/** How an identifier is used on its line: global lists every kind of use as a reference. */
export type UseSyntax = 'member' | 'tag' | 'call' | 'bare';

export function useSyntax(lineText: string, column: number, name: string): UseSyntax {
  const before = lineText.slice(0, column - 1);
  const after = lineText.slice(column - 1 + name.length);
  if (/(?:->|\.)\s*$/.test(before)) return 'member';
  if (/\b(?:struct|union|enum)\s+$/.test(before)) return 'tag';
  if (/^\s*\(/.test(after)) return 'call';
  return 'bare';
}

/**
 * Whether global's one definition can be the reference answer for a use. Global matches names only:
 * it has no fields (`x->state` is a "reference" to any `state` defined anywhere) and no local
 * variables (`skb`, `ret` are "references" to whatever namesake it indexed). So member accesses are
 * left out, and a bare name counts only when it names a macro or a typedef, or is written in upper
 * case (the kernel's macros and enum constants), which locals do not shadow.
 */
export function isComparable(syntax: UseSyntax, kind: string, name: string): boolean {
  if (syntax === 'member') return false;
  if (syntax !== 'bare') return true;
  return kind.endsWith('macro') || kind === 'typedef' || (/[A-Z]/.test(name) && !/[a-z]/.test(name));
}

/** A disagreement's outcome: what knr answered instead of global's one definition. */
export function outcome(
  expected: { file: string; line: number },
  answers: readonly { file: string; line: number }[],
): 'agree' | 'nothing' | 'right answer not first' | 'other file' | 'same file, other line' {
  const same = (answer: { file: string; line: number }) =>
    answer.file === expected.file && answer.line === expected.line;
  if (answers.length === 0) return 'nothing';
  if (same(answers[0])) return 'agree';
  if (answers.some(same)) return 'right answer not first';
  return answers[0].file === expected.file ? 'same file, other line' : 'other file';
}
