import { FormulaCycleError, FormulaReferenceError, formulaReferences, parseFormula } from '../formula';
import { findKpi } from './kpi-catalog';
import { findMetric } from './metric-catalog';

/** What the resolver needs of a KPI: catalog and agency-defined KPIs both fit. */
export interface FormulaOwner {
  readonly key: string;
  readonly formula: string;
}

export type FormulaOwnerLookup = (key: string) => FormulaOwner | undefined;

/**
 * The metrics a KPI needs to be computed, with references to other KPIs followed down to their
 * metrics (LTV needs revenue, customers and the churn inputs, not "churn_rate"). Sorted, each
 * once: the import screens list them as "metrics to connect".
 *
 * A reference is a metric first, then a KPI, as `orderByDependencies` resolves it, so that a KPI
 * exposing a metric under the same key (`revenue` = `revenue`) reads the metric.
 *
 * @throws FormulaSyntaxError when a formula on the way does not parse
 * @throws FormulaReferenceError when a reference is neither a metric nor a known KPI
 * @throws FormulaCycleError when KPIs reference each other in a loop
 */
export function resolveRequiredMetrics(
  kpi: FormulaOwner,
  findDefinition: FormulaOwnerLookup = findKpi,
  isMetric: (key: string) => boolean = (key) => findMetric(key) !== undefined,
): string[] {
  const metrics = new Set<string>();
  const resolved = new Set<string>();
  const path: string[] = [];

  const visit = (owner: FormulaOwner): void => {
    if (resolved.has(owner.key)) {
      return;
    }
    const onPath = path.indexOf(owner.key);
    if (onPath >= 0) {
      throw new FormulaCycleError([...path.slice(onPath), owner.key]);
    }
    path.push(owner.key);
    for (const reference of formulaReferences(parseFormula(owner.formula))) {
      if (isMetric(reference)) {
        metrics.add(reference);
        continue;
      }
      const referenced = findDefinition(reference);
      if (referenced === undefined) {
        throw new FormulaReferenceError(owner.key, reference);
      }
      visit(referenced);
    }
    path.pop();
    resolved.add(owner.key);
  };

  visit(kpi);
  return [...metrics].sort();
}
