// The nodes of a tree the extractor reads, found in one walk inside WASM.
import type { Node, Tree } from 'web-tree-sitter';
import { Char, isWordStart, lastNonWhitespaceBefore, skipWhitespace, wordEnd } from '../c-characters';

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

export interface IndexedNode {
  kind: IndexedNodeKind;
  node: Node;
}

/**
 * The nodes of `tree` the extractor reads, in document order, from one walk inside WASM
 * (`descendantsOfType`): a query's walk and capture objects cost more, and reading each node's type
 * costs less than both. `source` is the file's text.
 */
export function indexedNodes(tree: Tree, source: string): IndexedNode[] {
  const found: IndexedNode[] = [];
  for (const node of tree.rootNode.descendantsOfType(indexedNodeTypes)) {
    if (!node) continue;
    const kind = indexedNodeKinds[node.type as keyof typeof indexedNodeKinds];
    if (kind === 'body') {
      const parent = node.parent;
      const parentType = parent?.type;
      if (parentType === 'struct_specifier') found.push({ kind: 'struct', node: parent! });
      else if (parentType === 'union_specifier') found.push({ kind: 'union', node: parent! });
    } else if (kind !== 'assignment' || !assignsToName(source, node.startIndex)) {
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
function assignsToName(source: string, start: number): boolean {
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

/** Whether a call read after the one at `position` starts where it does (its callee's call). */
export function startsAnotherCall(nodes: readonly IndexedNode[], position: number): boolean {
  const start = nodes[position].node.startIndex;
  for (let next = position + 1; next < nodes.length; next++) {
    const { kind, node } = nodes[next];
    if (node.startIndex !== start) return false;
    if (kind === 'call') return true;
  }
  return false;
}
