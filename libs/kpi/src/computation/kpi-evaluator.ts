import type { AgencyCatalog, KnownKpi } from '../catalog/agency-catalog';
import { findKpi } from '../catalog/kpi-catalog';
import { findMetric } from '../catalog/metric-catalog';
import type { KpiDirection, MetricAggregation } from '../domain';
import { evaluateFormula, formulaReferences, parseFormula, type FormulaNode } from '../formula';
import type { Period } from '../periods';
import { combineBuckets, type MetricBucket, type PeriodMetric } from './period-buckets';

/** A KPI's value over one period. */
export interface KpiPeriodValue {
  readonly value: number | null;
  /** Lowest coverage among the metrics the KPI needs (0..1). */
  readonly coverage: number;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
  readonly state: 'OK' | 'PARTIAL' | 'NO_DATA';
}

export interface EvaluableKpi extends KnownKpi {
  readonly direction: KpiDirection;
  readonly node: FormulaNode;
}

/** KPIs nest a few levels at most (LTV over churn over counts); deeper means a cycle slipped through. */
const MAX_KPI_DEPTH = 16;

/**
 * Evaluates KPIs over periods from metric buckets: each metric is first aggregated over the
 * period (flows summed, stocks at period end), then the formula divides those aggregates — a
 * month's conversion rate is sum(orders) / sum(sessions), never the mean of daily rates.
 * KPIs that reference other KPIs are evaluated recursively over the same period. A formula
 * without a value (a missing metric, a division by zero) is NO_DATA, never 0 or Infinity.
 */
export class KpiEvaluator {
  private readonly bucketsByMetric = new Map<string, MetricBucket[]>();
  private readonly kpis = new Map<string, EvaluableKpi>();
  /** A scorecard asks for the same metric or nested KPI over the same period many times. */
  private readonly metricValues = new Map<string, PeriodMetric>();
  private readonly kpiValues = new Map<string, KpiPeriodValue>();

  constructor(
    private readonly catalog: AgencyCatalog,
    buckets: readonly MetricBucket[],
  ) {
    for (const bucket of buckets) {
      const list = this.bucketsByMetric.get(bucket.metricKey) ?? [];
      list.push(bucket);
      this.bucketsByMetric.set(bucket.metricKey, list);
    }
    // Sorted by date, so that a period finds its buckets by binary search: a series of a year of
    // days scanned every bucket for every day (quadratic, ~80 µs a point on a loaded machine).
    for (const list of this.bucketsByMetric.values()) list.sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
  }

  kpi(key: string): EvaluableKpi | undefined {
    const cached = this.kpis.get(key);
    if (cached) return cached;
    const known = this.catalog.findKpi(key);
    if (!known) return undefined;
    const direction = findKpi(key)?.direction ?? this.catalog.customKpi(key)?.direction ?? 'HIGHER_IS_BETTER';
    const evaluable = { ...known, direction, node: parseFormula(known.formula) };
    this.kpis.set(key, evaluable);
    return evaluable;
  }

  metricAggregation(key: string): MetricAggregation {
    return findMetric(key)?.aggregation ?? this.catalog.customMetric(key)?.aggregation ?? 'SUM';
  }

  metric(key: string, period: Period): PeriodMetric {
    const cacheKey = `${key}|${period.start}|${period.end}`;
    let value = this.metricValues.get(cacheKey);
    if (!value) {
      value = combineBuckets(bucketsWithin(this.bucketsByMetric.get(key) ?? [], period), this.metricAggregation(key), period);
      this.metricValues.set(cacheKey, value);
    }
    return value;
  }

  evaluate(kpiKey: string, period: Period, depth = 0): KpiPeriodValue {
    const cacheKey = `${kpiKey}|${period.start}|${period.end}`;
    let value = this.kpiValues.get(cacheKey);
    if (!value) {
      value = this.compute(kpiKey, period, depth);
      this.kpiValues.set(cacheKey, value);
    }
    return value;
  }

  private compute(kpiKey: string, period: Period, depth: number): KpiPeriodValue {
    const kpi = this.kpi(kpiKey);
    if (!kpi || depth > MAX_KPI_DEPTH) return { value: null, coverage: 0, daysWithData: 0, daysInPeriod: 0, state: 'NO_DATA' };
    const values: Record<string, number | null> = {};
    let coverage = 1;
    let daysWithData = Number.POSITIVE_INFINITY;
    let days = 0;
    for (const reference of formulaReferences(kpi.node)) {
      const part = this.catalog.isMetric(reference) ? this.metric(reference, period) : this.evaluate(reference, period, depth + 1);
      values[reference] = part.value;
      coverage = Math.min(coverage, part.coverage);
      daysWithData = Math.min(daysWithData, part.daysWithData);
      days = Math.max(days, part.daysInPeriod);
    }
    const value = evaluateFormula(kpi.node, values);
    const finiteDays = Number.isFinite(daysWithData) ? daysWithData : 0;
    const state = value === null || finiteDays === 0 ? 'NO_DATA' : coverage < 1 ? 'PARTIAL' : 'OK';
    return { value, coverage, daysWithData: finiteDays, daysInPeriod: days, state };
  }
}

/** The buckets of `sorted` (by date) from `period.start` to `period.end`, both included. */
function bucketsWithin(sorted: readonly MetricBucket[], period: Period): readonly MetricBucket[] {
  const firstAtOrAfter = (date: string, strictlyAfter: boolean): number => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const bucket = sorted[middle].bucket;
      if (bucket < date || (strictlyAfter && bucket === date)) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return sorted.slice(firstAtOrAfter(period.start, false), firstAtOrAfter(period.end, true));
}
