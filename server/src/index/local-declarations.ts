// Where a name used inside a function is declared in that function: a parameter, or a local of an
// enclosing block declared before the use. The index keeps no locals (a tree has millions), so the
// enclosing function's text is parsed when asked; a local shadows every global of its name.
import type { Node, Parser } from 'web-tree-sitter';
import { createCParser } from '../parse/c-parser';
import type { FunctionFact, Span } from './facts';
import type { IndexQueries, SymbolLocation } from './queries';

/** Reads one 0-based line of a file of the tree: the editor's text when open, else the file's. */
export type LineReader = (line: number) => string | undefined;

/** The identifier a declarator declares: `c` in `*c`, `buf[16]`, `(*fn)(int)`, `x = 1`. */
function declaredName(declarator: Node | null): Node | undefined {
  let node = declarator;
  while (node) {
    if (node.type === 'identifier') return node;
    if (node.type === 'parenthesized_declarator' || node.type === 'attributed_declarator')
      node =
        node.namedChildren.find((child) => child !== null && child.type !== 'attribute_specifier') ?? null;
    else node = node.childForFieldName('declarator');
  }
  return undefined;
}

/** `struct htb_class *c` for `c` in `struct htb_class *c, *p;`: the type and the one declarator. */
function declarationText(declaration: Node, declarator: Node): string {
  const type = declaration.childForFieldName('type')?.text ?? '';
  const qualifiers = declaration.namedChildren
    .filter((child) => child !== null && child.type === 'type_qualifier')
    .map((child) => child!.text);
  const declared =
    declarator.type === 'init_declarator' ? declarator.childForFieldName('declarator') : declarator;
  return [...qualifiers, type, declared?.text ?? ''].join(' ').replace(/\s+/g, ' ').trim();
}

interface Declared {
  name: Node;
  text: string;
}

/** The names a declaration or parameter declaration introduces. */
function namesDeclaredBy(declaration: Node): Declared[] {
  const found: Declared[] = [];
  for (const declarator of declaration.childrenForFieldName('declarator')) {
    const name = declaredName(declarator);
    if (declarator && name) found.push({ name, text: declarationText(declaration, declarator) });
  }
  return found;
}

function parametersOf(definition: Node): Node[] {
  let declarator = definition.childForFieldName('declarator');
  while (declarator && declarator.type !== 'function_declarator')
    declarator = declarator.childForFieldName('declarator');
  const list = declarator?.childForFieldName('parameters');
  return list
    ? list.namedChildren.filter((child): child is Node => child?.type === 'parameter_declaration')
    : [];
}

/** The declaration of `use`'s name that is in scope at `use`, innermost first. */
function declarationInScope(use: Node): (Declared & { isParameter: boolean }) | undefined {
  const name = use.text;
  for (let scope = use.parent; scope; scope = scope.parent) {
    const candidates: { declaration: Node; isParameter: boolean }[] = [];
    if (scope.type === 'compound_statement') {
      for (const child of scope.namedChildren)
        if (child?.type === 'declaration' && child.startIndex <= use.startIndex)
          candidates.push({ declaration: child, isParameter: false });
    } else if (scope.type === 'for_statement') {
      const initializer = scope.childForFieldName('initializer');
      if (initializer?.type === 'declaration')
        candidates.push({ declaration: initializer, isParameter: false });
    } else if (scope.type === 'function_definition') {
      for (const parameter of parametersOf(scope))
        candidates.push({ declaration: parameter, isParameter: true });
    }
    // The last declaration before the use wins (a redeclaration in the same block is an error anyway).
    for (const { declaration, isParameter } of candidates.reverse()) {
      const declared = namesDeclaredBy(declaration).find(
        (entry) => entry.name.text === name && entry.name.startIndex <= use.startIndex,
      );
      if (declared) return { ...declared, isParameter };
    }
    if (scope.type === 'function_definition') return undefined;
  }
  return undefined;
}

export class LocalDeclarations {
  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<LocalDeclarations> {
    return new LocalDeclarations(await createCParser());
  }

  /**
   * The parameter or local that `name` at (line, column) of `file` names (0-based), if the position is
   * inside a function definition the index knows and the name is declared in it before the use.
   */
  at(
    index: IndexQueries,
    file: string,
    readLine: LineReader,
    line: number,
    column: number,
    name: string,
  ): SymbolLocation | undefined {
    return this.inFunction(index, file, readLine, line, (root, fn) => {
      const use = root.descendantForPosition({ row: line - fn.span.line, column });
      if (use?.type !== 'identifier' || use.text !== name) return undefined;
      const declared = declarationInScope(use);
      if (!declared) return undefined;
      return {
        kind: 'local',
        name,
        file,
        span: spanIn(fn, declared.name),
        container: fn.name,
        detail: `${declared.text}${declared.isParameter ? ' (parameter)' : ' (local)'}`,
      };
    });
  }

  /** Every use of the parameter or local `declaration` in its function, the declaration included. */
  uses(index: IndexQueries, readLine: LineReader, declaration: SymbolLocation): Span[] {
    const { file, span, name } = declaration;
    return (
      this.inFunction(index, file, readLine, span.line, (root, fn) =>
        root
          .descendantsOfType('identifier')
          .filter((node): node is Node => node !== null && node.text === name)
          .filter((node) => {
            const declared = declarationInScope(node);
            if (!declared) return false;
            const at = spanIn(fn, declared.name);
            return at.line === span.line && at.column === span.column;
          })
          .map((node) => spanIn(fn, node)),
      ) ?? []
    );
  }

  /** Parses the function of `file` around `line`; rows of the parse count from the function's first line. */
  private inFunction<T>(
    index: IndexQueries,
    file: string,
    readLine: LineReader,
    line: number,
    read: (root: Node, fn: FunctionFact) => T | undefined,
  ): T | undefined {
    const fn = index.functionAt(file, line);
    if (!fn) return undefined;
    const lines: string[] = [];
    for (let at = fn.span.line; at <= fn.span.endLine; at++) {
      const text = readLine(at)?.replace(/\r?\n$/, '');
      if (text === undefined) return undefined;
      // Blanks before the function keep its first line's columns.
      lines.push(at === fn.span.line ? ' '.repeat(fn.span.column) + text.slice(fn.span.column) : text);
    }
    const tree = this.parser.parse(lines.join('\n'));
    if (!tree) return undefined;
    try {
      return read(tree.rootNode, fn);
    } finally {
      tree.delete();
    }
  }
}

/** A node's span in the file, from its position in the parsed function. */
function spanIn(fn: FunctionFact, node: Node): Span {
  return {
    line: fn.span.line + node.startPosition.row,
    column: node.startPosition.column,
    endLine: fn.span.line + node.endPosition.row,
    endColumn: node.endPosition.column,
  };
}
