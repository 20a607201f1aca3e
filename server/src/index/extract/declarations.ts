// What the file declares outside function bodies: prototypes and variables (ops tables among them),
// typedefs, structs and unions with their fields, enumerators, object-like macros.
import type { Node } from 'web-tree-sitter';
import type { FieldFact, Span, StructFact } from '../facts';
import { macroValue } from '../lexical-macros';
import { foldSpace, nameSpanOf, type ExtractContext } from './context';
import { spanOf } from '../../parse/node-span';
import {
  conditionalBlocks,
  declaratorShape,
  hasStorageClass,
  isMisreadType,
  leadingComment,
  typeTagOf,
  typeText,
} from './node-shapes';
import { readTable } from './tables';

/** The type a declaration gives each of its declarators, read once for all of them. */
interface DeclaredType {
  tag: string | undefined;
  text: string;
}

export function readFileScopeDeclaration(cx: ExtractContext, node: Node): void {
  const { ids, facts } = cx;
  const declarators = node.childrenForFieldId(ids.declarator);
  if (declarators.length === 0) return;
  const typeNode = node.childForFieldId(ids.type);
  const typeTag = typeTagOf(cx, typeNode);
  if (isMisreadType(cx, typeTag)) return;
  const specifiersEnd = declarators[0]?.startIndex ?? Infinity;
  const isStatic = hasStorageClass(cx, node, 'static', specifiersEnd);
  const isExtern = hasStorageClass(cx, node, 'extern', specifiersEnd);
  let span: Span | undefined;
  let type: string | undefined;
  for (const declarator of declarators) {
    if (!declarator) continue;
    const shape = declaratorShape(cx, declarator);
    if (!shape.name) continue;
    const name = cx.wordOf(shape.name);
    const nameSpan = nameSpanOf(shape.name, name);
    span ??= spanOf(node);
    if (shape.isFunction) {
      facts.functions.push({
        name,
        span: { ...span },
        nameSpan,
        isStatic,
        isDefinition: false,
        signature: foldSpace(cx.textOf(node).replace(/;\s*$/, '')),
      });
      continue;
    }
    const value = declarator.type === 'init_declarator' ? declarator.childForFieldId(ids.value) : null;
    cx.fileScope.set(name, typeTag ?? '');
    type ??= typeText(cx, typeNode);
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
      readTable(cx, value, { name, typeTag, isArray: shape.isArray, isStatic, nameSpan, span });
  }
}

export function readTypedef(cx: ExtractContext, node: Node): void {
  const { ids } = cx;
  const typeNode = node.childForFieldId(ids.type);
  let declared: DeclaredType | undefined;
  let typeHasBody: boolean | undefined;
  for (const declarator of node.childrenForFieldId(ids.declarator)) {
    const nameNode = declarator ? declaratorShape(cx, declarator).name : undefined;
    if (!nameNode) continue;
    const name = cx.wordOf(nameNode);
    declared ??= { tag: typeTagOf(cx, typeNode), text: typeText(cx, typeNode) };
    if (declared.tag === undefined) typeHasBody ??= !!typeNode?.childForFieldId(ids.body);
    cx.facts.typedefs.push({
      name,
      nameSpan: nameSpanOf(nameNode, name),
      type: declared.text,
      typeTag: declared.tag ?? (typeHasBody ? name : undefined),
    });
  }
}

/** A struct or union with a body. Anonymous bodies are read by their parent: a typedef names it, a member flattens it. */
export function readStruct(cx: ExtractContext, node: Node, kind: 'struct' | 'union'): void {
  const { ids, facts } = cx;
  const nameNode = node.childForFieldId(ids.name);
  const body = node.childForFieldId(ids.body)!;
  let name = cx.wordOrUndefined(nameNode);
  let nameSpan = nameNode ? spanOf(nameNode) : undefined;
  const parent = node.parent;
  const parentType = parent?.type;
  if (!name && parentType === 'type_definition') {
    const typedefName = declaratorShape(cx, parent!.childForFieldId(ids.declarator)).name;
    name = cx.wordOrUndefined(typedefName);
    nameSpan = typedefName ? spanOf(typedefName) : undefined;
  }
  if (!name || !nameSpan) return;
  facts.structs.push({
    name,
    kind,
    span: spanOf(node),
    nameSpan,
    fields: fieldsOf(cx, body, name, kind),
    doc: leadingComment(
      cx,
      parentType === 'declaration' || parentType === 'type_definition' ? parent! : node,
    ),
  });
}

