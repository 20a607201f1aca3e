// The 0-based span of a syntax node, as the index's facts and the scenarios' statements carry it.
import type { Node } from 'web-tree-sitter';

export function spanOf(node: Node): { line: number; column: number; endLine: number; endColumn: number } {
  return {
    line: node.startPosition.row,
    column: node.startPosition.column,
    endLine: node.endPosition.row,
    endColumn: node.endPosition.column,
  };
}
