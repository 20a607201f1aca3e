// knr definition NAME | FILE:LINE:COL: what the editor's go-to-definition answers, for scripts and tests.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { definitionsOf, preferredDefinitions } from '../../index/definition-lookup';
import type { KernelIndex } from '../../index/kernel-index';
import { LocalDeclarations } from '../../index/local-declarations';
import type { SymbolLocation } from '../../index/queries';
import { targetAt } from '../../index/target';
import { booleanFlag, parseArgs, UsageError } from '../args';
import type { Command } from '../command';
import { kernelOptionsUsage } from '../kernel-args';
import { timedQuery } from '../query-command';

interface Position {
  file: string;
  line: number;
  column: number;
}

/** `net/socket.c:120:9` (1-based), the file relative to the tree root or absolute inside it. */
function parsePosition(argument: string): Position | undefined {
  const match = /^(.+):(\d+):(\d+)$/.exec(argument);
  if (!match) return undefined;
  const [, file, line, column] = match;
  if (+line < 1 || +column < 1) throw new UsageError(`'${argument}': LINE and COL count from 1`);
  return { file, line: +line, column: +column };
}

/** A problem with the asked position: named, and not a usage error (the command was used right). */
export class PositionError extends Error {}

function treeRelative(index: KernelIndex, file: string): string {
  const relativePath = isAbsolute(file) ? relative(index.root, file) : file.replace(/^\.\//, '');
  if (relativePath.startsWith('..') || isAbsolute(relativePath))
    throw new PositionError(`${file} is outside the kernel tree ${index.root}`);
  return relativePath.split('\\').join('/');
}

interface Answer {
  /** What was asked: the name, or the identifier at the position and where it is. */
  asked: string;
  symbols: SymbolLocation[];
}

export type DefinitionJson = ReturnType<typeof definitionJson>;

export interface DefinitionAnswer {
  asked: string;
  /** Best first, in the `--json` shape (`knr mcp` answers with the same). */
  definitions: DefinitionJson[];
}

/** One parser for every question of this process (`knr mcp` asks many). */
let localDeclarations: Promise<LocalDeclarations> | undefined;

/**
 * The query for NAME or for the identifier at FILE:LINE:COL. The argument is checked at once (a
 * UsageError, before any index is opened); the query throws PositionError for a position that is not
 * on an identifier of the tree.
 */
export async function definitionQuery(argument: string): Promise<(index: KernelIndex) => DefinitionAnswer> {
  const position = parsePosition(argument);
  if (!position && !/^[A-Za-z_]\w*$/.test(argument))
    throw new UsageError(`'${argument}' is neither a NAME (a C identifier) nor FILE:LINE:COL`);
  const locals = position && (await (localDeclarations ??= LocalDeclarations.create()));
  return (index) => {
    const answer =
      position && locals ? definitionsAt(index, position, locals) : definitionsNamed(index, argument);
    return { asked: answer.asked, definitions: answer.symbols.map(definitionJson) };
  };
}

function definitionsAt(index: KernelIndex, position: Position, locals: LocalDeclarations): Answer {
  const file = treeRelative(index, position.file);
  let text: string;
  try {
    text = readFileSync(join(index.root, file), 'utf8');
  } catch {
    throw new PositionError(`${file}: no such file in the kernel tree ${index.root}`);
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (position.line > lines.length)
    throw new PositionError(
      `${file}:${position.line}: past the end of the file, which has ${lines.length} lines`,
    );
  const lineText = lines[position.line - 1];
  const target = targetAt(index, file, lineText, position.line - 1, position.column - 1);
  if (!target) {
    const where = `${file}:${position.line}:${position.column}`;
    const beyond = position.column > lineText.length + 1;
    throw new PositionError(
      beyond
        ? `${where}: past the end of the line, which has ${lineText.length} characters`
        : `${where}: not on an identifier (the line reads: ${lineText.trim()})`,
    );
  }
  return {
    asked: `${target.word.name} (at ${file}:${position.line}:${position.column})`,
    symbols: definitionsOf(index, file, target, {
      declarations: locals,
      readLine: (line) => lines[line],
    }),
  };
}

/** A NAME alone: every kind of definition, structs included (no context says which namespace). */
function definitionsNamed(index: KernelIndex, name: string): Answer {
  return { asked: name, symbols: preferredDefinitions(index, name) };
}

function definitionJson(symbol: SymbolLocation) {
  return {
    name: symbol.name,
    kind: symbol.kind,
    file: symbol.file,
    line: symbol.span.line + 1,
    column: symbol.span.column + 1,
    endLine: (symbol.extent ?? symbol.span).endLine + 1,
  };
}

export const definitionCommand: Command = {
  name: 'definition',
  summary: 'where NAME, or the identifier at FILE:LINE:COL, is defined (what go-to-definition answers)',
  usage: [
    'knr definition NAME | FILE:LINE:COL --kernel DIR [--cache DIR] [--arch ARCH] [--json]',
    '',
    "Answers what the editor's go-to-definition answers, best first. At FILE:LINE:COL (FILE relative",
    'to the kernel root, LINE and COL 1-based as compilers print them) the identifier there is resolved',
    'as the editor would: a parameter or local in scope first, then a static of that file, a field',
    'through its struct, `struct x` as a tag.',
    'A NAME alone lists its definitions of every kind.',
    'Prints one line per definition, `file:line:column kind name`; --json prints an array of',
    '{ name, kind, file, line, column, endLine }. Exit status 1 when nothing is found.',
    '',
    kernelOptionsUsage,
  ].join('\n'),
  booleans: ['json'],
  async run(argv, output, open) {
    const args = parseArgs(argv, this.booleans);
    const [argument, ...extra] = args.positional;
    if (!argument) throw new UsageError('missing NAME or FILE:LINE:COL');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const query = await definitionQuery(argument);
    let answer: DefinitionAnswer;
    try {
      ({ result: answer } = await timedQuery(args, output, this.name, query, open));
    } catch (error) {
      if (!(error instanceof PositionError)) throw error;
      output.err(`knr definition: ${error.message}`);
      return 1;
    }
    if (answer.definitions.length === 0) {
      output.err(`knr definition: no definition of ${answer.asked} in the tree`);
      return 1;
    }
    const found = answer.definitions;
    if (booleanFlag(args, 'json')) output.out(JSON.stringify(found, null, 2));
    else for (const d of found) output.out(`${d.file}:${d.line}:${d.column} ${d.kind} ${d.name}`);
    return 0;
  },
};
