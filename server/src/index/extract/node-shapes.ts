// What a declaration, a type or a stored expression says, read off its nodes: the small questions
// every part of the extractor asks.
import type { Node } from 'web-tree-sitter';
import { Char } from '../c-characters';
import { foldSpace, type ExtractContext } from './context';

/** The struct/union tag or typedef name a type node names: `proto_ops` for `const struct proto_ops`. */
export function typeTagOf(cx: ExtractContext, typeNode: Node | null): string | undefined {
  if (!typeNode) return undefined;
  switch (typeNode.type) {
    case 'struct_specifier':
    case 'union_specifier':
      return cx.wordOrUndefined(typeNode.childForFieldId(cx.ids.name));
    case 'type_identifier':
      return cx.wordOf(typeNode);
    case 'type_descriptor':
      return typeTagOf(cx, typeNode.childForFieldId(cx.ids.type));
    default:
      return undefined;
  }
}

/**
 * Whether a declaration's type is a keyword: error recovery's reading of a statement. An `#if` that
 * splits an if/else leaves `else WARN_ON(1);` to read as the declaration of a function `WARN_ON`.
 */
export const isMisreadType = (cx: ExtractContext, typeTag: string | undefined): boolean =>
  typeTag !== undefined && cx.keywords.has(typeTag);

/** A type's text without any body it defines: `struct proto_ops`, `union {…}`. */
export function typeText(
  cx: ExtractContext,
  typeNode: Node | null | undefined,
  body = typeNode?.childForFieldId(cx.ids.body),
): string {
  if (!typeNode) return '';
  if (!body) return foldSpace(cx.textOf(typeNode));
  const keyword = typeNode.type.replace('_specifier', '');
  return `${keyword} ${cx.wordOrUndefined(typeNode.childForFieldId(cx.ids.name)) ?? '{…}'}`;
}

/** Walks a declarator down to its identifier, noting pointers, arrays and function declarators. */
export interface DeclaratorShape {
  name?: Node;
  isArray: boolean;
  isFunction: boolean;
  isFunctionPointer: boolean;
  parameters?: Node;
}

export function declaratorShape(cx: ExtractContext, declarator: Node | null): DeclaratorShape {
  const { ids } = cx;
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
export function hasStorageClass(
  cx: ExtractContext,
  node: Node,
  keyword: string,
  specifiersEnd: number,
): boolean {
  if (!cx.source.substring(node.startIndex, specifiersEnd).includes(keyword)) return false;
  for (const child of node.namedChildren) {
    if (child?.type === 'storage_class_specifier' && child.text === keyword) return true;
  }
  return false;
}

/** The comment block ending on the line above `node` (kernel-doc or plain). */
export function leadingComment(cx: ExtractContext, node: Node): string | undefined {
  let previous = node.previousSibling;
  const parts: string[] = [];
  let expectedEndRow = node.startPosition.row - 1;
  while (previous?.type === 'comment') {
    if (previous.endPosition.row < expectedEndRow) break;
    parts.unshift(cx.textOf(previous));
    expectedEndRow = previous.startPosition.row - 1;
    previous = previous.previousSibling;
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** Preprocessor conditionals, whose items are looked into as if they stood in the block around them. */
export const conditionalBlocks = new Set([
  'preproc_if',
  'preproc_ifdef',
  'preproc_else',
  'preproc_elif',
  'preproc_elifdef',
]);

/** A name a field is given: `f`, or `t` in `&t`; `written` is the value as written, for its span. */
export interface StoredName {
  name: Node;
  written: Node;
  addressOf: boolean;
}

/**
 * The names an expression stores: `f`, `&t`, `(cast)f`, `(f)`, and both arms of `c ? f : g` (of
 * `c ?: g`, `c` and `g`), for `po->prot_hook.func = ring ? tpacket_rcv : packet_rcv`.
 */
export function storedNames(
  cx: ExtractContext,
  expression: Node,
  type = expression.type,
  written = expression,
  found: StoredName[] = [],
): StoredName[] {
  const { ids } = cx;
  switch (type) {
    case 'identifier':
      found.push({ name: expression, written, addressOf: false });
      break;
    case 'pointer_expression': {
      const argument = expression.childForFieldId(ids.argument);
      if (cx.source.charCodeAt(expression.startIndex) === Char.Ampersand && argument?.type === 'identifier')
        found.push({ name: argument, written, addressOf: true });
      break;
    }
    case 'parenthesized_expression':
    case 'cast_expression': {
      const inner =
        type === 'cast_expression' ? expression.childForFieldId(ids.value) : expression.namedChild(0);
      if (inner) storedNames(cx, inner, inner.type, written, found);
      break;
    }
    case 'conditional_expression':
      for (const arm of [
        expression.childForFieldId(ids.consequence) ?? expression.childForFieldId(ids.condition),
        expression.childForFieldId(ids.alternative),
      ]) {
        if (arm) storedNames(cx, arm, arm.type, arm, found);
      }
      break;
  }
  return found;
}
