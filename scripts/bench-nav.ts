// `npm run bench:nav`: how far knr's navigation can be trusted on a real tree. Two parts, each printed
// as figures; nothing here gates CI. (1) Go-to-definition against GNU global: every identifier use
// under net/ that global resolves to exactly one definition in the kernel proper, asked of
// `knr definition FILE:LINE:COL`. (2) A hand-judged sample kept in the repository
// (test/nav-sample/<series>.json): the struct at indirect call sites (`knr resolve`), impls, callers
// and callees, each with precision and recall. The knr commands run in this process on one open index
// (`answer`, the code `knr <command> --json` runs), so tens of thousands of queries take seconds.
// Method and figures: docs/benchmarks.md.
//
// Usage: npm run bench:nav -- [--kernel DIR] [--cache DIR] [--sample FILE] [--gtags-db DIR]
//                             [--uses N] [--seed N] [--examples N] [--part global|sample]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { calleesCommand } from '../server/src/cli/commands/callees';
import { callersCommand } from '../server/src/cli/commands/callers';
import { implsCommand } from '../server/src/cli/commands/impls';
import { resolveCommand } from '../server/src/cli/commands/resolve';
import type { QueryCommand } from '../server/src/cli/query-command';
import type { KernelIndex } from '../server/src/index/kernel-index';
import { definitionsOf, preferredDefinitions } from '../server/src/index/definition-lookup';
import { LocalDeclarations } from '../server/src/index/local-declarations';
import { openIndex } from '../server/src/index/open';
import { targetAt } from '../server/src/index/target';
import {
  definitionKind,
  ensureGtagsDatabase,
  globalDefinitions,
  globalIsInstalled,
  globalReferences,
  installHint,
  isComparable,
  isKernelProper,
  outcome,
  useSyntax,
  wordColumn,
  type Tag,
} from './bench-nav-global';
import { locate, parseNavSample, type JudgedSet, type TextPosition } from './bench-nav-sample';
import { percent, scoreSet, sumScores, type SetScore } from './bench-nav-score';

const repoRoot = resolve(import.meta.dirname, '..');
const usesFolder = 'net';
/** Part 1 says how far it got every this many uses (on stderr), as all of net/ takes minutes. */
const progressEvery = 50_000;
/** About 600,000 uses in net/ qualify; knr answers a few hundred a second on a loaded machine. */
const defaultUses = 100_000;

const usage = `usage: npm run bench:nav -- [options]
  --kernel DIR     kernel tree (default .cache/kernels/6.1)
  --cache DIR      knr's index cache (default .cache/test-index, the tests' own)
  --sample FILE    the hand-judged sample (default test/nav-sample/<major.minor>.json)
  --gtags-db DIR   where global's tag files are built once and reused (default .cache/bench/gtags-<version>)
  --uses N         ask knr about N uses picked at random (fixed seed; default ${defaultUses}, 0: all)
  --seed N         the seed of that pick (default 21)
  --examples N     examples printed per class of disagreement (default 3)
  --part P         only 'global' or only 'sample'`;

interface Options {
  kernel: string;
  cache: string;
  sample?: string;
  gtagsDb?: string;
  /** 0: every use. */
  uses: number;
  seed: number;
  examples: number;
  parts: Set<'global' | 'sample'>;
}

