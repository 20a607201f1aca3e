// Turns one parsed C file into FileFacts. Runs inside a parser worker; knows tree-sitter, not LSP.
import type { Node, Query, Tree } from 'web-tree-sitter';
import {
  emptyFileFacts,
  type BindingFact,
  type CallFact,
  type FieldFact,
  type FileFacts,
  type FunctionFact,
  type SlotFact,
  type Span,
  type StructFact,
  type TypePath,
} from './facts';
import { macroValue } from './lexical-macros';
import { containerOfMacros, indirectCallWrappers, registrars, transparentAccessors } from './kernel-macros';

export function spanOf(node: Node): Span {
  return {
    line: node.startPosition.row,
    column: node.startPosition.column,
    endLine: node.endPosition.row,
    endColumn: node.endPosition.column,
  };
}

const foldSpace = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The struct/union tag or typedef name a type node names: `proto_ops` for `const struct proto_ops`. */
function typeTagOf(typeNode: Node | null): string | undefined {
  if (!typeNode) return undefined;
  switch (typeNode.type) {
    case 'struct_specifier':
    case 'union_specifier':
      return typeNode.childForFieldName('name')?.text;
    case 'type_identifier':
      return typeNode.text;
    case 'type_descriptor':
      return typeTagOf(typeNode.childForFieldName('type'));
    default:
      return undefined;
  }
}

/** Walks a declarator down to its identifier, noting pointers, arrays and function declarators. */
interface DeclaratorShape {
  name?: Node;
  isArray: boolean;
  isFunction: boolean;
  isFunctionPointer: boolean;
  parameters?: Node;
}

function declaratorShape(declarator: Node | null): DeclaratorShape {
  const shape: DeclaratorShape = { isArray: false, isFunction: false, isFunctionPointer: false };
  let node = declarator;
  let sawPointer = false;
  while (node) {
    switch (node.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        shape.name = node;
        return shape;
      case 'init_declarator':
      case 'attributed_declarator':
        node = node.childForFieldName('declarator') ?? node.namedChild(0);
        break;
      case 'pointer_declarator':
        sawPointer = true;
        node = node.childForFieldName('declarator');
        break;
      case 'parenthesized_declarator':
        node = node.namedChild(0);
        break;
      case 'array_declarator':
        shape.isArray = true;
        node = node.childForFieldName('declarator');
        break;
      case 'function_declarator':
        if (sawPointer || node.childForFieldName('declarator')?.type === 'parenthesized_declarator') {
          shape.isFunctionPointer = true;
        } else {
          shape.isFunction = true;
          shape.parameters = node.childForFieldName('parameters') ?? undefined;
        }
        node = node.childForFieldName('declarator');
        break;
      default:
        return shape;
    }
  }
  return shape;
}

function hasStorageClass(node: Node, keyword: string): boolean {
  for (const child of node.namedChildren) {
    if (child?.type === 'storage_class_specifier' && child.text === keyword) return true;
  }
  return false;
}

/** The comment block ending on the line above `node` (kernel-doc or plain). */
function leadingComment(node: Node): string | undefined {
  let previous = node.previousSibling;
  const parts: string[] = [];
  let expectedEndRow = node.startPosition.row - 1;
  while (previous?.type === 'comment' && previous.endPosition.row >= expectedEndRow - 0) {
    if (previous.endPosition.row < expectedEndRow) break;
    parts.unshift(previous.text);
    expectedEndRow = previous.startPosition.row - 1;
    previous = previous.previousSibling;
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** Locals and parameters of the function being walked: name -> type tag. */
type Scope = Map<string, string>;

function addParameters(scope: Scope, parameters: Node | undefined): void {
  if (!parameters) return;
  for (const parameter of parameters.namedChildren) {
    if (parameter?.type !== 'parameter_declaration') continue;
    const tag = typeTagOf(parameter.childForFieldName('type'));
    const name = declaratorShape(parameter.childForFieldName('declarator')).name?.text;
    if (tag && name) scope.set(name, tag);
  }
}

function addDeclaration(scope: Scope, declaration: Node): void {
  const tag = typeTagOf(declaration.childForFieldName('type'));
  if (!tag) return;
  for (const declarator of declaration.childrenForFieldName('declarator')) {
    const name = declaratorShape(declarator).name?.text;
    if (name) scope.set(name, tag);
  }
}

/** Unwraps parentheses and accessor macros that do not change an expression's type. */
function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    if (current.type === 'parenthesized_expression' && current.namedChild(0)) {
      current = current.namedChild(0)!;
    } else if (
      current.type === 'call_expression' &&
      transparentAccessors.has(current.childForFieldName('function')?.text ?? '') &&
      current.childForFieldName('arguments')?.namedChild(0)
    ) {
      current = current.childForFieldName('arguments')!.namedChild(0)!;
    } else {
      return current;
    }
  }
}

