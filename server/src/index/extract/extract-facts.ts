// Turns one parsed C file into FileFacts. Runs inside a parser worker; knows tree-sitter, not LSP.
// The walk is here; what each kind of node says is read by the files beside it.
import type { Query, Tree } from 'web-tree-sitter';
import { emptyFileFacts, type FileFacts } from '../facts';
import { functionMacrosIn } from '../function-macros';
import type { MaskedText } from '../kernel-syntax-mask';
import { ExtractContext } from './context';
import {
  readEnumerator,
  readFileScopeDeclaration,
  readObjectMacro,
  readStruct,
  readTypedef,
} from './declarations';
import { missingNodeCount } from './error-count';
import {
  readAssignment,
  readCall,
  readFunctionDefinition,
  withLoopMacroCalls,
  type EnclosingFunction,
} from './function-bodies';
import { grammarOf } from './grammar';
import { indexedNodes, startsAnotherCall } from './indexed-nodes';
import { readLocalStaticTable } from './tables';

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
  const cx = new ExtractContext(text, grammarOf(tree.language), emptyFileFacts(file));
  const { facts } = cx;
  let errorNodes = missingNodeCount(tree, missingNodesQuery);
  let currentFunction: EnclosingFunction | undefined;
  // An enumerator's index among its list's enumerators: nodes come in document order.
  const enumeratorsSeen = new Map<number, number>();

  const nodes = indexedNodes(tree, text);
  for (let position = 0; position < nodes.length; position++) {
    const { kind, node } = nodes[position];
    if (currentFunction && node.startIndex >= currentFunction.endIndex) currentFunction = undefined;
    switch (kind) {
      case 'function':
        currentFunction =
          readFunctionDefinition(cx, node, currentFunction, macroDefinedNames) ?? currentFunction;
        break;
      case 'declaration':
        if (!currentFunction) {
          readFileScopeDeclaration(cx, node);
          break;
        }
        currentFunction.scope.declare(node);
        // Read from the text first: few locals are static.
        if (text.startsWith('static', node.startIndex)) readLocalStaticTable(cx, node);
        break;
      case 'typedef':
        readTypedef(cx, node);
        break;
      case 'struct':
      case 'union':
        readStruct(cx, node, kind);
        break;
      case 'enumerator':
        readEnumerator(cx, node, enumeratorsSeen);
        break;
      case 'macro':
        readObjectMacro(cx, node);
        break;
      case 'call':
        if (currentFunction)
          readCall(cx, node, startsAnotherCall(nodes, position), currentFunction.name, currentFunction.scope);
        break;
      case 'error':
        errorNodes++;
        break;
      case 'assignment':
        if (currentFunction) readAssignment(cx, node, currentFunction.name, currentFunction.scope);
        break;
    }
  }
  if (errorNodes > 0 && tree.rootNode.hasError) facts.parseErrors = errorNodes;
  facts.functionMacros = functionMacrosIn(text);
  if (loopMacros.length > 0) facts.calls = withLoopMacroCalls(facts.calls, facts.functions, loopMacros);
  return facts;
}
