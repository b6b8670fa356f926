import type { FormulaNode } from './formula-node';

/** The identifiers a formula reads, each once, sorted (function names are not references). */
export function formulaReferences(node: FormulaNode): string[] {
  const names = new Set<string>();
  collect(node, names);
  return [...names].sort();
}

function collect(node: FormulaNode, names: Set<string>): void {
  switch (node.kind) {
    case 'number':
      return;
    case 'reference':
      names.add(node.name);
      return;
    case 'negate':
      collect(node.operand, names);
      return;
    case 'binary':
      collect(node.left, names);
      collect(node.right, names);
      return;
    case 'call':
      for (const arg of node.args) {
        collect(arg, names);
      }
  }
}
