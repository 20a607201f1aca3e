// Turns a scenario's C text into a ScenarioProgram with tree-sitter-c. Only the shapes documented in
// docs/scenarios.md are accepted; anything else is a diagnostic at its position, never an exception.
// Long because it is one grammar: each accepted C shape beside the diagnostic for the shapes it refuses.
import type { Node } from 'web-tree-sitter';
import { basename } from 'node:path';
import type { Span } from '../index/facts';
import { createCParser } from '../parse/c-parser';
import type { Expr, InitEntry, ScenarioDiagnostic, ScenarioProgram, Statement, TypeName } from './ast';
import { spanOf } from '../parse/node-span';
import { syntaxErrors } from './syntax-errors';

export interface ParsedScenario {
  program?: ScenarioProgram;
  diagnostics: ScenarioDiagnostic[];
}

class Unsupported extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

function unsupported(node: Node, what: string): never {
  const text = node.text.replace(/\s+/g, ' ').slice(0, 60);
  throw new Unsupported(`${what} is not supported in a scenario: '${text}'`, spanOf(node));
}

function field(node: Node, name: string): Node {
  const child = node.childForFieldName(name);
  if (!child) unsupported(node, `this ${node.type.replace(/_/g, ' ')}`);
  return child;
}

function parseNumber(node: Node): number {
  const text = node.text.replace(/[uUlL]+$/, '');
  const value = /^0[0-7]+$/.test(text) ? parseInt(text, 8) : Number(text);
  if (!Number.isInteger(value)) unsupported(node, 'this number');
  return value;
}

function unescape(node: Node, text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, (_all, escape: string) => {
    if (escape.startsWith('x')) return String.fromCharCode(parseInt(escape.slice(1), 16));
    if (/^[0-7]/.test(escape)) return String.fromCharCode(parseInt(escape, 8));
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '0': '\0',
      '\\': '\\',
      '"': '"',
      "'": "'",
    };
    if (simple[escape] === undefined) unsupported(node, `the escape \\${escape}`);
    return simple[escape];
  });
}

function stringValue(node: Node): string {
  if (node.type === 'concatenated_string') return node.namedChildren.map(stringValue).join('');
  if (node.type !== 'string_literal') unsupported(node, 'this string');
  return unescape(node, node.text.slice(1, -1));
}

function typeName(typeNode: Node, declarator?: Node | null): TypeName {
  let base: string;
  if (typeNode.type === 'struct_specifier') base = `struct ${field(typeNode, 'name').text}`;
  else if (['primitive_type', 'type_identifier', 'sized_type_specifier'].includes(typeNode.type)) {
    base = typeNode.text.replace(/\s+/g, ' ');
  } else unsupported(typeNode, 'this type');
  let pointer = 0;
  for (
    let d = declarator;
    d && (d.type === 'abstract_pointer_declarator' || d.type === 'pointer_declarator');
  ) {
    pointer++;
    d = d.childForFieldName('declarator');
  }
  return { base, pointer };
}

const binaryOperators = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '|',
  '&',
  '^',
  '<<',
  '>>',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
]);

