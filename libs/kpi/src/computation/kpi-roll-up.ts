import type { MetricAggregation } from '../domain';
import { formulaReferences, type FormulaNode } from '../formula';

/**
 * How a KPI's value over a period longer than a month (quarter, year, year to date) is made
 * from its months:
 * - SUM: a flow adds up (sessions, revenue);
 * - PERIOD_END: a stock is read at the period's end (MRR, subscribers);
 * - RATIO_OF_SUMS: a ratio of flows divides the period's sums (conversion = Σ orders / Σ sessions);
 * - MONTHLY_AVERAGE: a rate over a stock base (churn, retention, NRR, revenue per customer) is
 *   evaluated month by month from its top-level division and rolled up as Σ numerators / Σ bases:
 *   a customer-month weighted monthly rate, comparable with a monthly target. Eleven months of
 *   churned customers over the base of January 1 is a cumulative figure, not a churn rate.
 */
export const KPI_ROLL_UPS = ['SUM', 'PERIOD_END', 'RATIO_OF_SUMS', 'MONTHLY_AVERAGE'] as const;
export type KpiRollUp = (typeof KPI_ROLL_UPS)[number];

/** A formula `numerator / base`, possibly times a constant (`… / … * 100` for NPS), as the roll-up reads it. */
export interface TopLevelDivision {
  readonly numerator: FormulaNode;
  readonly base: FormulaNode;
  readonly factor: number;
}

export function topLevelDivision(node: FormulaNode): TopLevelDivision | null {
  if (node.kind !== 'binary') return null;
  if (node.operator === '/') return { numerator: node.left, base: node.right, factor: 1 };
  if (node.operator === '*') {
    if (node.right.kind === 'number' && node.left.kind === 'binary' && node.left.operator === '/') {
      return { numerator: node.left.left, base: node.left.right, factor: node.right.value };
    }
    if (node.left.kind === 'number' && node.right.kind === 'binary' && node.right.operator === '/') {
      return { numerator: node.right.left, base: node.right.right, factor: node.left.value };
    }
  }
  return null;
}

/**
 * The roll-up a formula calls for, from the aggregation of the metrics it reads: a top-level
 * division whose base reads a stock (LAST) directly and whose numerator reaches a flow (SUM,
 * nested KPIs followed down by `metricsOf`) is a rate over a stock base, MONTHLY_AVERAGE; a
 * formula that is one stock is PERIOD_END; any other LEVEL formula is RATIO_OF_SUMS. A base that
 * is another KPI (LTV = revenue per customer / churn) divides that KPI's period value, which
 * rolls up by its own rule: LTV over a year is the monthly revenue per customer over the monthly
 * churn, both customer-month weighted. This is the rule the catalog's
 * declarations follow (checked by a spec) and the default for an agency's own KPIs, whose
 * authors cannot be expected to know it: a flow over a stock summed over a year would read as a
 * twelve-times-higher "rate".
 */
export function inferRollUp(
  kpi: { readonly aggregation: 'FLOW' | 'LEVEL'; readonly node: FormulaNode },
  metricsOf: (node: FormulaNode) => readonly string[],
  aggregationOf: (metricKey: string) => MetricAggregation,
  isMetric: (key: string) => boolean,
): KpiRollUp {
  if (kpi.aggregation === 'FLOW') return 'SUM';
  const division = topLevelDivision(kpi.node);
  if (division) {
    const baseHasStock = formulaReferences(division.base).some((key) => isMetric(key) && aggregationOf(key) === 'LAST');
    const numeratorHasFlow = metricsOf(division.numerator).some((key) => aggregationOf(key) === 'SUM');
    return baseHasStock && numeratorHasFlow ? 'MONTHLY_AVERAGE' : 'RATIO_OF_SUMS';
  }
  const references = formulaReferences(kpi.node);
  const metrics = metricsOf(kpi.node);
  if (references.length === 1 && metrics.length === 1 && aggregationOf(metrics[0]) === 'LAST') return 'PERIOD_END';
  return 'RATIO_OF_SUMS';
}