/** What one file can tell of an expression's type: a root and the fields read from it. */
function typePathOf(expression: Node, scope: Scope, fileScope: Scope): TypePath {
  const node = unwrap(expression);
  switch (node.type) {
    case 'identifier': {
      const root = scope.get(node.text) ?? fileScope.get(node.text);
      return root ? { root, fields: [] } : { fields: [], global: node.text };
    }
    case 'field_expression': {
      const argument = node.childForFieldName('argument');
      const field = node.childForFieldName('field')?.text;
      if (!argument || !field) return { fields: [] };
      const base = typePathOf(argument, scope, fileScope);
      return { ...base, fields: [...base.fields, field] };
    }
    case 'cast_expression':
      return { root: typeTagOf(node.childForFieldName('type')), fields: [] };
    case 'subscript_expression':
    case 'pointer_expression': {
      const inner = node.childForFieldName(node.type === 'subscript_expression' ? 'argument' : 'argument');
      return inner ? typePathOf(inner, scope, fileScope) : { fields: [] };
    }
    case 'call_expression': {
      const callee = node.childForFieldName('function')?.text ?? '';
      if (containerOfMacros.has(callee)) {
        const tag = /\b(?:struct|union)\s+(\w+)/.exec(node.childForFieldName('arguments')?.text ?? '')?.[1];
        return { root: tag, fields: [] };
      }
      return /^\w+$/.test(callee) ? { fields: [], returnedBy: callee } : { fields: [] };
    }
    default:
      return { fields: [] };
  }
}

interface CalleeShape {
  callee: Node;
  receiver?: Node;
  via?: string;
}

/** The real callee of a call: through INDIRECT_CALL_* wrappers and parentheses. */
function calleeOf(call: Node): CalleeShape | undefined {
  let functionNode = call.childForFieldName('function');
  if (!functionNode) return undefined;
  let via: string | undefined;
  if (functionNode.type === 'identifier' && indirectCallWrappers.has(functionNode.text)) {
    via = functionNode.text;
    const first = call.childForFieldName('arguments')?.namedChild(0);
    if (!first) return undefined;
    functionNode = first;
  }
  functionNode = unwrap(functionNode);
  if (functionNode.type === 'pointer_expression' && functionNode.childForFieldName('argument')) {
    functionNode = unwrap(functionNode.childForFieldName('argument')!);
  }
  if (functionNode.type === 'identifier') return { callee: functionNode, via };
  if (functionNode.type === 'field_expression') {
    const field = functionNode.childForFieldName('field');
    const argument = functionNode.childForFieldName('argument');
    if (field && argument) return { callee: field, receiver: argument, via };
  }
  return undefined;
}

/** Reads `.field = value` pairs of an initialiser list into slots, recursing into nested lists. */
class InitializerReader {
  constructor(
    private readonly table: string,
    private readonly struct: string,
    private readonly slots: SlotFact[],
  ) {}

  read(list: Node, prefix: string, element: number | undefined): void {
    let position = 0;
    for (const child of list.namedChildren) {
      if (!child) continue;
      switch (child.type) {
        case 'initializer_pair':
          this.readPair(child, prefix, element, position);
          break;
        case 'initializer_list':
          if (prefix === '' && element === undefined && this.isArrayRoot) this.read(child, '', position);
          break;
        case 'assignment_expression':
          // `#ifdef CONFIG_X` before `.field = value` parses as `CONFIG_X.field = value`.
          this.readRecoveredAssignment(child, prefix, element);
          break;
        case 'ERROR':
          this.readRecoveredText(child, prefix, element);
          break;
        default:
          break;
      }
      if (child.type !== 'comment' && child.type !== 'ERROR') position++;
    }
  }

  isArrayRoot = false;

