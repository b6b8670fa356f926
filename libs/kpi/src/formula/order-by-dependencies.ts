import { FormulaCycleError, FormulaDuplicateKeyError, FormulaReferenceError, FormulaSyntaxError } from './formula-errors';
import type { FormulaNode } from './formula-node';
import { formulaReferences } from './formula-references';
import { parseFormula } from './parse-formula';

export interface FormulaDefinition {
  readonly key: string;
  readonly formula: string;
}

/**
 * Orders KPI definitions so that every KPI comes after the KPIs its formula references.
 *
 * A reference is resolved as a base reference (a metric) first, then as a defined key: a KPI
 * named like the metric it exposes (`sessions` defined as `sessions`) reads the metric and is not
 * a cycle. Dependencies come first; otherwise the input order is kept, so the result is stable.
 *
 * @throws FormulaSyntaxError (with `key`) when a formula does not parse
 * @throws FormulaReferenceError when a reference is neither a base reference nor a defined key
 * @throws FormulaCycleError when definitions depend on each other in a loop, e.g. ['a', 'b', 'a']
 * @throws FormulaDuplicateKeyError when a key is defined twice
 */
export function orderByDependencies(definitions: ReadonlyArray<FormulaDefinition>, isBaseReference: (key: string) => boolean): string[] {
  const dependencies = new Map<string, string[]>();
  for (const { key, formula } of definitions) {
    if (dependencies.has(key)) {
      throw new FormulaDuplicateKeyError(key);
    }
    dependencies.set(key, formulaReferences(parseNamed(key, formula)));
  }

  const ordered: string[] = [];
  const done = new Set<string>();
  // The path being explored, to report a cycle as the keys that form it.
  const path: string[] = [];

  const visit = (key: string): void => {
    if (done.has(key)) {
      return;
    }
    const onPath = path.indexOf(key);
    if (onPath >= 0) {
      throw new FormulaCycleError([...path.slice(onPath), key]);
    }
    path.push(key);
    for (const reference of dependencies.get(key) ?? []) {
      if (isBaseReference(reference)) {
        continue;
      }
      if (!dependencies.has(reference)) {
        throw new FormulaReferenceError(key, reference);
      }
      visit(reference);
    }
    path.pop();
    done.add(key);
    ordered.push(key);
  };

  for (const { key } of definitions) {
    visit(key);
  }
  return ordered;
}

function parseNamed(key: string, formula: string): FormulaNode {
  try {
    return parseFormula(formula);
  } catch (error) {
    if (error instanceof FormulaSyntaxError) {
      throw new FormulaSyntaxError(`KPI '${key}': ${error.message}`, error.position, key);
    }
    throw error;
  }
}
