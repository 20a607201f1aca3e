// Turns one parsed C file into FileFacts. Runs inside a parser worker; knows tree-sitter, not LSP.
import type { Language, Node, Query, Tree } from 'web-tree-sitter';
import {
  emptyFileFacts,
  type CallFact,
  type FieldFact,
  type FileFacts,
  type FunctionFact,
  type SlotFact,
  type Span,
  type StructFact,
  type TypePath,
} from './facts';
import { Char, isWordStart, lastNonWhitespaceBefore, skipWhitespace, wordEnd } from './c-characters';
import type { MaskedLoopMacro, MaskedText } from './kernel-syntax-mask';
import { functionMacrosIn } from './function-macros';
import { macroValue } from './lexical-macros';
import { nameArguments } from './call-arguments';
import { containerOfMacros, indirectCallWrappers, registrars, transparentAccessors } from './kernel-macros';

// Every property read on a tree-sitter node crosses into WASM and most return a new Node object, so
// the extractor reads each property once, looks fields up by id, and asks the cheapest question first.

/** Field ids of the C grammar, looked up once per language instead of by name on every access. */
function fieldIdsOf(language: Language) {
  const id = (name: string): number => {
    const found = language.fields.indexOf(name);
    if (found <= 0) throw new Error(`the C grammar has no field '${name}'`);
    return found;
  };
  return {
    alternative: id('alternative'),
    argument: id('argument'),
    arguments: id('arguments'),
    body: id('body'),
    condition: id('condition'),
    consequence: id('consequence'),
    declarator: id('declarator'),
    designator: id('designator'),
    field: id('field'),
    function: id('function'),
    left: id('left'),
    name: id('name'),
    operator: id('operator'),
    parameters: id('parameters'),
    right: id('right'),
    type: id('type'),
    value: id('value'),
  };
}

/** Words the grammar lexes as keywords (`asm`, `sizeof`, `if`): never the text of an identifier. */
function keywordsOf(language: Language): Set<string> {
  const keywords = new Set<string>();
  for (let id = 0; id < language.nodeTypeCount; id++) {
    const type = language.nodeTypeForId(id);
    if (
      type &&
      !language.nodeTypeIsNamed(id) &&
      language.nodeTypeIsVisible(id) &&
      /^[A-Za-z_]\w*$/.test(type)
    )
      keywords.add(type);
  }
  return keywords;
}

type FieldIds = ReturnType<typeof fieldIdsOf>;
const grammarByLanguage = new WeakMap<Language, { ids: FieldIds; keywords: Set<string> }>();
/** The field ids and keywords of the tree being extracted (set by extractFacts; one language per thread). */
let ids: FieldIds;
let keywords: Set<string>;
/**
 * The file's own text (set by extractFacts). The tree was parsed from a masked copy of the same length
 * (kernel-syntax-mask.ts), so text shown to readers is sliced from here, not read from the tree.
 */
let source: string;

/** A node's text as the file has it. */
const textOf = (node: Node): string => source.slice(node.startIndex, node.endIndex);

/**
 * An identifier's text, read from the file without asking the tree where the node ends. (A MISSING
 * identifier, of zero width, would read the word after it; over 3 in 10 files of 6.1 no name read
 * here differed from the tree's.)
 */
function wordOf(node: Node): string {
  const start = node.startIndex;
  const end = wordEnd(source, start);
  // C allows universal characters in identifiers; the tree knows where such a name ends.
  return source.charCodeAt(end) < 0x80 ? source.slice(start, end) : textOf(node);
}

/** The span of an identifier whose text is `name`: a name never spans lines. */
function nameSpanOf(node: Node, name: string): Span {
  const { row, column } = node.startPosition;
  return { line: row, column, endLine: row, endColumn: column + name.length };
}

export function spanOf(node: Node): Span {
  return {
    line: node.startPosition.row,
    column: node.startPosition.column,
    endLine: node.endPosition.row,
    endColumn: node.endPosition.column,
  };
}

const foldSpace = (text: string): string => text.replace(/\s+/g, ' ').trim();

const wordOrUndefined = (node: Node | null | undefined): string | undefined =>
  node ? wordOf(node) : undefined;
const textOrEmpty = (node: Node | null | undefined): string => (node ? textOf(node) : '');

