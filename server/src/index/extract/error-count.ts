// How many syntax errors a tree holds: ERROR nodes are counted by the walk, MISSING nodes here.
import type { Node, Query, Tree } from 'web-tree-sitter';
import { conditionalBlocks } from './node-shapes';

/** MISSING nodes, found by query (they have no type of their own) in the items that hold an error. */
export function missingNodeCount(tree: Tree, missingNodesQuery: Query): number {
  return tree.rootNode.hasError ? missingNodesIn(tree.rootNode, missingNodesQuery) : 0;
}

/**
 * Conditional blocks are looked into rather than searched whole: a header's include guard holds the
 * whole file, and an error anywhere in it would otherwise send the query over every node.
 */
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
