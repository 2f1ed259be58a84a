import type { Expr } from './ast.js';

/**
 * Prints a syntax tree back as a filter with every operation parenthesized, e.g.
 * `a or b and not c == 1` → `(a or (b and (not (c == 1))))`. Useful to see how a filter was grouped.
 */
export function formatAst(node: Expr): string {
  switch (node.type) {
    case 'string':
    case 'number':
      return node.raw;
    case 'boolean':
      return node.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'name':
      return node.name;
    case 'member':
      return `${formatAst(node.object)}.${node.property}`;
    case 'subscript':
      return `${formatAst(node.object)}[${formatAst(node.index)}]`;
    case 'call':
      return `${formatAst(node.callee)}(${node.args.map(formatAst).join(', ')})`;
    case 'list': {
      const items = node.elements.map(formatAst).join(', ');
      if (node.kind === 'list') return `[${items}]`;
      return node.elements.length === 1 ? `(${items},)` : `(${items})`;
    }
    case 'unary':
      return node.operator === 'not'
        ? `(not ${formatAst(node.operand)})`
        : `(${node.operator}${formatAst(node.operand)})`;
    case 'binary':
    case 'logical':
      return `(${formatAst(node.left)} ${node.operator} ${formatAst(node.right)})`;
    case 'compare':
      return `(${formatAst(node.left)}${node.comparisons.map((c) => ` ${c.operator} ${formatAst(c.right)}`).join('')})`;
  }
}
