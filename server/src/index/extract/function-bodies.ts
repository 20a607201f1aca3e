// Function definitions and what their bodies do: calls (with the receiver's type path for a call
// through a field, names handed on to other functions, registrations) and field assignments
// (run-time bindings of a function to a field, copies of one field from another).
import type { Node } from 'web-tree-sitter';
import type { CallFact, FunctionFact, TypePath } from '../facts';
import { Char, skipWhitespace } from '../c-characters';
import { nameArguments } from '../call-arguments';
import { registrars } from '../kernel-macros';
import type { MaskedLoopMacro } from '../kernel-syntax-mask';
import { foldSpace, nameSpanOf, type ExtractContext } from './context';
import { spanOf } from '../../parse/node-span';
import {
  declaratorShape,
  hasStorageClass,
  leadingComment,
  storedNames,
  type DeclaratorShape,
} from './node-shapes';
import { calleeOf, directCalleeName, FunctionScope, typePathOf, unwrap, type NameTypes } from './type-paths';

/** The function whose body the walk is in. */
export interface EnclosingFunction {
  name: string;
  endIndex: number;
  scope: FunctionScope;
}

/**
 * A function definition: its fact, and the function the walk is now in. Undefined for what error
 * recovery made of statements, whose block macro head (if any) is a call of `enclosing`.
 */
export function readFunctionDefinition(
  cx: ExtractContext,
  node: Node,
  enclosing: EnclosingFunction | undefined,
  macroDefinedNames: ReadonlyMap<number, string>,
): EnclosingFunction | undefined {
  const { ids, source, facts } = cx;
  const declarator = node.childForFieldId(ids.declarator);
  const shape = declaratorShape(cx, declarator);
  if (!shape.name) return undefined;
  const writtenName = cx.wordOf(shape.name);
  if (isMisreadStatement(cx, writtenName, shape, enclosing !== undefined)) {
    // The body's statements stay the enclosing function's; a block macro's head is its call.
    const blockMacro = shape.isFunction ? undefined : directCalleeName(cx, node);
    if (enclosing && blockMacro !== undefined) {
      const { row, column } = node.startPosition;
      facts.calls.push({ caller: enclosing.name, line: row, column, callee: blockMacro });
    }
    return undefined;
  }
  const body = node.childForFieldId(ids.body);
  const endIndex = node.endIndex;
  const headerEnd = body ? body.startIndex : endIndex;
  const fact: FunctionFact = {
    name: macroDefinedNames.get(shape.name.startIndex) ?? writtenName,
    span: spanOf(node),
    nameSpan: nameSpanOf(shape.name, writtenName),
    isStatic: hasStorageClass(cx, node, 'static', declarator!.startIndex),
    isDefinition: true,
    signature: foldSpace(source.slice(node.startIndex, headerEnd)),
    doc: leadingComment(cx, node),
  };
  facts.functions.push(fact);
  return { name: fact.name, endIndex, scope: new FunctionScope(cx, shape.parameters) };
}

/**
 * Whether a function definition is error recovery's reading of statements. No C function is named by
 * a keyword: `else if (x) {` after an `#if` that split an if/else reads as a function `if`. Inside a
 * body, a block macro `tcp_skb_tsorted_save(skb) { ... }` reads as a function `skb` without a parameter
 * list, and `WARN_ON(x) { ... }` as one named by a macro. Other definitions inside a body are kept:
 * they are real functions that a body whose braces an #ifdef left open swallowed.
 */
function isMisreadStatement(
  cx: ExtractContext,
  name: string,
  shape: DeclaratorShape,
  insideBody: boolean,
): boolean {
  if (cx.keywords.has(name)) return true;
  return insideBody && (!shape.isFunction || macroLikeName.test(name));
}

/** The kernel writes macros, not functions, in capitals. */
const macroLikeName = /^[A-Z][A-Z0-9_]*$/;

