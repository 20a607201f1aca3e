// The 0-based span of a syntax node, as scenario diagnostics and statements carry it.
import type { Node } from 'web-tree-sitter';
import type { Span } from '../index/facts';

export function spanOf(node: Node): Span {
  return {
    line: node.startPosition.row,
    column: node.startPosition.column,
    endLine: node.endPosition.row,
    endColumn: node.endPosition.column,
  };
}