  private readPair(pair: Node, prefix: string, element: number | undefined, position: number): void {
    const designators = pair.childrenForFieldName('designator');
    const value = pair.childForFieldName('value');
    if (!value) return;
    const fieldNames: string[] = [];
    let index = element;
    for (const designator of designators) {
      if (designator?.type === 'field_designator') fieldNames.push(designator.namedChild(0)?.text ?? '');
      else if (designator?.type === 'subscript_designator' && prefix === '' && this.isArrayRoot) {
        const parsed = Number.parseInt(designator.namedChild(0)?.text ?? '', 0);
        index = Number.isFinite(parsed) ? parsed : position;
      }
    }
    const path = [prefix, ...fieldNames].filter(Boolean).join('.');
    if (value.type === 'initializer_list') {
      this.read(value, path, index);
      return;
    }
    if (fieldNames.length > 0) this.addSlot(path, value, index, false);
  }

  private readRecoveredAssignment(assignment: Node, prefix: string, element: number | undefined): void {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    const field = left?.childForFieldName('field')?.text;
    if (left?.type !== 'field_expression' || !right || !field) return;
    this.addSlot([prefix, field].filter(Boolean).join('.'), right, element, true);
  }

  private readRecoveredText(error: Node, prefix: string, element: number | undefined): void {
    const pattern = /\.(\w+)\s*=\s*(&?)\s*([A-Za-z_]\w*)\s*[,}]/g;
    for (const match of error.text.matchAll(pattern)) {
      const before = error.text.slice(0, match.index);
      const line = error.startPosition.row + (before.match(/\n/g)?.length ?? 0);
      const column = before.length - before.lastIndexOf('\n') - 1;
      this.slots.push({
        table: this.table,
        struct: this.struct,
        element,
        field: [prefix, match[1]].filter(Boolean).join('.'),
        value: match[3],
        addressOf: match[2] === '&',
        span: { line, column, endLine: line, endColumn: column + match[0].length },
        recovered: true,
      });
    }
  }

  private addSlot(field: string, value: Node, element: number | undefined, recovered: boolean): void {
    let target = value;
    let addressOf = false;
    if (target.type === 'pointer_expression' && target.text.startsWith('&')) {
      addressOf = true;
      target = target.childForFieldName('argument') ?? target;
    }
    if (target.type === 'cast_expression') target = target.childForFieldName('value') ?? target;
    if (target.type !== 'identifier') return;
    this.slots.push({
      table: this.table,
      struct: this.struct,
      element,
      field,
      value: target.text,
      addressOf,
      span: spanOf(value),
      recovered,
    });
  }
}

function countErrors(tree: Tree): number {
  let count = 0;
  const cursor = tree.walk();
  // Only subtrees that contain an error are entered, so this stays cheap on clean files.
  for (;;) {
    const node = cursor.currentNode;
    if (node.isError || node.isMissing) count++;
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return count;
      }
    }
  }
}

/** A type's text without any body it defines: `struct proto_ops`, `union {…}`. */
function typeText(typeNode: Node | null): string {
  if (!typeNode) return '';
  if (!typeNode.childForFieldName('body')) return foldSpace(typeNode.text);
  const keyword = typeNode.type.replace('_specifier', '');
  return `${keyword} ${typeNode.childForFieldName('name')?.text ?? '{…}'}`;
}

function fieldsOf(
  body: Node,
  ownerTag: string,
  structs: StructFact[],
  kind: 'struct' | 'union',
): FieldFact[] {
  const fields: FieldFact[] = [];
  for (const declaration of body.namedChildren) {
    if (declaration?.type !== 'field_declaration') continue;
    const typeNode = declaration.childForFieldName('type');
    const declarators = declaration.childrenForFieldName('declarator');
    const innerBody = typeNode?.childForFieldName('body');
    const anonymous = innerBody && !typeNode?.childForFieldName('name');
    if (declarators.length === 0 && anonymous && innerBody) {
      // struct { union { a; b; }; } : members of an anonymous member belong to the parent.
      fields.push(...fieldsOf(innerBody, ownerTag, structs, kind));
      continue;
    }
    for (const declarator of declarators) {
      if (!declarator) continue;
      const shape = declaratorShape(declarator);
      if (!shape.name) continue;
      let typeTag = typeTagOf(typeNode);
      if (anonymous && innerBody) {
        // A named member of anonymous struct type gets a synthetic tag so `a->member.x` resolves.
        typeTag = `${ownerTag}.${shape.name.text}`;
        structs.push({
          name: typeTag,
          kind: typeNode?.type === 'union_specifier' ? 'union' : kind,
          span: spanOf(typeNode!),
          nameSpan: spanOf(shape.name),
          fields: fieldsOf(innerBody, typeTag, structs, kind),
        });
      }
      fields.push({
        name: shape.name.text,
        nameSpan: spanOf(shape.name),
        type: foldSpace(`${typeText(typeNode)} ${declarator.text.replace(shape.name.text, '')}`),
        typeTag,
        isFunctionPointer: shape.isFunctionPointer,
      });
    }
  }
  return fields;
}

