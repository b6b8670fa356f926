export {
  BINARY_OPERATORS,
  FORMULA_FUNCTIONS,
  isFormulaFunctionName,
  type BinaryOperator,
  type FormulaBinary,
  type FormulaCall,
  type FormulaFunctionName,
  type FormulaNegation,
  type FormulaNode,
  type FormulaNumber,
  type FormulaReference,
} from './formula-node';
export { FormulaCycleError, FormulaDuplicateKeyError, FormulaReferenceError, FormulaSyntaxError } from './formula-errors';
export { MAX_FORMULA_DEPTH, MAX_FORMULA_LENGTH, parseFormula } from './parse-formula';
export { evaluateFormula, type FormulaValues } from './evaluate-formula';
export { formatFormula } from './format-formula';
export { formulaReferences } from './formula-references';
export { orderByDependencies, type FormulaDefinition } from './order-by-dependencies';
