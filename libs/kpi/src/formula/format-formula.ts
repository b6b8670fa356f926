import type { FormulaNode } from './formula-node';

const ADDITIVE = 1;
const MULTIPLICATIVE = 2;
const UNARY = 3;
const ATOM = 4;

function precedence(node: FormulaNode): number {
  switch (node.kind) {
    case 'binary':
      return node.operator === '+' || node.operator === '-' ? ADDITIVE : MULTIPLICATIVE;
    case 'negate':
      return UNARY;
    default:
      return ATOM;
  }
}

/**
 * Canonical text of a formula: single spaces around binary operators, `, ` between arguments and
 * only the parentheses the tree needs. Operators are left-associative, so a right operand of the
 * same precedence keeps its parentheses (`a - (b - c)`, and `a + (b + c)` to keep the same tree).
 * `parseFormula(formatFormula(node))` gives back an equal tree for every tree the parser produces.
 */
export function formatFormula(node: FormulaNode): string {
  switch (node.kind) {
    case 'number':
      if (!Number.isFinite(node.value)) {
        throw new RangeError(`A formula number must be finite, got ${node.value}`);
      }
      // String() prints the shortest text that reads back as the same double (e.g. 1e+21, 5e-7).
      return String(node.value);
    case 'reference':
      return node.name;
    case 'negate': {
      const operand = formatFormula(node.operand);
      return precedence(node.operand) < UNARY ? `-(${operand})` : `-${operand}`;
    }
    case 'binary': {
      const own = precedence(node);
      const left = formatFormula(node.left);
      const right = formatFormula(node.right);
      const leftText = precedence(node.left) < own ? `(${left})` : left;
      const rightText = precedence(node.right) <= own ? `(${right})` : right;
      return `${leftText} ${node.operator} ${rightText}`;
    }
    case 'call':
      return `${node.name}(${node.args.map(formatFormula).join(', ')})`;
  }
}