function expression(node: Node): Expr {
  const span = spanOf(node);
  switch (node.type) {
    case 'number_literal':
      return { kind: 'number', value: parseNumber(node), span };
    case 'char_literal': {
      const text = unescape(node, node.text.slice(1, -1));
      return { kind: 'number', value: text.charCodeAt(0), span };
    }
    case 'string_literal':
    case 'concatenated_string':
      return { kind: 'string', value: stringValue(node), span };
    case 'null':
      return { kind: 'null', span };
    case 'true':
    case 'false':
      return { kind: 'number', value: node.type === 'true' ? 1 : 0, span };
    case 'identifier':
      return { kind: 'name', name: node.text, span };
    case 'parenthesized_expression':
      return expression(node.namedChildren[0] ?? unsupported(node, 'an empty parenthesis'));
    case 'call_expression': {
      const callee = field(node, 'function');
      if (callee.type !== 'identifier') unsupported(callee, 'an indirect call');
      const args = field(node, 'arguments')
        .namedChildren.filter((n) => n.type !== 'comment')
        .map(expression);
      return { kind: 'call', callee: callee.text, args, span, calleeSpan: spanOf(callee) };
    }
    case 'pointer_expression': {
      const operator = node.child(0)?.text;
      if (operator !== '&' && operator !== '*') unsupported(node, 'this pointer expression');
      return { kind: 'unary', operator, operand: expression(field(node, 'argument')), span };
    }
    case 'unary_expression': {
      const operator = field(node, 'operator').text;
      if (!['-', '~', '!', '+'].includes(operator)) unsupported(node, `the operator ${operator}`);
      return {
        kind: 'unary',
        operator: operator as '-' | '~' | '!' | '+',
        operand: expression(field(node, 'argument')),
        span,
      };
    }
    case 'binary_expression': {
      const operator = field(node, 'operator').text;
      if (!binaryOperators.has(operator)) unsupported(node, `the operator ${operator}`);
      return {
        kind: 'binary',
        operator,
        left: expression(field(node, 'left')),
        right: expression(field(node, 'right')),
        span,
      };
    }
    case 'conditional_expression':
      return {
        kind: 'conditional',
        condition: expression(field(node, 'condition')),
        consequence: expression(field(node, 'consequence')),
        alternative: expression(field(node, 'alternative')),
        span,
      };
    case 'sizeof_expression': {
      const type = node.childForFieldName('type');
      if (type) return { kind: 'sizeof-type', type: descriptor(type), span };
      return { kind: 'sizeof-expr', operand: expression(field(node, 'value')), span };
    }
    case 'cast_expression':
      return {
        kind: 'cast',
        type: descriptor(field(node, 'type')),
        operand: expression(field(node, 'value')),
        span,
      };
    case 'initializer_list':
      return {
        kind: 'init-list',
        entries: node.namedChildren.filter((n) => n.type !== 'comment').map(initEntry),
        span,
      };
    case 'field_expression': {
      const arrow = node.child(1)?.text === '->';
      return {
        kind: 'field',
        object: expression(field(node, 'argument')),
        field: field(node, 'field').text,
        arrow,
        span,
      };
    }
    default:
      return unsupported(node, `a ${node.type.replace(/_/g, ' ')}`);
  }
}

function descriptor(node: Node): TypeName {
  if (node.type !== 'type_descriptor') unsupported(node, 'this type');
  return typeName(field(node, 'type'), node.childForFieldName('declarator'));
}

function initEntry(node: Node): InitEntry {
  if (node.type !== 'initializer_pair') return { value: expression(node) };
  const designator = node.childrenForFieldName('designator').map((d) => {
    if (d.type !== 'field_designator') unsupported(d, 'an array designator');
    return d.text.replace(/^\./, '');
  });
  return { designator, value: expression(field(node, 'value')) };
}

function declaration(node: Node): Statement[] {
  const type = field(node, 'type');
  const qualifiers = node.namedChildren.filter(
    (n) => n.type === 'type_qualifier' || n.type === 'storage_class_specifier',
  );
  if (qualifiers.some((q) => q.text !== 'const')) unsupported(node, `'${qualifiers[0].text}' in main`);
  return node.childrenForFieldName('declarator').map((declarator) => {
    const span = spanOf(node);
    let target = declarator;
    let init: Expr | undefined;
    if (declarator.type === 'init_declarator') {
      init = expression(field(declarator, 'value'));
      target = field(declarator, 'declarator');
    }
    let array: Expr | 'unsized' | undefined;
    if (target.type === 'array_declarator') {
      const size = target.childForFieldName('size');
      array = size ? expression(size) : 'unsized';
      target = field(target, 'declarator');
    }
    const resolvedType = typeName(type, target);
    while (target.type === 'pointer_declarator') target = field(target, 'declarator');
    if (target.type !== 'identifier') unsupported(target, 'this declarator');
    return { kind: 'declaration', type: resolvedType, name: target.text, array, init, span } as Statement;
  });
}

