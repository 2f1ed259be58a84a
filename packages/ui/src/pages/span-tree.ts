import type { UiSpanDetail } from '../api/types.js';

export interface TreeNode {
  span: UiSpanDetail;
  depth: number;
  children: TreeNode[];
}

/** Spans (in start order) as a forest: children under their parent, orphans as roots. */
export function buildTree(spans: readonly UiSpanDetail[]): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const span of spans) nodes.set(span.span_id, { span, depth: 0, children: [] });
  const roots: TreeNode[] = [];
  for (const span of spans) {
    const node = nodes.get(span.span_id)!;
    const parent = span.parent_id ? nodes.get(span.parent_id) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const setDepth = (node: TreeNode, depth: number) => {
    node.depth = depth;
    for (const child of node.children) setDepth(child, depth + 1);
  };
  for (const root of roots) setDepth(root, 0);
  return roots;
}

/** The rows shown: depth-first, skipping the children of collapsed nodes. */
export function visibleRows(roots: readonly TreeNode[], collapsed: ReadonlySet<string>): TreeNode[] {
  const rows: TreeNode[] = [];
  const stack = [...roots].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    rows.push(node);
    if (!collapsed.has(node.span.span_id))
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return rows;
}
