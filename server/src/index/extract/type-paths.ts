// Inside a function body: which names are the function's own, what an expression's type is (a root
// and the fields read from it), and what a call really calls.
import type { Node } from 'web-tree-sitter';
import type { TypePath } from '../facts';
import { Char, isWordStart, skipWhitespace, wordEnd } from '../c-characters';
import { containerOfMacros, indirectCallWrappers, transparentAccessors } from '../kernel-macros';
import type { ExtractContext, Scope } from './context';
import { declaratorShape, isMisreadType, typeTagOf } from './node-shapes';

/** Where a name's type is looked up: a function's locals and parameters, or the file scope. */
export interface NameTypes {
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
export class FunctionScope implements NameTypes {
  private readonly types: Scope = new Map();
  private pending: Node[] = [];

  constructor(
    private readonly cx: ExtractContext,
    private parameters: Node | undefined,
  ) {}

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
      this.addParameters(this.parameters);
      this.parameters = undefined;
    }
    if (this.pending.length === 0) return;
    for (const declaration of this.pending) this.addDeclaration(declaration);
    this.pending = [];
  }

  // Every local and parameter is kept, typed or not: a name declared here is a value of this
  // function, never a function it installs or hands on (`x->cpu = cpu`).
  private addParameters(parameters: Node): void {
    const { cx } = this;
    for (const parameter of parameters.namedChildren) {
      if (parameter?.type !== 'parameter_declaration') continue;
      const name = cx.wordOrUndefined(declaratorShape(cx, parameter.childForFieldId(cx.ids.declarator)).name);
      if (name) this.types.set(name, typeTagOf(cx, parameter.childForFieldId(cx.ids.type)) ?? '');
    }
  }

  private addDeclaration(declaration: Node): void {
    const { cx } = this;
    let tag: string | undefined;
    for (const declarator of declaration.childrenForFieldId(cx.ids.declarator)) {
      const name = cx.wordOrUndefined(declaratorShape(cx, declarator).name);
      if (!name) continue;
      tag ??= typeTagOf(cx, declaration.childForFieldId(cx.ids.type)) ?? '';
      if (isMisreadType(cx, tag)) return;
      this.types.set(name, tag);
    }
  }
}

/** A node with its type, read once. */
export interface TypedNode {
  node: Node;
  type: string;
}

/** Unwraps parentheses and accessor macros that do not change an expression's type. */
export function unwrap(cx: ExtractContext, node: Node, type = node.type): TypedNode {
  const { ids } = cx;
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
export function typePathOf(cx: ExtractContext, expression: Node, scope: NameTypes): TypePath {
  const { ids } = cx;
  const { node, type } = unwrap(cx, expression);
  switch (type) {
    case 'identifier': {
      const name = cx.wordOf(node);
      const local = scope.get(name);
      if (local !== undefined) return local ? { root: local, fields: [] } : { fields: [] };
      // A global keeps its name even when typed here, so a call through a named table
      // (`tcp_prot.recvmsg(...)`) reaches that table's slot only.
      const root = cx.fileScope.get(name);
      return root ? { root, global: name, fields: [] } : { fields: [], global: name };
    }
    case 'field_expression': {
      const argument = node.childForFieldId(ids.argument);
      const field = cx.wordOrUndefined(node.childForFieldId(ids.field));
      if (!argument || !field) return { fields: [] };
      const base = typePathOf(cx, argument, scope);
      return { ...base, fields: [...base.fields, field] };
    }
    case 'cast_expression':
      return { root: typeTagOf(cx, node.childForFieldId(ids.type)), fields: [] };
    case 'subscript_expression':
    case 'pointer_expression': {
      const inner = node.childForFieldId(ids.argument);
      return inner ? typePathOf(cx, inner, scope) : { fields: [] };
    }
    case 'call_expression': {
      const callee = node.childForFieldId(ids.function)?.text ?? '';
      if (containerOfMacros.has(callee)) {
        const tag = /\b(?:struct|union)\s+(\w+)/.exec(
          cx.textOrEmpty(node.childForFieldId(ids.arguments)),
        )?.[1];
        return { root: tag, fields: [] };
      }
      return /^\w+$/.test(callee) ? { fields: [], returnedBy: callee } : { fields: [] };
    }
    default:
      return { fields: [] };
  }
}

export interface CalleeShape {
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
export function directCalleeName(cx: ExtractContext, call: Node): string | undefined {
  const { source } = cx;
  const start = call.startIndex;
  if (!isWordStart(source.charCodeAt(start))) return undefined;
  const end = wordEnd(source, start);
  if (source.charCodeAt(skipWhitespace(source, end)) !== Char.ParenOpen) return undefined;
  const name = source.slice(start, end);
  return cx.keywords.has(name) ? undefined : name;
}

/**
 * The real callee of a call: through INDIRECT_CALL_* wrappers and parentheses. `calleeIsCall` says
 * that another call starts where this one does, so this one calls what that one returns.
 */
export function calleeOf(cx: ExtractContext, call: Node, calleeIsCall: boolean): CalleeShape | undefined {
  const { ids } = cx;
  if (!calleeIsCall) {
    const name = directCalleeName(cx, call);
    if (name !== undefined && !indirectCallWrappers.has(name)) return { callee: call, name };
  }
  const functionNode = call.childForFieldId(ids.function);
  if (!functionNode) return undefined;
  let target: TypedNode = { node: functionNode, type: functionNode.type };
  let via: string | undefined;
  if (target.type === 'identifier') {
    const name = cx.wordOf(functionNode);
    // The common case, a direct call f(...), needs nothing more.
    if (!indirectCallWrappers.has(name)) return { callee: functionNode, name };
    via = name;
    const first = call.childForFieldId(ids.arguments)?.namedChild(0);
    if (!first) return undefined;
    target = { node: first, type: first.type };
  }
  target = unwrap(cx, target.node, target.type);
  if (target.type === 'pointer_expression') {
    const argument = target.node.childForFieldId(ids.argument);
    if (argument) target = unwrap(cx, argument);
  }
  if (target.type === 'identifier') return { callee: target.node, name: cx.wordOf(target.node), via };
  if (target.type === 'field_expression') {
    const field = target.node.childForFieldId(ids.field);
    const argument = target.node.childForFieldId(ids.argument);
    if (field && argument) return { callee: field, name: cx.wordOf(field), receiver: argument, via };
  }
  return undefined;
}