function count(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a whole number, got '${text}'`);
  return value;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      kernel: { type: 'string' },
      cache: { type: 'string' },
      sample: { type: 'string' },
      'gtags-db': { type: 'string' },
      uses: { type: 'string' },
      seed: { type: 'string' },
      examples: { type: 'string' },
      part: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (values.part !== undefined && values.part !== 'global' && values.part !== 'sample')
    throw new Error(`--part must be 'global' or 'sample', got '${values.part}'`);
  return {
    kernel: resolve(values.kernel ?? join(repoRoot, '.cache', 'kernels', '6.1')),
    cache: resolve(values.cache ?? join(repoRoot, '.cache', 'test-index')),
    sample: values.sample && resolve(values.sample),
    gtagsDb: values['gtags-db'] && resolve(values['gtags-db']),
    uses: count(values.uses, 'uses', defaultUses),
    seed: count(values.seed, 'seed', 21),
    examples: count(values.examples, 'examples', 3),
    parts: new Set(values.part ? [values.part] : ['global', 'sample']) as Set<'global' | 'sample'>,
  };
}

/** A small seeded generator (mulberry32), so a sample is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], size: number, seed: number): T[] {
  const shuffled = [...items];
  const random = seededRandom(seed);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled.slice(0, size);
}

/** Runs a query command as `knr <command> ARGUMENT --json` would and returns its printed JSON. */
function ask<T>(command: QueryCommand<T>, index: KernelIndex, argument: string): Record<string, unknown> {
  const { results, json: about } = command.answer(index, argument);
  return JSON.parse(JSON.stringify({ ...about, results })) as Record<string, unknown>;
}

/** The same, with a refusal (no call at that position, no such struct) as the error's message. */
function tryAsk<T>(
  command: QueryCommand<T>,
  index: KernelIndex,
  argument: string,
): { json: Record<string, unknown> } | { refused: string } {
  try {
    return { json: ask(command, index, argument) };
  } catch (error) {
    return { refused: error instanceof Error ? error.message : String(error) };
  }
}

class SourceFiles {
  private readonly texts = new Map<string, { text: string; lines: string[] } | undefined>();
  constructor(private readonly root: string) {}

  private read(file: string): { text: string; lines: string[] } | undefined {
    if (!this.texts.has(file)) {
      let text: string | undefined;
      try {
        text = readFileSync(join(this.root, file), 'utf8');
      } catch {
        text = undefined;
      }
      this.texts.set(file, text === undefined ? undefined : { text, lines: text.split('\n') });
    }
    return this.texts.get(file);
  }

  text(file: string): string | undefined {
    return this.read(file)?.text;
  }

  line(file: string, line: number): string | undefined {
    return this.read(file)?.lines[line - 1];
  }
}

function seconds(startedMs: number): string {
  return `${((performance.now() - startedMs) / 1000).toFixed(1)} s`;
}

// ---- Part 1: go-to-definition against GNU global ----

interface Use {
  name: string;
  file: string;
  line: number;
  column: number;
  definition: Tag;
  /** What global's definition is, read from its line. */
  kind: string;
}

interface UseListing {
  uses: Use[];
  references: number;
  /** Global's definitions of every name referenced under net/, by name. */
  definitions: Map<string, Tag[]>;
  /** References left out because global's one definition cannot be told right from wrong there. */
  leftOut: Map<string, number>;
}

async function unambiguousUses(tree: string, dbDir: string, sources: SourceFiles): Promise<UseListing> {
  const references = await globalReferences(tree, dbDir, usesFolder);
  const definitions = await globalDefinitions(tree, dbDir, new Set(references.map((tag) => tag.name)));
  const seenOnLine = new Map<string, number>();
  const uses: Use[] = [];
  const leftOut = new Map<string, number>();
  const leave = (reason: string) => leftOut.set(reason, (leftOut.get(reason) ?? 0) + 1);
  for (const reference of references) {
    const key = `${reference.file}:${reference.line}:${reference.name}`;
    const nth = seenOnLine.get(key) ?? 0;
    seenOnLine.set(key, nth + 1);
    const proper = (definitions.get(reference.name) ?? []).filter((tag) => isKernelProper(tag.file));
    if (proper.length !== 1) {
      leave(
        proper.length === 0
          ? 'no definition in the kernel proper'
          : 'several definitions in the kernel proper',
      );
      continue;
    }
    const lineText = sources.line(reference.file, reference.line);
    const column = lineText === undefined ? undefined : wordColumn(lineText, reference.name, nth);
    if (lineText === undefined || column === undefined) {
      leave('not found on its line');
      continue;
    }
    const definition = proper[0];
    const kind = definitionKind(sources.line(definition.file, definition.line) ?? '', reference.name);
    const syntax = useSyntax(lineText, column, reference.name);
    if (!isComparable(syntax, kind, reference.name)) {
      leave(
        syntax === 'member'
          ? 'a member access (global has no fields)'
          : 'a bare lower-case name that is not a macro or typedef (global has no locals)',
      );
      continue;
    }
    uses.push({ ...reference, column, definition, kind });
  }
  return { uses, references: references.length, definitions, leftOut };
}

interface DefinitionAnswer {
  file: string;
  line: number;
  /** A parameter or local of the use's function. */
  isLocal: boolean;
}

/**
 * What `knr definition FILE:LINE:COL` answers, best first (the two index calls it makes, on the line
 * text read once per file here rather than once per question).
 */
function knrDefinitions(
  index: KernelIndex,
  use: Use,
  sources: SourceFiles,
  locals: LocalDeclarations,
): DefinitionAnswer[] {
  const lineText = sources.line(use.file, use.line) ?? '';
  const target = targetAt(index, use.file, lineText, use.line - 1, use.column - 1);
  if (!target) return [];
  const readLine = (line: number) => sources.line(use.file, line + 1);
  return definitionsOf(index, use.file, target, { declarations: locals, readLine }).map((symbol) => ({
    file: symbol.file,
    line: symbol.span.line + 1,
    isLocal: symbol.kind === 'local',
  }));
}

async function compareWithGlobal(index: KernelIndex, options: Options): Promise<void> {
  console.log(`\n== Go-to-definition against GNU global (uses under ${usesFolder}/) ==`);
  if (!globalIsInstalled()) {
    console.log(installHint);
    process.exitCode = 1;
    return;
  }
  const sources = new SourceFiles(options.kernel);
  const locals = await LocalDeclarations.create();
  const dbDir = options.gtagsDb ?? join(repoRoot, '.cache', 'bench', `gtags-${index.version}`);
  let started = performance.now();
  const built = ensureGtagsDatabase(options.kernel, dbDir, index.files());
  console.log(
    built
      ? `gtags built its tag files in ${dbDir} in ${seconds(started)}`
      : `reusing global's tag files in ${dbDir}`,
  );

  started = performance.now();
  const {
    uses: all,
    references,
    definitions,
    leftOut,
  } = await unambiguousUses(options.kernel, dbDir, sources);
  console.log(
    `global: ${references} references under ${usesFolder}/, ${all.length} of them comparable: to a name with ` +
      `exactly one definition in the kernel proper (listed in ${seconds(started)}); left out:`,
  );
  for (const [reason, count] of [...leftOut].sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(count).padStart(8)}  ${reason}`);
  const uses = options.uses > 0 && options.uses < all.length ? pick(all, options.uses, options.seed) : all;
  if (uses !== all) console.log(`asking knr about ${uses.length} of them, picked with seed ${options.seed}`);

  started = performance.now();
  let agreed = 0;
  const locallyDeclared: { use: Use; local: DefinitionAnswer }[] = [];
  const classes = new Map<string, Use[]>();
  const firstAnswers = new Map<Use, DefinitionAnswer | undefined>();
  for (const [done, use] of uses.entries()) {
    if (done > 0 && done % progressEvery === 0)
      process.stderr.write(`  ${done} of ${uses.length} uses asked, ${seconds(started)}\n`);
    const answers = knrDefinitions(index, use, sources, locals);
    if (answers[0]?.isLocal) {
      locallyDeclared.push({ use, local: answers[0] });
      continue;
    }
    const result = outcome(use.definition, answers);
    if (result === 'agree') {
      agreed++;
      continue;
    }
    const key = `${result}, global's definition a ${use.kind}`;
    const members = classes.get(key);
    if (members) members.push(use);
    else classes.set(key, [use]);
    firstAnswers.set(use, answers[0]);
  }
  console.log(`knr answered ${uses.length} uses in ${seconds(started)}`);
  const compared = uses.length - locallyDeclared.length;
  console.log(
    `${locallyDeclared.length} uses left out: knr found a parameter or local of that name in scope there, ` +
      "which shadows global's file-scope definition (global has no locals); for example:",
  );
  for (const { use, local } of locallyDeclared.slice(0, options.examples))
    console.log(
      `          ${use.file}:${use.line}:${use.column} ${use.name}: global ${use.definition.file}:${use.definition.line}` +
        `, knr ${local.file}:${local.line}: ${sources.line(local.file, local.line)?.trim()}`,
    );
  console.log(
    `agreement (knr's first answer is global's definition): ${percent(agreed, compared)}` +
      ` (counting the uses left out above as disagreements: ${percent(agreed, uses.length)})`,
  );
  console.log("disagreements by class (what knr answered; what global's definition is):");
  for (const [key, members] of [...classes].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${String(members.length).padStart(6)}  ${key}`);
    for (const use of members.slice(0, options.examples)) {
      const first = firstAnswers.get(use);
      console.log(
        `          ${use.file}:${use.line}:${use.column} ${use.name}: global ${use.definition.file}:${use.definition.line}` +
          `, knr ${first ? `${first.file}:${first.line}` : '-'}`,
      );
    }
  }
  functionLikeMacros(index, definitions, sources);
}

/**
 * Every `#define NAME(` in the kernel proper that global lists for a name referenced under net/: does
 * `knr definition NAME` list that very line?
 */
function functionLikeMacros(index: KernelIndex, definitions: Map<string, Tag[]>, sources: SourceFiles): void {
  let macros = 0;
  let known = 0;
  const missing: string[] = [];
  for (const [name, tags] of definitions) {
    const macroTags = tags.filter(
      (tag) =>
        isKernelProper(tag.file) &&
        definitionKind(sources.line(tag.file, tag.line) ?? '', name) === 'function-like macro',
    );
    if (macroTags.length === 0) continue;
    const answered = new Set(
      preferredDefinitions(index, name).map((symbol) => `${symbol.file}:${symbol.span.line + 1}`),
    );
    for (const tag of macroTags) {
      macros++;
      if (answered.has(`${tag.file}:${tag.line}`)) known++;
      else missing.push(`${name} ${tag.file}:${tag.line}`);
    }
  }
  console.log(
    `function-like macros with a definition: ${percent(known, macros)} (each #define NAME( in the kernel proper of a name referenced under ${usesFolder}/, by knr definition NAME)`,
  );
  if (missing.length > 0) console.log(`  missing (${missing.length}): ${missing.slice(0, 10).join(', ')}`);
}

// ---- Part 2: the hand-judged sample ----

function where(position: TextPosition): string {
  return `${position.file} "${position.snippet}"${position.occurrence > 1 ? ` #${position.occurrence}` : ''}`;
}

function printScore(label: string, score: SetScore, examples: number): void {
  console.log(
    `${label.padEnd(10)} precision ${percent(score.truePositives, score.reported).padEnd(20)} recall ${percent(score.truePositives, score.expected)}`,
  );
  if (score.missed.length > 0)
    console.log(
      `           missed (${score.missed.length}): ${score.missed.slice(0, examples * 3).join(', ')}`,
    );
  if (score.extra.length > 0)
    console.log(`           wrong (${score.extra.length}): ${score.extra.slice(0, examples * 3).join(', ')}`);
}

function judgedScores(sets: readonly JudgedSet[], answers: (query: string) => string[]): SetScore {
  return sumScores(
    sets.map((set) => {
      const score = scoreSet(answers(set.query), set.expected);
      return {
        ...score,
        missed: score.missed.map((answer) => `${set.query}: ${answer}`),
        extra: score.extra.map((answer) => `${set.query}: ${answer}`),
      };
    }),
  );
}

function results(json: { json: Record<string, unknown> } | { refused: string }): Record<string, unknown>[] {
  return 'json' in json ? (json.json.results as Record<string, unknown>[]) : [];
}

function judgedSample(index: KernelIndex, options: Options): void {
  const series = /^\d+\.\d+/.exec(index.version)?.[0] ?? index.version;
  const file = options.sample ?? join(repoRoot, 'test', 'nav-sample', `${series}.json`);
  console.log(`\n== Hand-judged sample (${file}) ==`);
  const sample = parseNavSample(readFileSync(file, 'utf8'), file);
  const sources = new SourceFiles(options.kernel);

  let right = 0;
  let answered = 0;
  const wrong: string[] = [];
  for (const site of sample.structAtCallSite) {
    const text = sources.text(site.at.file);
    const at = text === undefined ? undefined : locate(text, site.at);
    if (!at) {
      wrong.push(`${where(site.at)}: snippet not found (counted as a miss)`);
      continue;
    }
    const answer = tryAsk(resolveCommand, index, `${site.at.file}:${at.line}:${at.column}`);
    const struct = 'json' in answer ? (answer.json.call as { struct?: string }).struct : undefined;
    if (struct !== undefined) answered++;
    if (struct === site.struct) right++;
    else
      wrong.push(
        `${site.at.file}:${at.line}:${at.column} ${site.at.identifier}: expected ${site.struct}, knr ${'json' in answer ? (struct ?? '(no struct)') : answer.refused}`,
      );
  }
  const sites = sample.structAtCallSite.length;
  console.log(
    `${'struct'.padEnd(10)} precision ${percent(right, answered).padEnd(20)} recall ${percent(right, sites)}  (struct type at ${sites} indirect call sites, knr resolve)`,
  );
  for (const line of wrong.slice(0, options.examples * 3)) console.log(`           ${line}`);

  printScore(
    'impls',
    judgedScores(sample.impls, (field) =>
      results(tryAsk(implsCommand, index, field)).map((r) => String(r.function)),
    ),
    options.examples,
  );
  printScore(
    'callers',
    judgedScores(sample.callers, (fn) =>
      results(tryAsk(callersCommand, index, fn))
        .filter((r) => r.how === 'direct')
        .map((r) => `${(r.call as { file: string }).file}:${String(r.function)}`),
    ),
    options.examples,
  );
  printScore(
    'callees',
    judgedScores(sample.callees, (fn) =>
      results(tryAsk(calleesCommand, index, fn))
        .filter((r) => r.how === 'direct')
        .map((r) => String(r.function)),
    ),
    options.examples,
  );
  console.log(
    '(callers and callees: calls by name, functions and function-like macros, each caller as FILE:FUNCTION; calls through a field are measured by struct and impls)',
  );
}

/** The machine is shared: a figure taken under a load well above the core count says more about the neighbours. */
const loadAverage = () => `load average ${loadavg()[0].toFixed(1)}`;

async function main(): Promise<void> {
  const options = readOptions();
  const started = performance.now();
  const index = await openIndex(options.kernel, { cache: options.cache });
  console.log(
    `knr index of ${options.kernel} (${index.version}) open in ${seconds(started)}; ${loadAverage()}`,
  );
  if (options.parts.has('global')) await compareWithGlobal(index, options);
  if (options.parts.has('sample')) judgedSample(index, options);
  console.log(`\nbench:nav took ${seconds(started)}; ${loadAverage()}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:nav: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