function forStatement(node: Node): Statement {
  const span = spanOf(node);
  const init = field(node, 'initializer');
  let variable: string;
  let start: Expr;
  if (init.type === 'declaration') {
    const [decl] = declaration(init);
    if (decl.kind !== 'declaration' || !decl.init) unsupported(init, 'a loop without a start value');
    variable = decl.name;
    start = decl.init;
  } else if (init.type === 'assignment_expression') {
    variable = field(init, 'left').text;
    start = expression(field(init, 'right'));
  } else unsupported(init, 'this loop initialiser');
  const condition = field(node, 'condition');
  const operator = condition.childForFieldName('operator')?.text;
  if (condition.type !== 'binary_expression' || (operator !== '<' && operator !== '<=')) {
    unsupported(condition, 'a loop condition other than `i < N` or `i <= N`');
  }
  if (field(condition, 'left').text !== variable) unsupported(condition, `a condition not on ${variable}`);
  const update = field(node, 'update');
  const updateText = update.text.replace(/\s+/g, '');
  if (![`${variable}++`, `++${variable}`, `${variable}+=1`].includes(updateText)) {
    unsupported(update, 'a loop step other than `i++`');
  }
  const body = field(node, 'body');
  return {
    kind: 'for',
    variable,
    start,
    bound: expression(field(condition, 'right')),
    inclusive: operator === '<=',
    body: body.type === 'compound_statement' ? statements(body) : statement(body),
    span,
  };
}

function statement(node: Node): Statement[] {
  const span = spanOf(node);
  switch (node.type) {
    case 'declaration':
      return declaration(node);
    case 'expression_statement': {
      const inner = node.namedChildren[0];
      if (!inner) return [];
      if (inner.type === 'assignment_expression') {
        if (field(inner, 'operator').text !== '=') unsupported(inner, 'a compound assignment');
        const left = field(inner, 'left');
        if (left.type !== 'identifier') unsupported(left, 'an assignment to anything but a variable');
        return [{ kind: 'assignment', target: left.text, value: expression(field(inner, 'right')), span }];
      }
      return [{ kind: 'expression', expr: expression(inner), span }];
    }
    case 'for_statement':
      return [forStatement(node)];
    case 'return_statement':
      return [{ kind: 'return', span }];
    case 'compound_statement':
      return statements(node);
    case 'comment':
      return [];
    default:
      return unsupported(node, `a ${node.type.replace(/_/g, ' ')}`);
  }
}

function statements(block: Node): Statement[] {
  return block.namedChildren.flatMap(statement);
}

function description(root: Node): string | undefined {
  for (const node of root.namedChildren) {
    if (node.type !== 'declaration') continue;
    const declarator = node.childForFieldName('declarator');
    const name = declarator?.childForFieldName('declarator')?.childForFieldName('declarator');
    if (declarator?.type === 'init_declarator' && name?.text === 'knr_description') {
      return stringValue(field(declarator, 'value')).replace(/\s+/g, ' ').trim();
    }
  }
  return undefined;
}

export async function parseScenario(source: string, file: string): Promise<ParsedScenario> {
  const parser = await createCParser();
  const tree = parser.parse(source);
  parser.delete();
  if (!tree)
    return {
      diagnostics: [{ message: 'tree-sitter could not parse the file', severity: 'error', span: zeroSpan }],
    };
  try {
    const root = tree.rootNode;
    const diagnostics = syntaxErrors(root, source);
    if (diagnostics.length > 0) return { diagnostics };
    const main = root.namedChildren.find(
      (n) =>
        n.type === 'function_definition' &&
        n.childForFieldName('declarator')?.childForFieldName('declarator')?.text === 'main',
    );
    if (!main) {
      return {
        diagnostics: [
          { message: 'a scenario needs a function `int main(void)`', severity: 'error', span: zeroSpan },
        ],
      };
    }
    try {
      const program: ScenarioProgram = {
        name: basename(file).replace(/\.c$/, ''),
        file,
        description: description(root),
        statements: statements(field(main, 'body')),
        span: spanOf(main),
      };
      return { program, diagnostics: [] };
    } catch (error) {
      if (error instanceof Unsupported)
        return { diagnostics: [{ message: error.message, severity: 'error', span: error.span }] };
      throw error;
    }
  } finally {
    tree.delete();
  }
}

const zeroSpan: Span = { line: 0, column: 0, endLine: 0, endColumn: 0 };
