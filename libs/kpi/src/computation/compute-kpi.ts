import { evaluateFormula, formulaReferences, type FormulaNode } from '../formula';
import type { AggregatedMetric } from './aggregate-metric';

/** A KPI's value over a period. PARTIAL: computed, but some referenced data misses days. */
export interface KpiValue {
  readonly value: number | null;
  readonly coverage: number;
  readonly state: 'OK' | 'NO_DATA' | 'PARTIAL';
}

/** What a formula reads: a metric aggregated over the period, or another KPI's value (for KPIs built on KPIs). */
export type KpiInput = AggregatedMetric | KpiValue;

/**
 * Computes a KPI over a period from the period's aggregated metrics: a conversion rate is
 * sum(orders) / sum(sessions) over the month, never the mean of daily rates (a quiet day would
 * weigh as much as a busy one). Coverage is the lowest coverage among the referenced inputs; a
 * missing input counts as coverage 0. The value is null (NO_DATA) when an input has no value or
 * the formula has none (division by zero).
 */
export function computeKpi(formula: FormulaNode, metrics: Readonly<Record<string, KpiInput | undefined>>): KpiValue {
  // Entries then fromEntries: defining (not assigning) keeps a key like '__proto__' an own value.
  const entries: Array<[string, number | null]> = [];
  let coverage = 1;
  for (const name of formulaReferences(formula)) {
    // Own properties only, as in evaluateFormula: a KPI named 'constructor' must not read Object's.
    const input = Object.prototype.hasOwnProperty.call(metrics, name) ? metrics[name] : undefined;
    entries.push([name, input?.value ?? null]);
    coverage = Math.min(coverage, input === undefined ? 0 : clampCoverage(input.coverage));
  }
  const value = evaluateFormula(formula, Object.fromEntries(entries));
  if (value === null) {
    return { value: null, coverage, state: 'NO_DATA' };
  }
  return { value, coverage, state: coverage < 1 ? 'PARTIAL' : 'OK' };
}

function clampCoverage(coverage: number): number {
  return Number.isFinite(coverage) ? Math.min(1, Math.max(0, coverage)) : 0;
}
