/** Functions the formula language knows; anything else is a syntax error, never a lookup. */
export const FORMULA_FUNCTIONS = ['min', 'max', 'abs'] as const;
export type FormulaFunctionName = (typeof FORMULA_FUNCTIONS)[number];

export const BINARY_OPERATORS = ['+', '-', '*', '/'] as const;
export type BinaryOperator = (typeof BINARY_OPERATORS)[number];

/** A literal number. The parser only produces non-negative literals: `-2` is a negation of 2. */
export interface FormulaNumber {
  readonly kind: 'number';
  readonly value: number;
}

/** A metric or KPI key. */
export interface FormulaReference {
  readonly kind: 'reference';
  readonly name: string;
}

export interface FormulaNegation {
  readonly kind: 'negate';
  readonly operand: FormulaNode;
}

export interface FormulaBinary {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: FormulaNode;
  readonly right: FormulaNode;
}

export interface FormulaCall {
  readonly kind: 'call';
  readonly name: FormulaFunctionName;
  readonly args: readonly FormulaNode[];
}

/** Abstract syntax tree of a KPI formula. Positions are not kept so that equal formulas give equal trees. */
export type FormulaNode = FormulaNumber | FormulaReference | FormulaNegation | FormulaBinary | FormulaCall;

export function isFormulaFunctionName(name: string): name is FormulaFunctionName {
  return (FORMULA_FUNCTIONS as readonly string[]).includes(name);
}