/** The struct/union tag or typedef name a type node names: `proto_ops` for `const struct proto_ops`. */
function typeTagOf(typeNode: Node | null): string | undefined {
  if (!typeNode) return undefined;
  switch (typeNode.type) {
    case 'struct_specifier':
    case 'union_specifier':
      return wordOrUndefined(typeNode.childForFieldId(ids.name));
    case 'type_identifier':
      return wordOf(typeNode);
    case 'type_descriptor':
      return typeTagOf(typeNode.childForFieldId(ids.type));
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
  while (node) {
    switch (node.type) {
      // tree-sitter-c reads the C library's type names (`ssize_t`, `uint64_t`) as primitive types,
      // also where a typedef defines them.
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
      case 'primitive_type':
        shape.name = node;
        return shape;
      case 'init_declarator':
      case 'attributed_declarator':
        node = node.childForFieldId(ids.declarator) ?? node.namedChild(0);
        break;
      case 'pointer_declarator':
        node = node.childForFieldId(ids.declarator);
        break;
      case 'parenthesized_declarator':
        node = node.namedChild(0);
        break;
      case 'array_declarator':
        shape.isArray = true;
        node = node.childForFieldId(ids.declarator);
        break;
      case 'function_declarator': {
        const inner = node.childForFieldId(ids.declarator);
        // `(*f)(...)` is a pointer to a function; in `*f(...)` the pointer is what the function returns.
        if (inner?.type === 'parenthesized_declarator') {
          shape.isFunctionPointer = true;
        } else {
          shape.isFunction = true;
          shape.parameters = node.childForFieldId(ids.parameters) ?? undefined;
        }
        node = inner;
        break;
      }
      default:
        return shape;
    }
  }
  return shape;
}

/**
 * Whether a declaration has the storage class `keyword`. Specifiers precede the declarators, so
 * when the keyword is nowhere in the text before `specifiersEnd`, no child needs to be read.
 */
function hasStorageClass(node: Node, keyword: string, source: string, specifiersEnd: number): boolean {
  if (!source.substring(node.startIndex, specifiersEnd).includes(keyword)) return false;
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
  while (previous?.type === 'comment') {
    if (previous.endPosition.row < expectedEndRow) break;
    parts.unshift(textOf(previous));
    expectedEndRow = previous.startPosition.row - 1;
    previous = previous.previousSibling;
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/**
 * Whether a declaration's type is a keyword: error recovery's reading of a statement. An `#if` that
 * splits an if/else leaves `else WARN_ON(1);` to read as the declaration of a function `WARN_ON`.
 */
const isMisreadType = (typeTag: string | undefined): boolean =>
  typeTag !== undefined && keywords.has(typeTag);

/** Names in scope: name -> type tag, or '' for a name of no struct or typedef type (`int cpu`). */
type Scope = Map<string, string>;

/** Where a name's type is looked up: a function's locals and parameters, or the file scope. */
interface NameTypes {
  /** The name's type tag; undefined for a name not declared here, '' for one of no tagged type. */
  get(name: string): string | undefined;
  has(name: string): boolean;
}

/**
 * The locals and parameters of the function being walked, read from their nodes only when a name is
 * first looked up: four in five functions of 6.1 make no call through a field and store no name in
 * one, so their declarations are never read. Nodes come in document order, so the declarations
 * pending at a lookup are exactly those before it.
 */
class FunctionScope implements NameTypes {
  private readonly types: Scope = new Map();
  private pending: Node[] = [];

  constructor(private parameters: Node | undefined) {}

  declare(declaration: Node): void {
    this.pending.push(declaration);
  }

  get(name: string): string | undefined {
    this.settle();
    return this.types.get(name);
  }

  has(name: string): boolean {
    this.settle();
    return this.types.has(name);
  }

  private settle(): void {
    if (this.parameters) {
      addParameters(this.types, this.parameters);
      this.parameters = undefined;
    }
    if (this.pending.length === 0) return;
    for (const declaration of this.pending) addDeclaration(this.types, declaration);
    this.pending = [];
  }
}

// Every local and parameter is kept, typed or not: a name declared here is a value of this
// function, never a function it installs or hands on (`x->cpu = cpu`).
function addParameters(scope: Scope, parameters: Node): void {
  for (const parameter of parameters.namedChildren) {
    if (parameter?.type !== 'parameter_declaration') continue;
    const name = wordOrUndefined(declaratorShape(parameter.childForFieldId(ids.declarator)).name);
    if (name) scope.set(name, typeTagOf(parameter.childForFieldId(ids.type)) ?? '');
  }
}

function addDeclaration(scope: Scope, declaration: Node): void {
  let tag: string | undefined;
  for (const declarator of declaration.childrenForFieldId(ids.declarator)) {
    const name = wordOrUndefined(declaratorShape(declarator).name);
    if (!name) continue;
    tag ??= typeTagOf(declaration.childForFieldId(ids.type)) ?? '';
    if (isMisreadType(tag)) return;
    scope.set(name, tag);
  }
}

/** A node with its type, read once. */
interface TypedNode {
  node: Node;
  type: string;
}

/** Unwraps parentheses and accessor macros that do not change an expression's type. */
function unwrap(node: Node, type = node.type): TypedNode {
  let current = node;
  let currentType = type;
  for (;;) {
    let inner: Node | null | undefined;
    if (currentType === 'parenthesized_expression') {
      inner = current.namedChild(0);
    } else if (
      currentType === 'call_expression' &&
      transparentAccessors.has(current.childForFieldId(ids.function)?.text ?? '')
    ) {
      inner = current.childForFieldId(ids.arguments)?.namedChild(0);
    }
    if (!inner) return { node: current, type: currentType };
    current = inner;
    currentType = inner.type;
  }
}

/** What one file can tell of an expression's type: a root and the fields read from it. */
function typePathOf(expression: Node, scope: NameTypes, fileScope: Scope): TypePath {
  const { node, type } = unwrap(expression);
  switch (type) {
    case 'identifier': {
      const name = wordOf(node);
      const local = scope.get(name);
      if (local !== undefined) return local ? { root: local, fields: [] } : { fields: [] };
      // A global keeps its name even when typed here, so a call through a named table
      // (`tcp_prot.recvmsg(...)`) reaches that table's slot only.
      const root = fileScope.get(name);
      return root ? { root, global: name, fields: [] } : { fields: [], global: name };
    }
    case 'field_expression': {
      const argument = node.childForFieldId(ids.argument);
      const field = wordOrUndefined(node.childForFieldId(ids.field));
      if (!argument || !field) return { fields: [] };
      const base = typePathOf(argument, scope, fileScope);
      return { ...base, fields: [...base.fields, field] };
    }
    case 'cast_expression':
      return { root: typeTagOf(node.childForFieldId(ids.type)), fields: [] };
    case 'subscript_expression':
    case 'pointer_expression': {
      const inner = node.childForFieldId(ids.argument);
      return inner ? typePathOf(inner, scope, fileScope) : { fields: [] };
    }
    case 'call_expression': {
      const callee = node.childForFieldId(ids.function)?.text ?? '';
      if (containerOfMacros.has(callee)) {
        const tag = /\b(?:struct|union)\s+(\w+)/.exec(textOrEmpty(node.childForFieldId(ids.arguments)))?.[1];
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
  /** The callee's text. */
  name: string;
  receiver?: Node;
  via?: string;
}

/**
 * The name a direct call `f (...)` starts with, read from the file: a name that is not a keyword,
 * blanks, `(`. 98 in 100 calls of 6.1 read this way, each saving two crossings into WASM. Not for a
 * callee that is itself a call (`f(x)(y)`, `f(x)->g(y)`), whose text starts the same way.
 */
function directCalleeName(call: Node): string | undefined {
  const start = call.startIndex;
  if (!isWordStart(source.charCodeAt(start))) return undefined;
  const end = wordEnd(source, start);
  if (source.charCodeAt(skipWhitespace(source, end)) !== Char.ParenOpen) return undefined;
  const name = source.slice(start, end);
  return keywords.has(name) ? undefined : name;
}

/**
 * The real callee of a call: through INDIRECT_CALL_* wrappers and parentheses. `calleeIsCall` says
 * that another call starts where this one does, so this one calls what that one returns.
 */
function calleeOf(call: Node, calleeIsCall: boolean): CalleeShape | undefined {
  if (!calleeIsCall) {
    const name = directCalleeName(call);
    if (name !== undefined && !indirectCallWrappers.has(name)) return { callee: call, name };
  }
  const functionNode = call.childForFieldId(ids.function);
  if (!functionNode) return undefined;
  let target: TypedNode = { node: functionNode, type: functionNode.type };
  let via: string | undefined;
  if (target.type === 'identifier') {
    const name = wordOf(functionNode);
    // The common case, a direct call f(...), needs nothing more.
    if (!indirectCallWrappers.has(name)) return { callee: functionNode, name };
    via = name;
    const first = call.childForFieldId(ids.arguments)?.namedChild(0);
    if (!first) return undefined;
    target = { node: first, type: first.type };
  }
  target = unwrap(target.node, target.type);
  if (target.type === 'pointer_expression') {
    const argument = target.node.childForFieldId(ids.argument);
    if (argument) target = unwrap(argument);
  }
  if (target.type === 'identifier') return { callee: target.node, name: wordOf(target.node), via };
  if (target.type === 'field_expression') {
    const field = target.node.childForFieldId(ids.field);
    const argument = target.node.childForFieldId(ids.argument);
    if (field && argument) return { callee: field, name: wordOf(field), receiver: argument, via };
  }
  return undefined;
}

/** Designators, nested braces, assignments, comments, directives: what `read` must look at nodes for. */
const mayHoldSlots = /[.={/#]/;

/** Reads `.field = value` pairs of an initialiser list into slots, recursing into nested lists. */
class InitializerReader {
  constructor(
    private readonly table: string,
    private readonly struct: string,
    private readonly slots: SlotFact[],
    private readonly source: string,
  ) {}

  /** Reads one list; returns how many of its named children are not comments. */
  read(list: Node, prefix: string, element: number | undefined): number {
    // Tables of plain values (`{ 0x1f, 0x2e, ... }`) run to thousands of elements. With none of these
    // characters inside the braces the list holds no pair, nested list, recovered field or comment,
    // so its count is one call into WASM instead of a node object per element.
    if (!mayHoldSlots.test(this.source.slice(list.startIndex + 1, list.endIndex)))
      return list.namedChildCount;
    let position = 0;
    let nonComments = 0;
    // The field whose `= {` an ERROR node before a nested list ended with.
    let recoveredField: string | undefined;
    for (const child of list.namedChildren) {
      if (!child) continue;
      const type = child.type;
      switch (type) {
        case 'initializer_pair':
          this.readPair(child, prefix, element, position);
          break;
        case 'initializer_list':
          if (recoveredField !== undefined)
            this.read(child, [prefix, recoveredField].filter(Boolean).join('.'), element);
          else if (prefix === '' && element === undefined && this.isArrayRoot) this.read(child, '', position);
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
      // `#ifdef CONFIG_X` before `.field = { ... }` parses as an ERROR `CONFIG_X .field =`, then the list.
      if (type !== 'comment')
        recoveredField = type === 'ERROR' ? /\.(\w+)\s*=\s*$/.exec(textOf(child))?.[1] : undefined;
      if (type !== 'comment') nonComments++;
      if (type !== 'comment' && type !== 'ERROR') position++;
    }
    return nonComments;
  }

  isArrayRoot = false;

  private readPair(pair: Node, prefix: string, element: number | undefined, position: number): void {
    const value = pair.childForFieldId(ids.value);
    if (!value) return;
    const designators = pair.childrenForFieldId(ids.designator);
    const fieldNames: string[] = [];
    let index = element;
    for (const designator of designators) {
      const type = designator?.type;
      if (type === 'field_designator') fieldNames.push(wordOrUndefined(designator!.namedChild(0)) ?? '');
      else if (type === 'subscript_designator' && prefix === '' && this.isArrayRoot) {
        const parsed = Number.parseInt(designator!.namedChild(0)?.text ?? '', 0);
        index = Number.isFinite(parsed) ? parsed : position;
      }
    }
    const path = [prefix, ...fieldNames].filter(Boolean).join('.');
    const valueType = value.type;
    if (valueType === 'initializer_list') {
      this.read(value, path, index);
      return;
    }
    if (fieldNames.length > 0) this.addSlot(path, value, valueType, index, false);
  }

  private readRecoveredAssignment(assignment: Node, prefix: string, element: number | undefined): void {
    const left = assignment.childForFieldId(ids.left);
    const right = assignment.childForFieldId(ids.right);
    if (!left || !right || left.type !== 'field_expression') return;
    const field = wordOrUndefined(left.childForFieldId(ids.field));
    if (!field) return;
    this.addSlot([prefix, field].filter(Boolean).join('.'), right, right.type, element, true);
  }

  private readRecoveredText(error: Node, prefix: string, element: number | undefined): void {
    const pattern = /\.(\w+)\s*=\s*(&?)\s*([A-Za-z_]\w*)\s*[,}]/g;
    const text = textOf(error);
    for (const match of text.matchAll(pattern)) {
      const before = text.slice(0, match.index);
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

  private addSlot(
    field: string,
    value: Node,
    valueType: string,
    element: number | undefined,
    recovered: boolean,
  ): void {
    for (const { name, written, addressOf } of storedNames(value, valueType)) {
      this.slots.push({
        table: this.table,
        struct: this.struct,
        element,
        field,
        value: wordOf(name),
        addressOf,
        span: spanOf(written),
        recovered,
      });
    }
  }
}

/** A type's text without any body it defines: `struct proto_ops`, `union {…}`. */
function typeText(typeNode: Node | null | undefined, body = typeNode?.childForFieldId(ids.body)): string {
  if (!typeNode) return '';
  if (!body) return foldSpace(textOf(typeNode));
  const keyword = typeNode.type.replace('_specifier', '');
  return `${keyword} ${wordOrUndefined(typeNode.childForFieldId(ids.name)) ?? '{…}'}`;
}

/** The type a declaration gives each of its declarators, read once for all of them. */
interface DeclaredType {
  tag: string | undefined;
  text: string;
}

function fieldsOf(
  body: Node,
  ownerTag: string,
  structs: StructFact[],
  kind: 'struct' | 'union',
): FieldFact[] {
  const fields: FieldFact[] = [];
  for (const declaration of body.namedChildren) {
    const type = declaration?.type;
    if (type && conditionalBlocks.has(type)) {
      // Fields under #if/#ifdef, every branch's: the index serves every configuration.
      fields.push(...fieldsOf(declaration!, ownerTag, structs, kind));
      continue;
    }
    if (type !== 'field_declaration') continue;
    const typeNode = declaration.childForFieldId(ids.type);
    const declarators = declaration.childrenForFieldId(ids.declarator);
    const innerBody = typeNode?.childForFieldId(ids.body);
    const anonymous = innerBody && !typeNode?.childForFieldId(ids.name);
    if (declarators.length === 0 && anonymous && innerBody) {
      // struct { union { a; b; }; } : members of an anonymous member belong to the parent.
      fields.push(...fieldsOf(innerBody, ownerTag, structs, kind));
      continue;
    }
    let declared: DeclaredType | undefined;
    for (const declarator of declarators) {
      if (!declarator) continue;
      const shape = declaratorShape(declarator);
      if (!shape.name) continue;
      declared ??= { tag: typeTagOf(typeNode), text: typeText(typeNode, innerBody) };
      const name = wordOf(shape.name);
      let typeTag = declared.tag;
      if (anonymous && innerBody) {
        // A named member of anonymous struct type gets a synthetic tag so `a->member.x` resolves.
        typeTag = `${ownerTag}.${name}`;
        structs.push({
          name: typeTag,
          kind: typeNode?.type === 'union_specifier' ? 'union' : kind,
          span: spanOf(typeNode!),
          nameSpan: spanOf(shape.name),
          fields: fieldsOf(innerBody, typeTag, structs, kind),
        });
      }
      fields.push({
        name,
        nameSpan: spanOf(shape.name),
        type: foldSpace(`${declared.text} ${textOf(declarator).replace(name, '')}`),
        typeTag,
        isFunctionPointer: shape.isFunctionPointer,
      });
    }
  }
  return fields;
}

/**
 * The nodes the index reads, by type, and what each is to the extractor. Every type is collected at any
 * depth, in document order: the extractor tracks the enclosing function by range, and kernel files
 * wrap whole functions in #ifdef blocks.
 */
const indexedNodeKinds = {
  // Definitions, with their parameters' types for receiver inference.
  function_definition: 'function',
  // Prototypes and variables at file scope (ops tables among them), locals in bodies.
  declaration: 'declaration',
  // typedef struct sock_common { ... } name_t; and typedef int (*fn_t)(...);
  type_definition: 'typedef',
  // The body of a struct or union definition, which stands for its struct_specifier or union_specifier:
  // collecting those would bring every `struct sock *` in the tree.
  field_declaration_list: 'body',
  // enum { PACKET_AUXDATA = 8, ... }
  enumerator: 'enumerator',
  // Object-like macros only: function-like ones (preproc_function_def) are read from the text.
  preproc_def: 'macro',
  // Direct calls f(...), indirect calls x->ops->f(...), wrapped calls INDIRECT_CALL_INET(x->f, ...).
  call_expression: 'call',
  // Run-time bindings: sock->ops = &packet_ops_spkt; po->prot_hook.func = packet_rcv;
  assignment_expression: 'assignment',
  // Syntax errors, counted (with MISSING nodes, grammars/missing-nodes.scm).
  ERROR: 'error',
} as const;
const indexedNodeTypes = Object.keys(indexedNodeKinds);

type IndexedNodeKind =
  Exclude<(typeof indexedNodeKinds)[keyof typeof indexedNodeKinds], 'body'> | 'struct' | 'union';

interface IndexedNode {
  kind: IndexedNodeKind;
  node: Node;
}

/**
 * The nodes of `tree` the extractor reads, in document order, from one walk inside WASM
 * (`descendantsOfType`): a query's walk and capture objects cost more, and reading each node's type
 * costs less than both.
 */
function indexedNodes(tree: Tree): IndexedNode[] {
  const found: IndexedNode[] = [];
  for (const node of tree.rootNode.descendantsOfType(indexedNodeTypes)) {
    if (!node) continue;
    const kind = indexedNodeKinds[node.type as keyof typeof indexedNodeKinds];
    if (kind === 'body') {
      const parent = node.parent;
      const parentType = parent?.type;
      if (parentType === 'struct_specifier') found.push({ kind: 'struct', node: parent! });
      else if (parentType === 'union_specifier') found.push({ kind: 'union', node: parent! });
    } else if (kind !== 'assignment' || !assignsToName(node.startIndex)) {
      found.push({ kind, node });
    }
  }
  return found;
}

/**
 * Whether the assignment starting at `start` stores into a plain name (`ret = f(x);`, `n += 2;`), read
 * from the text: such an assignment binds no field, and most assignments are of this kind. Not said
 * after `.` or `->`, where error recovery can start a field expression at its field's name.
 */
function assignsToName(start: number): boolean {
  if (!isWordStart(source.charCodeAt(start))) return false;
  const previous = source.charCodeAt(lastNonWhitespaceBefore(source, start));
  if (previous === Char.Dot || previous === Char.Greater) return false;
  const end = skipWhitespace(source, wordEnd(source, start));
  const operator = source.charCodeAt(end);
  const next = source.charCodeAt(end + 1);
  if (operator === Char.Equals) return next !== Char.Equals;
  if (next === Char.Equals) return compoundAssignmentOperators.has(operator);
  // <<= and >>=
  return (
    (operator === Char.Less || operator === Char.Greater) &&
    next === operator &&
    source.charCodeAt(end + 2) === Char.Equals
  );
}

/** The first characters of `+=`, `-=`, `*=`, `/=`, `%=`, `&=`, `|=`, `^=`. */
const compoundAssignmentOperators = new Set([...'+-*/%&|^'].map((character) => character.charCodeAt(0)));

/** MISSING nodes, found by query (they have no type of their own) in the items that hold an error. */
function missingNodeCount(tree: Tree, missingNodesQuery: Query): number {
  return tree.rootNode.hasError ? missingNodesIn(tree.rootNode, missingNodesQuery) : 0;
}

/**
 * Conditional blocks are looked into rather than searched whole: a header's include guard holds the
 * whole file, and an error anywhere in it would otherwise send the query over every node.
 */
const conditionalBlocks = new Set([
  'preproc_if',
  'preproc_ifdef',
  'preproc_else',
  'preproc_elif',
  'preproc_elifdef',
]);

function missingNodesIn(container: Node, missingNodesQuery: Query): number {
  let count = 0;
  for (const item of container.children) {
    if (!item?.hasError) continue;
    count += conditionalBlocks.has(item.type)
      ? missingNodesIn(item, missingNodesQuery)
      : missingNodesQuery.captures(item).length;
  }
  return count;
}

/**
 * Extracts the facts of one file. `text` is the file's own text; `tree` may have been parsed from a
 * masked copy of it of the same length (kernel-syntax-mask.ts), whose masked loop macros are calls and
 * whose masked definition macros name the functions they define.
 */
export function extractFacts(
  file: string,
  text: string,
  tree: Tree,
  missingNodesQuery: Query,
  { loopMacros, macroDefinedNames }: Omit<MaskedText, 'text'> = {
    loopMacros: [],
    macroDefinedNames: new Map(),
  },
): FileFacts {
  let grammar = grammarByLanguage.get(tree.language);
  if (!grammar) {
    grammar = { ids: fieldIdsOf(tree.language), keywords: keywordsOf(tree.language) };
    grammarByLanguage.set(tree.language, grammar);
  }
  ({ ids, keywords } = grammar);
  source = text;
  const facts = emptyFileFacts(file);
  let errorNodes = missingNodeCount(tree, missingNodesQuery);
  const fileScope: Scope = new Map();
  let currentFunction: { name: string; endIndex: number; scope: FunctionScope } | undefined;
  // An enumerator's index among its list's enumerators: nodes come in document order.
  const enumeratorsSeen = new Map<number, number>();

  const nodes = indexedNodes(tree);
  for (let position = 0; position < nodes.length; position++) {
    const { kind, node } = nodes[position];
    if (currentFunction && node.startIndex >= currentFunction.endIndex) currentFunction = undefined;
    switch (kind) {
      case 'function': {
        const declarator = node.childForFieldId(ids.declarator);
        const shape = declaratorShape(declarator);
        if (!shape.name) break;
        const writtenName = wordOf(shape.name);
        if (isMisreadStatement(writtenName, shape, currentFunction !== undefined)) {
          // The body's statements stay the enclosing function's; a block macro's head is its call.
          const blockMacro = shape.isFunction ? undefined : directCalleeName(node);
          if (currentFunction && blockMacro !== undefined) {
            const { row, column } = node.startPosition;
            facts.calls.push({ caller: currentFunction.name, line: row, column, callee: blockMacro });
          }
          break;
        }
        const body = node.childForFieldId(ids.body);
        const scope = new FunctionScope(shape.parameters);
        const endIndex = node.endIndex;
        const headerEnd = body ? body.startIndex : endIndex;
        const name = macroDefinedNames.get(shape.name.startIndex) ?? writtenName;
        const fact: FunctionFact = {
          name,
          span: spanOf(node),
          nameSpan: nameSpanOf(shape.name, writtenName),
          isStatic: hasStorageClass(node, 'static', source, declarator!.startIndex),
          isDefinition: true,
          signature: foldSpace(source.slice(node.startIndex, headerEnd)),
          doc: leadingComment(node),
        };
        facts.functions.push(fact);
        currentFunction = { name: fact.name, endIndex, scope };
        break;
      }
      case 'declaration':
        if (!currentFunction) {
          readFileScopeDeclaration(node, source, facts, fileScope);
          break;
        }
        currentFunction.scope.declare(node);
        // Read from the text first: few locals are static.
        if (source.startsWith('static', node.startIndex)) readLocalStaticTable(node, facts);
        break;
      case 'typedef': {
        const typeNode = node.childForFieldId(ids.type);
        let declared: DeclaredType | undefined;
        let typeHasBody: boolean | undefined;
        for (const declarator of node.childrenForFieldId(ids.declarator)) {
          const nameNode = declarator ? declaratorShape(declarator).name : undefined;
          if (!nameNode) continue;
          const name = wordOf(nameNode);
          declared ??= { tag: typeTagOf(typeNode), text: typeText(typeNode) };
          if (declared.tag === undefined) typeHasBody ??= !!typeNode?.childForFieldId(ids.body);
          facts.typedefs.push({
            name,
            nameSpan: nameSpanOf(nameNode, name),
            type: declared.text,
            typeTag: declared.tag ?? (typeHasBody ? name : undefined),
          });
        }
        break;
      }
      case 'struct':
      case 'union': {
        const nameNode = node.childForFieldId(ids.name);
        const body = node.childForFieldId(ids.body)!;
        // Anonymous bodies are handled by their parent: a typedef names it, a member flattens it.
        let name = wordOrUndefined(nameNode);
        let nameSpan = nameNode ? spanOf(nameNode) : undefined;
        const parent = node.parent;
        const parentType = parent?.type;
        if (!name && parentType === 'type_definition') {
          const typedefName = declaratorShape(parent!.childForFieldId(ids.declarator)).name;
          name = wordOrUndefined(typedefName);
          nameSpan = typedefName ? spanOf(typedefName) : undefined;
        }
        if (!name || !nameSpan) break;
        facts.structs.push({
          name,
          kind,
          span: spanOf(node),
          nameSpan,
          fields: fieldsOf(body, name, facts.structs, kind),
          doc: leadingComment(
            parentType === 'declaration' || parentType === 'type_definition' ? parent! : node,
          ),
        });
        break;
      }
      case 'enumerator': {
        const nameNode = node.childForFieldId(ids.name);
        if (!nameNode) break;
        const parent = node.parent;
        const enumNode = parent?.parent;
        let index = 0;
        if (parent) {
          index = enumeratorsSeen.get(parent.id) ?? 0;
          enumeratorsSeen.set(parent.id, index + 1);
        }
        const name = wordOf(nameNode);
        const value = node.childForFieldId(ids.value);
        const enumNameNode = enumNode?.type === 'enum_specifier' ? enumNode.childForFieldId(ids.name) : null;
        const enumName = wordOrUndefined(enumNameNode);
        // The first enumerator stands for its enum, as a body stands for its struct.
        if (index === 0 && enumName && enumNameNode)
          facts.enums.push({ name: enumName, nameSpan: spanOf(enumNameNode), span: spanOf(enumNode!) });
        facts.enumConstants.push({
          name,
          nameSpan: nameSpanOf(nameNode, name),
          valueText: value ? textOf(value) : undefined,
          enumName,
          index,
        });
        break;
      }
      case 'macro': {
        const nameNode = node.childForFieldId(ids.name);
        if (!nameNode) break;
        const value = textOrEmpty(node.childForFieldId(ids.value));
        const name = wordOf(nameNode);
        facts.macros.push({
          name,
          nameSpan: nameSpanOf(nameNode, name),
          value: macroValue(value),
        });
        break;
      }
      case 'call':
        if (currentFunction)
          readCall(
            node,
            startsAnotherCall(nodes, position),
            currentFunction.name,
            currentFunction.scope,
            fileScope,
            facts,
          );
        break;
      case 'error':
        errorNodes++;
        break;
      case 'assignment':
        if (currentFunction)
          readAssignment(node, source, currentFunction.name, currentFunction.scope, fileScope, facts);
        break;
    }
  }
  if (errorNodes > 0 && tree.rootNode.hasError) facts.parseErrors = errorNodes;
  facts.functionMacros = functionMacrosIn(text);
  if (loopMacros.length > 0) facts.calls = withLoopMacroCalls(facts.calls, facts.functions, loopMacros);
  return facts;
}

/**
 * Whether a function definition is error recovery's reading of statements. No C function is named by
 * a keyword: `else if (x) {` after an `#if` that split an if/else reads as a function `if`. Inside a
 * body, a block macro `tcp_skb_tsorted_save(skb) { ... }` reads as a function `skb` without a parameter
 * list, and `WARN_ON(x) { ... }` as one named by a macro. Other definitions inside a body are kept:
 * they are real functions that a body whose braces an #ifdef left open swallowed.
 */
function isMisreadStatement(name: string, shape: DeclaratorShape, insideBody: boolean): boolean {
  if (keywords.has(name)) return true;
  return insideBody && (!shape.isFunction || macroLikeName.test(name));
}

/** The kernel writes macros, not functions, in capitals. */
const macroLikeName = /^[A-Z][A-Z0-9_]*$/;

/** Whether a call read after the one at `position` starts where it does (its callee's call). */
function startsAnotherCall(nodes: readonly IndexedNode[], position: number): boolean {
  const start = nodes[position].node.startIndex;
  for (let next = position + 1; next < nodes.length; next++) {
    const { kind, node } = nodes[next];
    if (node.startIndex !== start) return false;
    if (kind === 'call') return true;
  }
  return false;
}

/** The calls with each loop macro inside a function definition added, in document order. */
function withLoopMacroCalls(
  calls: CallFact[],
  functions: FunctionFact[],
  loopMacros: readonly MaskedLoopMacro[],
): CallFact[] {
  const before = (a: { line: number; column: number }, b: { line: number; column: number }) =>
    a.line < b.line || (a.line === b.line && a.column < b.column);
  const definitions = functions.filter((fact) => fact.isDefinition);
  const merged: CallFact[] = [];
  let next = 0;
  let definition = 0;
  const end = (fact: FunctionFact) => ({ line: fact.span.endLine, column: fact.span.endColumn });
  for (const macro of loopMacros) {
    while (definition < definitions.length && before(end(definitions[definition]), macro)) definition++;
    const caller = definitions[definition];
    if (!caller || before(macro, { line: caller.span.line, column: caller.span.column })) continue;
    while (next < calls.length && before(calls[next], macro)) merged.push(calls[next++]);
    merged.push({ caller: caller.name, line: macro.line, column: macro.column, callee: macro.name });
  }
  for (; next < calls.length; next++) merged.push(calls[next]);
  return merged;
}

function readFileScopeDeclaration(node: Node, source: string, facts: FileFacts, fileScope: Scope): void {
  const declarators = node.childrenForFieldId(ids.declarator);
  if (declarators.length === 0) return;
  const typeNode = node.childForFieldId(ids.type);
  const typeTag = typeTagOf(typeNode);
  if (isMisreadType(typeTag)) return;
  const specifiersEnd = declarators[0]?.startIndex ?? Infinity;
  const isStatic = hasStorageClass(node, 'static', source, specifiersEnd);
  const isExtern = hasStorageClass(node, 'extern', source, specifiersEnd);
  let span: Span | undefined;
  let type: string | undefined;
  for (const declarator of declarators) {
    if (!declarator) continue;
    const shape = declaratorShape(declarator);
    if (!shape.name) continue;
    const name = wordOf(shape.name);
    const nameSpan = nameSpanOf(shape.name, name);
    span ??= spanOf(node);
    if (shape.isFunction) {
      facts.functions.push({
        name,
        span: { ...span },
        nameSpan,
        isStatic,
        isDefinition: false,
        signature: foldSpace(textOf(node).replace(/;\s*$/, '')),
      });
      continue;
    }
    const value = declarator.type === 'init_declarator' ? declarator.childForFieldId(ids.value) : null;
    fileScope.set(name, typeTag ?? '');
    type ??= typeText(typeNode);
    facts.variables.push({
      name,
      nameSpan,
      isStatic,
      isDeclarationOnly: isExtern || !value,
      type,
      typeTag,
      isArray: shape.isArray,
    });
    if (typeTag && value?.type === 'initializer_list')
      readTable(value, { name, typeTag, isArray: shape.isArray, isStatic, nameSpan, span }, facts);
  }
}

/** A table's initialiser: its slots, and the table itself. */
function readTable(
  list: Node,
  table: { name: string; typeTag: string; isArray: boolean; isStatic: boolean; nameSpan: Span; span: Span },
  facts: FileFacts,
): void {
  const reader = new InitializerReader(table.name, table.typeTag, facts.slots, source);
  reader.isArrayRoot = table.isArray;
  const elements = reader.read(list, '', undefined);
  if (!table.isArray) readMacroFilledSlots(list, table.name, table.typeTag, facts);
  facts.tables.push({
    name: table.name,
    struct: table.typeTag,
    nameSpan: { ...table.nameSpan },
    span: { ...table.span },
    isStatic: table.isStatic,
    isArray: table.isArray,
    elements: table.isArray ? elements : 1,
  });
}

const designatorPattern = /\.(\w+(?:\.\w+)*)\s*=\s*(&?)\s*([A-Za-z_]\w*)\s*(?=[,\\]|$)/g;
/** Macros expanded inside a macro's value, at most this deep (a macro that names itself stops here). */
const macroFillDepth = 4;

/** The file's object-like macros so far whose value holds a designator, by name. */
const designatorMacrosCache = new WeakMap<FileFacts, { count: number; values: Map<string, string> }>();

function designatorMacros(facts: FileFacts): Map<string, string> {
  const cached = designatorMacrosCache.get(facts);
  if (cached?.count === facts.macros.length) return cached.values;
  const values = new Map<string, string>();
  for (const macro of facts.macros) if (/\.\w+\s*=/.test(macro.value)) values.set(macro.name, macro.value);
  designatorMacrosCache.set(facts, { count: facts.macros.length, values });
  return values;
}

/**
 * Slots a macro of this file fills (`HWSIM_COMMON_OPS` standing for `.tx = mac80211_hwsim_tx, ...`
 * in `mac80211_hwsim_ops`): the macro's designators, each spanning the macro's name in the table.
 */
function readMacroFilledSlots(list: Node, table: string, struct: string, facts: FileFacts): void {
  const macros = designatorMacros(facts);
  if (macros.size === 0) return;
  const text = textOf(list);
  for (const use of text.matchAll(/\b[A-Za-z_]\w*\b/g)) {
    if (!macros.has(use[0]) || /[=.]\s*$/.test(text.slice(0, use.index))) continue;
    const before = text.slice(0, use.index);
    const line = list.startPosition.row + (before.match(/\n/g)?.length ?? 0);
    const column =
      before.lastIndexOf('\n') === -1
        ? list.startPosition.column + before.length
        : before.length - before.lastIndexOf('\n') - 1;
    const span = { line, column, endLine: line, endColumn: column + use[0].length };
    for (const [field, value, addressOf] of designatorsOf(use[0], macros, macroFillDepth))
      facts.slots.push({ table, struct, field, value, addressOf, span, recovered: true });
  }
}

/** The `.field = value` pairs of a macro's value, with those of the macros it names. */
function designatorsOf(
  name: string,
  macros: Map<string, string>,
  depth: number,
): [string, string, boolean][] {
  const value = macros.get(name);
  if (value === undefined || depth === 0) return [];
  const pairs: [string, string, boolean][] = [];
  for (const match of value.matchAll(designatorPattern)) pairs.push([match[1], match[3], match[2] === '&']);
  for (const inner of value.matchAll(/\b[A-Za-z_]\w*\b/g))
    if (inner[0] !== name && macros.has(inner[0]) && !/[=.]\s*$/.test(value.slice(0, inner.index)))
      pairs.push(...designatorsOf(inner[0], macros, depth - 1));
  return pairs;
}

/**
 * A function's own `static const struct nf_hook_ops ops[] = {...}` is a table like one at file
 * scope. Only its slots and table are facts: the name is not a global variable.
 */
function readLocalStaticTable(node: Node, facts: FileFacts): void {
  const declarators = node.childrenForFieldId(ids.declarator);
  const first = declarators[0];
  if (!first || !hasStorageClass(node, 'static', source, first.startIndex)) return;
  let typeTag: string | undefined;
  for (const declarator of declarators) {
    const value = declarator?.type === 'init_declarator' ? declarator.childForFieldId(ids.value) : null;
    if (value?.type !== 'initializer_list') continue;
    const shape = declaratorShape(declarator);
    if (!shape.name) continue;
    typeTag ??= typeTagOf(node.childForFieldId(ids.type));
    if (!typeTag) return;
    const name = wordOf(shape.name);
    const nameSpan = nameSpanOf(shape.name, name);
    readTable(
      value,
      { name, typeTag, isArray: shape.isArray, isStatic: true, nameSpan, span: spanOf(node) },
      facts,
    );
  }
}

function readCall(
  node: Node,
  calleeIsCall: boolean,
  caller: string,
  scope: NameTypes,
  fileScope: Scope,
  facts: FileFacts,
): void {
  const shape = calleeOf(node, calleeIsCall);
  if (!shape) return;
  const call: CallFact = {
    caller,
    line: shape.callee.startPosition.row,
    column: shape.callee.startPosition.column,
    callee: shape.name,
  };
  if (shape.via) call.via = shape.via;
  if (shape.receiver) call.receiver = typePathOf(shape.receiver, scope, fileScope);
  facts.calls.push(call);
  if (!shape.receiver)
    readNameArguments(shape.callee.startIndex, node.endIndex, call, scope, fileScope, facts);
  const positions = registrars.get(call.callee);
  if (positions && !shape.receiver) {
    const args = node.childForFieldId(ids.arguments)?.namedChildren ?? [];
    for (const position of positions) {
      const argument = args[position];
      if (!argument) continue;
      const value = /^&?\s*([A-Za-z_]\w*)$/.exec(textOf(argument))?.[1];
      if (value)
        facts.registrations.push({ function: caller, registrar: call.callee, value, span: spanOf(argument) });
    }
  }
}

/** The expressions a field assignment may store a name or another field through. */
const storedValueTypes = new Set([
  'identifier',
  'pointer_expression',
  'conditional_expression',
  'parenthesized_expression',
  'cast_expression',
  'field_expression',
]);

/**
 * The names a direct call passes that may be functions handed on (`NF_HOOK(..., okfn)`): not the
 * function's locals and parameters, not the file's variables, not a keyword, and with a lowercase
 * letter (by kernel convention a name without one is a macro or constant: `NULL`, `GFP_KERNEL`).
 */
function readNameArguments(
  calleeStart: number,
  callEnd: number,
  call: CallFact,
  scope: NameTypes,
  fileScope: Scope,
  facts: FileFacts,
): void {
  const open = skipWhitespace(source, calleeStart + call.callee.length);
  if (source.charCodeAt(open) !== Char.ParenOpen) return;
  for (const { name, start } of nameArguments(source, open, callEnd)) {
    if (!/[a-z]/.test(name) || keywords.has(name) || fileScope.has(name) || scope.has(name)) continue;
    const lineStart = source.lastIndexOf('\n', start - 1);
    const onCallLine = lineStart < calleeStart;
    facts.arguments.push({
      function: call.caller,
      name,
      passedTo: call.callee,
      line: onCallLine ? call.line : call.line + countLineFeeds(calleeStart, start),
      column: onCallLine ? call.column + (start - calleeStart) : start - lineStart - 1,
    });
  }
}

function countLineFeeds(from: number, to: number): number {
  let count = 0;
  for (let at = source.indexOf('\n', from); at >= 0 && at < to; at = source.indexOf('\n', at + 1)) count++;
  return count;
}

function readAssignment(
  node: Node,
  source: string,
  caller: string,
  scope: NameTypes,
  fileScope: Scope,
  facts: FileFacts,
): void {
  // Most field assignments store an expression, not a name: that is the cheapest question to ask.
  const right = node.childForFieldId(ids.right);
  if (!right) return;
  const rightType = right.type;
  if (!storedValueTypes.has(rightType)) return;
  if (rightType === 'pointer_expression' && source.charCodeAt(right.startIndex) !== Char.Ampersand) return;
  // Of the assignment operators only `=` starts with `=`.
  const operator = node.childForFieldId(ids.operator);
  if (!operator || source.charCodeAt(operator.startIndex) !== Char.Equals) return;
  // Only a field expression has a field: `*p = x` and `a[i] = x` bind nothing.
  const left = node.childForFieldId(ids.left);
  const field = wordOrUndefined(left?.childForFieldId(ids.field));
  const argument = left?.childForFieldId(ids.argument);
  if (!field || !argument) return;
  const stored = unwrap(right, rightType);
  if (stored.type === 'field_expression') {
    const sourceField = wordOrUndefined(stored.node.childForFieldId(ids.field));
    const sourceArgument = stored.node.childForFieldId(ids.argument);
    if (!sourceField || !sourceArgument) return;
    facts.copies.push({
      function: caller,
      target: typePathOf(argument, scope, fileScope),
      field,
      source: typePathOf(sourceArgument, scope, fileScope),
      sourceField,
      span: spanOf(node),
    });
    return;
  }
  let target: TypePath | undefined;
  for (const { name, addressOf } of storedNames(right, rightType)) {
    const value = wordOf(name);
    // A local, a parameter or one of the file's variables of no struct type is data, not a function.
    if (scope.has(value) || fileScope.get(value) === '') continue;
    target ??= typePathOf(argument, scope, fileScope);
    facts.bindings.push({ function: caller, target, field, value, addressOf, span: spanOf(node) });
  }
}

/** A name a field is given: `f`, or `t` in `&t`; `written` is the value as written, for its span. */
interface StoredName {
  name: Node;
  written: Node;
  addressOf: boolean;
}

/**
 * The names an expression stores: `f`, `&t`, `(cast)f`, `(f)`, and both arms of `c ? f : g` (of
 * `c ?: g`, `c` and `g`), for `po->prot_hook.func = ring ? tpacket_rcv : packet_rcv`.
 */
function storedNames(
  expression: Node,
  type = expression.type,
  written = expression,
  found: StoredName[] = [],
): StoredName[] {
  switch (type) {
    case 'identifier':
      found.push({ name: expression, written, addressOf: false });
      break;
    case 'pointer_expression': {
      const argument = expression.childForFieldId(ids.argument);
      if (source.charCodeAt(expression.startIndex) === Char.Ampersand && argument?.type === 'identifier')
        found.push({ name: argument, written, addressOf: true });
      break;
    }
    case 'parenthesized_expression':
    case 'cast_expression': {
      const inner =
        type === 'cast_expression' ? expression.childForFieldId(ids.value) : expression.namedChild(0);
      if (inner) storedNames(inner, inner.type, written, found);
      break;
    }
    case 'conditional_expression':
      for (const arm of [
        expression.childForFieldId(ids.consequence) ?? expression.childForFieldId(ids.condition),
        expression.childForFieldId(ids.alternative),
      ]) {
        if (arm) storedNames(arm, arm.type, arm, found);
      }
      break;
  }
  return found;
}