export function readCall(
  cx: ExtractContext,
  node: Node,
  calleeIsCall: boolean,
  caller: string,
  scope: NameTypes,
): void {
  const { ids, facts } = cx;
  const shape = calleeOf(cx, node, calleeIsCall);
  if (!shape) return;
  const call: CallFact = {
    caller,
    line: shape.callee.startPosition.row,
    column: shape.callee.startPosition.column,
    callee: shape.name,
  };
  if (shape.via) call.via = shape.via;
  if (shape.receiver) call.receiver = typePathOf(cx, shape.receiver, scope);
  facts.calls.push(call);
  if (!shape.receiver) readNameArguments(cx, shape.callee.startIndex, node.endIndex, call, scope);
  const positions = registrars.get(call.callee);
  if (positions && !shape.receiver) {
    const args = node.childForFieldId(ids.arguments)?.namedChildren ?? [];
    for (const position of positions) {
      const argument = args[position];
      if (!argument) continue;
      const value = /^&?\s*([A-Za-z_]\w*)$/.exec(cx.textOf(argument))?.[1];
      if (value)
        facts.registrations.push({ function: caller, registrar: call.callee, value, span: spanOf(argument) });
    }
  }
}

/**
 * The names a direct call passes that may be functions handed on (`NF_HOOK(..., okfn)`): not the
 * function's locals and parameters, not the file's variables, not a keyword, and with a lowercase
 * letter (by kernel convention a name without one is a macro or constant: `NULL`, `GFP_KERNEL`).
 */
function readNameArguments(
  cx: ExtractContext,
  calleeStart: number,
  callEnd: number,
  call: CallFact,
  scope: NameTypes,
): void {
  const { source } = cx;
  const open = skipWhitespace(source, calleeStart + call.callee.length);
  if (source.charCodeAt(open) !== Char.ParenOpen) return;
  for (const { name, start } of nameArguments(source, open, callEnd)) {
    if (!/[a-z]/.test(name) || cx.keywords.has(name) || cx.fileScope.has(name) || scope.has(name)) continue;
    const lineStart = source.lastIndexOf('\n', start - 1);
    const onCallLine = lineStart < calleeStart;
    cx.facts.arguments.push({
      function: call.caller,
      name,
      passedTo: call.callee,
      line: onCallLine ? call.line : call.line + cx.lineFeedsBetween(calleeStart, start),
      column: onCallLine ? call.column + (start - calleeStart) : start - lineStart - 1,
    });
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

export function readAssignment(cx: ExtractContext, node: Node, caller: string, scope: NameTypes): void {
  const { ids, source, facts } = cx;
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
  const field = cx.wordOrUndefined(left?.childForFieldId(ids.field));
  const argument = left?.childForFieldId(ids.argument);
  if (!field || !argument) return;
  const stored = unwrap(cx, right, rightType);
  if (stored.type === 'field_expression') {
    const sourceField = cx.wordOrUndefined(stored.node.childForFieldId(ids.field));
    const sourceArgument = stored.node.childForFieldId(ids.argument);
    if (!sourceField || !sourceArgument) return;
    facts.copies.push({
      function: caller,
      target: typePathOf(cx, argument, scope),
      field,
      source: typePathOf(cx, sourceArgument, scope),
      sourceField,
      span: spanOf(node),
    });
    return;
  }
  let target: TypePath | undefined;
  for (const { name, addressOf } of storedNames(cx, right, rightType)) {
    const value = cx.wordOf(name);
    // A local, a parameter or one of the file's variables of no struct type is data, not a function.
    if (scope.has(value) || cx.fileScope.get(value) === '') continue;
    target ??= typePathOf(cx, argument, scope);
    facts.bindings.push({ function: caller, target, field, value, addressOf, span: spanOf(node) });
  }
}

/** The calls with each loop macro inside a function definition added, in document order. */
export function withLoopMacroCalls(
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