function fieldsOf(cx: ExtractContext, body: Node, ownerTag: string, kind: 'struct' | 'union'): FieldFact[] {
  const { ids } = cx;
  const structs: StructFact[] = cx.facts.structs;
  const fields: FieldFact[] = [];
  for (const declaration of body.namedChildren) {
    const type = declaration?.type;
    if (type && conditionalBlocks.has(type)) {
      // Fields under #if/#ifdef, every branch's: the index serves every configuration.
      fields.push(...fieldsOf(cx, declaration!, ownerTag, kind));
      continue;
    }
    if (type !== 'field_declaration') continue;
    const typeNode = declaration.childForFieldId(ids.type);
    const declarators = declaration.childrenForFieldId(ids.declarator);
    const innerBody = typeNode?.childForFieldId(ids.body);
    const anonymous = innerBody && !typeNode?.childForFieldId(ids.name);
    if (declarators.length === 0 && anonymous && innerBody) {
      // struct { union { a; b; }; } : members of an anonymous member belong to the parent.
      fields.push(...fieldsOf(cx, innerBody, ownerTag, kind));
      continue;
    }
    let declared: DeclaredType | undefined;
    for (const declarator of declarators) {
      if (!declarator) continue;
      const shape = declaratorShape(cx, declarator);
      if (!shape.name) continue;
      declared ??= { tag: typeTagOf(cx, typeNode), text: typeText(cx, typeNode, innerBody) };
      const name = cx.wordOf(shape.name);
      let typeTag = declared.tag;
      if (anonymous && innerBody) {
        // A named member of anonymous struct type gets a synthetic tag so `a->member.x` resolves.
        typeTag = `${ownerTag}.${name}`;
        structs.push({
          name: typeTag,
          kind: typeNode?.type === 'union_specifier' ? 'union' : kind,
          span: spanOf(typeNode!),
          nameSpan: spanOf(shape.name),
          fields: fieldsOf(cx, innerBody, typeTag, kind),
        });
      }
      fields.push({
        name,
        nameSpan: spanOf(shape.name),
        type: foldSpace(`${declared.text} ${cx.textOf(declarator).replace(name, '')}`),
        typeTag,
        isFunctionPointer: shape.isFunctionPointer,
      });
    }
  }
  return fields;
}

/**
 * One enumerator. `enumeratorsSeen` counts each list's enumerators so far (nodes come in document
 * order); the first enumerator stands for its enum, as a body stands for its struct.
 */
export function readEnumerator(cx: ExtractContext, node: Node, enumeratorsSeen: Map<number, number>): void {
  const { ids, facts } = cx;
  const nameNode = node.childForFieldId(ids.name);
  if (!nameNode) return;
  const parent = node.parent;
  const enumNode = parent?.parent;
  let index = 0;
  if (parent) {
    index = enumeratorsSeen.get(parent.id) ?? 0;
    enumeratorsSeen.set(parent.id, index + 1);
  }
  const name = cx.wordOf(nameNode);
  const value = node.childForFieldId(ids.value);
  const enumNameNode = enumNode?.type === 'enum_specifier' ? enumNode.childForFieldId(ids.name) : null;
  const enumName = cx.wordOrUndefined(enumNameNode);
  if (index === 0 && enumName && enumNameNode)
    facts.enums.push({ name: enumName, nameSpan: spanOf(enumNameNode), span: spanOf(enumNode!) });
  facts.enumConstants.push({
    name,
    nameSpan: nameSpanOf(nameNode, name),
    valueText: value ? cx.textOf(value) : undefined,
    enumName,
    index,
  });
}

/** An object-like macro (function-like ones are read from the text: function-macros.ts). */
export function readObjectMacro(cx: ExtractContext, node: Node): void {
  const nameNode = node.childForFieldId(cx.ids.name);
  if (!nameNode) return;
  const value = cx.textOrEmpty(node.childForFieldId(cx.ids.value));
  const name = cx.wordOf(nameNode);
  cx.facts.macros.push({ name, nameSpan: nameSpanOf(nameNode, name), value: macroValue(value) });
}