/** Extracts the facts of one file from its syntax tree and text. */
export function extractFacts(file: string, source: string, tree: Tree, query: Query): FileFacts {
  const facts = emptyFileFacts(file);
  facts.parseErrors = tree.rootNode.hasError ? countErrors(tree) : 0;
  const fileScope: Scope = new Map();
  let currentFunction: { name: string; endIndex: number; scope: Scope } | undefined;

  for (const { name: capture, node } of query.captures(tree.rootNode)) {
    if (currentFunction && node.startIndex >= currentFunction.endIndex) currentFunction = undefined;
    switch (capture) {
      case 'function': {
        const shape = declaratorShape(node.childForFieldName('declarator'));
        if (!shape.name) break;
        const body = node.childForFieldName('body');
        const scope: Scope = new Map();
        addParameters(scope, shape.parameters);
        const headerEnd = body ? body.startIndex : node.endIndex;
        const fact: FunctionFact = {
          name: shape.name.text,
          span: spanOf(node),
          nameSpan: spanOf(shape.name),
          isStatic: hasStorageClass(node, 'static'),
          isDefinition: true,
          signature: foldSpace(source.slice(node.startIndex, headerEnd)),
          doc: leadingComment(node),
        };
        facts.functions.push(fact);
        currentFunction = { name: fact.name, endIndex: node.endIndex, scope };
        break;
      }
      case 'declaration':
        if (currentFunction) addDeclaration(currentFunction.scope, node);
        else readFileScopeDeclaration(node, facts, fileScope);
        break;
      case 'typedef': {
        const typeNode = node.childForFieldName('type');
        for (const declarator of node.childrenForFieldName('declarator')) {
          const nameNode = declarator ? declaratorShape(declarator).name : undefined;
          if (!nameNode) continue;
          facts.typedefs.push({
            name: nameNode.text,
            nameSpan: spanOf(nameNode),
            type: typeText(typeNode),
            typeTag: typeTagOf(typeNode) ?? (typeNode?.childForFieldName('body') ? nameNode.text : undefined),
          });
        }
        break;
      }
      case 'struct':
      case 'union': {
        const nameNode = node.childForFieldName('name');
        const body = node.childForFieldName('body')!;
        // Anonymous bodies are handled by their parent: a typedef names it, a member flattens it.
        let name = nameNode?.text;
        let nameSpan = nameNode ? spanOf(nameNode) : undefined;
        if (!name && node.parent?.type === 'type_definition') {
          const typedefName = declaratorShape(node.parent.childForFieldName('declarator')).name;
          name = typedefName?.text;
          nameSpan = typedefName ? spanOf(typedefName) : undefined;
        }
        if (!name || !nameSpan) break;
        facts.structs.push({
          name,
          kind: capture,
          span: spanOf(node),
          nameSpan,
          fields: fieldsOf(body, name, facts.structs, capture),
          doc: leadingComment(
            node.parent?.type === 'declaration' || node.parent?.type === 'type_definition'
              ? node.parent
              : node,
          ),
        });
        break;
      }
      case 'enumerator': {
        const nameNode = node.childForFieldName('name');
        if (!nameNode) break;
        const enumNode = node.parent?.parent;
        facts.enumConstants.push({
          name: nameNode.text,
          nameSpan: spanOf(nameNode),
          valueText: node.childForFieldName('value')?.text,
          enumName:
            enumNode?.type === 'enum_specifier' ? enumNode.childForFieldName('name')?.text : undefined,
          index: node.parent
            ? node.parent.namedChildren
                .filter((c) => c?.type === 'enumerator')
                .findIndex((c) => c?.id === node.id)
            : 0,
        });
        break;
      }
      case 'macro': {
        const nameNode = node.childForFieldName('name');
        if (!nameNode) break;
        const value = node.childForFieldName('value')?.text ?? '';
        facts.macros.push({
          name: nameNode.text,
          nameSpan: spanOf(nameNode),
          value: macroValue(value),
        });
        break;
      }
      case 'call':
        if (currentFunction) readCall(node, currentFunction.name, currentFunction.scope, fileScope, facts);
        break;
      case 'assignment':
        if (currentFunction)
          readAssignment(node, currentFunction.name, currentFunction.scope, fileScope, facts.bindings);
        break;
    }
  }
  return facts;
}

