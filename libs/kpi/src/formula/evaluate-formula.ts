import type { FormulaNode } from './formula-node';

export type FormulaValues = Readonly<Record<string, number | null | undefined>>;

/**
 * Evaluates a formula over named values. Returns `null` ("no value") when a referenced value is
 * missing, null, undefined or not finite, on a division by zero, or when any intermediate result
 * is not finite: a KPI over a month without sessions has no conversion rate, it is not Infinity
 * and not 0 (DESIGN.md, "Division by zero is 'no value'").
 */
export function evaluateFormula(node: FormulaNode, values: FormulaValues): number | null {
  const result = evaluateNode(node, values);
  // -0 would print as "-0 %" in a report; it means the same as 0.
  return result === 0 ? 0 : result;
}

function evaluateNode(node: FormulaNode, values: FormulaValues): number | null {
  switch (node.kind) {
    case 'number':
      return Number.isFinite(node.value) ? node.value : null;
    case 'reference':
      return lookup(values, node.name);
    case 'negate': {
      const operand = evaluateNode(node.operand, values);
      return operand === null ? null : -operand;
    }
    case 'binary': {
      const left = evaluateNode(node.left, values);
      if (left === null) {
        return null;
      }
      const right = evaluateNode(node.right, values);
      if (right === null) {
        return null;
      }
      return finiteOrNull(applyOperator(node.operator, left, right));
    }
    case 'call': {
      const args: number[] = [];
      for (const arg of node.args) {
        const value = evaluateNode(arg, values);
        if (value === null) {
          return null;
        }
        args.push(value);
      }
      if (args.length === 0) {
        return null;
      }
      switch (node.name) {
        case 'min':
          return Math.min(...args);
        case 'max':
          return Math.max(...args);
        case 'abs':
          return args.length === 1 ? Math.abs(args[0] ?? Number.NaN) : null;
      }
    }
  }
}

function applyOperator(operator: '+' | '-' | '*' | '/', left: number, right: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      // x / 0 is Infinity or NaN; finiteOrNull turns both into "no value".
      return right === 0 ? Number.NaN : left / right;
  }
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Own properties only: `constructor`, `__proto__` or `toString` must never come from Object.prototype. */
function lookup(values: FormulaValues, name: string): number | null {
  if (!Object.prototype.hasOwnProperty.call(values, name)) {
    return null;
  }
  const value: unknown = values[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