function readFileScopeDeclaration(node: Node, facts: FileFacts, fileScope: Scope): void {
  const typeNode = node.childForFieldName('type');
  const typeTag = typeTagOf(typeNode);
  const isStatic = hasStorageClass(node, 'static');
  const isExtern = hasStorageClass(node, 'extern');
  for (const declarator of node.childrenForFieldName('declarator')) {
    if (!declarator) continue;
    const shape = declaratorShape(declarator);
    if (!shape.name) continue;
    const name = shape.name.text;
    if (shape.isFunction) {
      facts.functions.push({
        name,
        span: spanOf(node),
        nameSpan: spanOf(shape.name),
        isStatic,
        isDefinition: false,
        signature: foldSpace(node.text.replace(/;\s*$/, '')),
      });
      continue;
    }
    const value = declarator.type === 'init_declarator' ? declarator.childForFieldName('value') : null;
    if (typeTag) fileScope.set(name, typeTag);
    facts.variables.push({
      name,
      nameSpan: spanOf(shape.name),
      isStatic,
      isDeclarationOnly: isExtern || !value,
      type: typeText(typeNode),
      typeTag,
      isArray: shape.isArray,
    });
    if (value?.type === 'initializer_list' && typeTag) {
      const reader = new InitializerReader(name, typeTag, facts.slots);
      reader.isArrayRoot = shape.isArray;
      reader.read(value, '', undefined);
      facts.tables.push({
        name,
        struct: typeTag,
        nameSpan: spanOf(shape.name),
        span: spanOf(node),
        isStatic,
        isArray: shape.isArray,
        elements: shape.isArray ? value.namedChildren.filter((c) => c?.type !== 'comment').length : 1,
      });
    }
  }
}

function readCall(node: Node, caller: string, scope: Scope, fileScope: Scope, facts: FileFacts): void {
  const shape = calleeOf(node);
  if (!shape) return;
  const call: CallFact = {
    caller,
    line: shape.callee.startPosition.row,
    column: shape.callee.startPosition.column,
    callee: shape.callee.text,
  };
  if (shape.via) call.via = shape.via;
  if (shape.receiver) call.receiver = typePathOf(shape.receiver, scope, fileScope);
  facts.calls.push(call);
  const positions = registrars.get(call.callee);
  if (positions && !shape.receiver) {
    const args = node.childForFieldName('arguments')?.namedChildren ?? [];
    for (const position of positions) {
      const argument = args[position];
      if (!argument) continue;
      const value = /^&?\s*([A-Za-z_]\w*)$/.exec(argument.text)?.[1];
      if (value)
        facts.registrations.push({ function: caller, registrar: call.callee, value, span: spanOf(argument) });
    }
  }
}

function readAssignment(
  node: Node,
  caller: string,
  scope: Scope,
  fileScope: Scope,
  bindings: BindingFact[],
): void {
  if (node.childForFieldName('operator')?.text !== '=') return;
  const left = node.childForFieldName('left')!;
  let right = node.childForFieldName('right');
  let addressOf = false;
  if (right?.type === 'pointer_expression' && right.text.startsWith('&')) {
    addressOf = true;
    right = right.childForFieldName('argument');
  }
  if (right?.type !== 'identifier' || scope.has(right.text)) return;
  const field = left.childForFieldName('field')?.text;
  const argument = left.childForFieldName('argument');
  if (!field || !argument) return;
  bindings.push({
    function: caller,
    target: typePathOf(argument, scope, fileScope),
    field,
    value: right.text,
    addressOf,
    span: spanOf(node),
  });
}
