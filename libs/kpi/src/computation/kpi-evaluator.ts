import type { AgencyCatalog, KnownKpi } from '../catalog/agency-catalog';
import { findKpi } from '../catalog/kpi-catalog';
import { findMetric } from '../catalog/metric-catalog';
import type { KpiDirection, MetricAggregation } from '../domain';
import { evaluateFormula, formulaReferences, parseFormula, type FormulaNode } from '../formula';
import { addDays, daysInMonth, daysInPeriod, periodContaining, periodsBetween, type Period } from '../periods';
import type { MonthlyTargetOf } from '../targets/weekly-targets';
import { proratedFlowTarget } from '../targets/weekly-targets';
import { sumExactly } from './exact-sum';
import { inferRollUp, topLevelDivision, type KpiRollUp, type TopLevelDivision } from './kpi-roll-up';
import { combineBuckets, type MetricBucket, type PeriodMetric } from './period-buckets';

/** A KPI's value over one period. */
export interface KpiPeriodValue {
  readonly value: number | null;
  /**
   * Share of the period the value stands on (0..1): for a ratio, the days where all the flows it
   * divides have data (see KpiEvaluator); otherwise the lowest coverage among its metrics.
   */
  readonly coverage: number;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
  readonly state: 'OK' | 'PARTIAL' | 'NO_DATA';
}

export interface EvaluableKpi extends KnownKpi {
  readonly direction: KpiDirection;
  readonly node: FormulaNode;
  readonly rollUp: KpiRollUp;
}

/**
 * Day buckets of some metrics, complete from `from` to `to`: a date without a bucket of a metric
 * has no data for it. A bucket covering several days (a figure typed per month) makes the days
 * of that metric unknown in the periods holding it. The evaluator reads them to align a ratio's flows on their common days and
 * to name the days an input is missing.
 */
export interface DailyBuckets {
  readonly metricKeys: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly buckets: readonly MetricBucket[];
}

/** Consecutive days (both included) on which a KPI's input has no data. */
export interface MetricGap {
  readonly metricKey: string;
  readonly from: string;
  readonly to: string;
}

/** What a formula reads over a period: its references' values and the days they stand on. */
interface FormulaInputs {
  readonly values: Record<string, number | null>;
  readonly coverage: number;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
}

const NO_VALUE: KpiPeriodValue = { value: null, coverage: 0, daysWithData: 0, daysInPeriod: 0, state: 'NO_DATA' };

/** KPIs nest a few levels at most (LTV over churn over counts); deeper means a cycle slipped through. */
const MAX_KPI_DEPTH = 16;

/**
 * Evaluates KPIs over periods from metric buckets: each metric is first aggregated over the
 * period (flows summed, stocks at period end), then the formula divides those aggregates — a
 * month's conversion rate is sum(orders) / sum(sessions), never the mean of daily rates.
 * KPIs that reference other KPIs are evaluated recursively over the same period. A formula
 * without a value (a missing metric, a division by zero) is NO_DATA, never 0 or Infinity.
 *
 * Two rules on top (issue 12):
 * - Aligned coverage: the flows a formula reads directly are summed over the days where all of
 *   them have data, when their coverage differs and their days are known (day buckets given as
 *   `daily`): 30 days of orders over 28 days of sessions would overstate a conversion rate.
 *   Stocks are read at the period's end as before. Without known days the sums stay as they are.
 * - Roll-up (KpiRollUp): a MONTHLY_AVERAGE KPI over several months is Σ numerators / Σ bases of
 *   its top-level division, month by month; a month cut by the period (a week's year to date)
 *   weighs its base by its share of the month's days, so the result stays a monthly rate.
 */
export class KpiEvaluator {
  private readonly bucketsByMetric = new Map<string, MetricBucket[]>();
  private readonly kpis = new Map<string, EvaluableKpi>();
  /** A scorecard asks for the same metric or nested KPI over the same period many times. */
  private readonly metricValues = new Map<string, PeriodMetric>();
  private readonly kpiValues = new Map<string, KpiPeriodValue>();
  private readonly dailyByMetric = new Map<string, Map<string, number>>();
  /** Metrics each KPI needs, nested KPIs followed down (resolving parses formulas: once per KPI). */
  private readonly requiredMetricsByKpi = new Map<string, readonly string[]>();
  private readonly referencesByNode = new WeakMap<FormulaNode, { readonly references: readonly string[]; readonly flows: readonly string[] }>();
  private readonly dailyRange: { readonly from: string; readonly to: string } | null;

  constructor(
    private readonly catalog: AgencyCatalog,
    buckets: readonly MetricBucket[],
    daily?: DailyBuckets,
  ) {
    for (const bucket of buckets) {
      const list = this.bucketsByMetric.get(bucket.metricKey) ?? [];
      list.push(bucket);
      this.bucketsByMetric.set(bucket.metricKey, list);
    }
    // Sorted by date, so that a period finds its buckets by binary search: a series of a year of
    // days scanned every bucket for every day (quadratic, ~80 µs a point on a loaded machine).
    for (const list of this.bucketsByMetric.values()) list.sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
    this.dailyRange = daily ? { from: daily.from, to: daily.to } : null;
    if (daily) {
      for (const key of daily.metricKeys) this.dailyByMetric.set(key, new Map());
      for (const bucket of daily.buckets) {
        const days = this.dailyByMetric.get(bucket.metricKey);
        // A figure typed per week or month covers several days with one value: its days are not known one by one.
        if (days) days.set(bucket.bucket, bucket.coveredDays > 1 ? Number.NaN : (days.get(bucket.bucket) ?? 0) + bucket.sum);
      }
    }
  }

  kpi(key: string): EvaluableKpi | undefined {
    const cached = this.kpis.get(key);
    if (cached) return cached;
    const known = this.catalog.findKpi(key);
    if (!known) return undefined;
    const system = findKpi(key);
    const direction = system?.direction ?? this.catalog.customKpi(key)?.direction ?? 'HIGHER_IS_BETTER';
    const node = parseFormula(known.formula);
    // The catalog declares its rates over a stock base (a spec checks the declarations follow
    // inferRollUp); an agency's own KPI gets the inferred roll-up.
    const inferred = inferRollUp(
      { aggregation: known.aggregation, node },
      (part) => this.metricsOf(part),
      (metricKey) => this.metricAggregation(metricKey),
      (reference) => this.catalog.isMetric(reference),
    );
    const rollUp: KpiRollUp = system?.rollUp ?? (system && inferred === 'MONTHLY_AVERAGE' ? 'RATIO_OF_SUMS' : inferred);
    const evaluable = { ...known, direction, node, rollUp };
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

  /**
   * The KPI's target over `period` from the plan's monthly targets, combined as its value is:
   * - SUM: the months' targets prorated by days (see proratedFlowTarget);
   * - PERIOD_END: the target of the month holding the period's end;
   * - RATIO_OF_SUMS and MONTHLY_AVERAGE: Σ target_m × base_m / Σ base_m, the mean of the monthly
   *   targets weighted by the base each month's value divides by (sessions for a conversion
   *   rate; the customers at the start of the month, weighted by its share of days in the
   *   period, for a churn rate). It is the value the period would have if every month met its
   *   target exactly, so value and target stay comparable (a month's own target is not: in a
   *   year to date where December has the most sessions, December weighs most). A month without
   *   a known base carries no weight; a month with a base but no target makes the target null
   *   (half a target would read as a miss); no base at all gives the plain mean of the targets.
   * - A LEVEL formula without a top-level division: the target of the month holding the end.
   */
  periodTarget(kpiKey: string, period: Period, monthlyTarget: MonthlyTargetOf): number | null {
    const kpi = this.kpi(kpiKey);
    if (!kpi) return null;
    if (kpi.rollUp === 'SUM') return proratedFlowTarget(period, monthlyTarget);
    const division = topLevelDivision(kpi.node);
    const slices = monthSlices(period);
    if (kpi.rollUp === 'PERIOD_END' || !division || slices.length === 1) return monthlyTarget(monthStartOf(period.end));
    // The same target every month is its own weighted mean, whatever the bases.
    const first = monthlyTarget(monthStartOf(slices[0].start));
    if (first !== null && slices.every((slice) => monthlyTarget(monthStartOf(slice.start)) === first)) return first;
    let weighted = 0;
    let weights = 0;
    const targets: Array<number | null> = [];
    for (const slice of slices) {
      const target = monthlyTarget(monthStartOf(slice.start));
      targets.push(target);
      const base = this.baseOf(kpi, division, slice);
      if (base === null || base === 0) continue;
      if (target === null) return null;
      weighted += target * base;
      weights += base;
    }
    if (weights > 0) return weighted / weights;
    if (targets.some((target) => target === null)) return null;
    return sumExactly(targets.map((target) => target ?? 0)) / targets.length;
  }

  /**
   * The days of `period` (up to `through`) on which a flow the KPI needs has no data, as ranges
   * per metric, for the metrics whose days are known (see DailyBuckets).
   */
  gaps(kpiKey: string, period: Period, through: string = period.end): MetricGap[] {
    const kpi = this.kpi(kpiKey);
    if (!kpi) return [];
    const last = through < period.end ? through : period.end;
    if (last < period.start) return [];
    const gaps: MetricGap[] = [];
    for (const metricKey of this.requiredMetrics(kpi)) {
      if (this.metricAggregation(metricKey) !== 'SUM') continue;
      const days = this.daysOf(metricKey, { grain: 'CUSTOM', start: period.start, end: last });
      if (days === null) continue;
      let open: string | null = null;
      let previous = period.start;
      for (let date = period.start; date <= last; date = addDays(date, 1)) {
        if (!days.has(date)) {
          open ??= date;
        } else if (open !== null) {
          gaps.push({ metricKey, from: open, to: previous });
          open = null;
        }
        previous = date;
      }
      if (open !== null) gaps.push({ metricKey, from: open, to: last });
    }
    return gaps;
  }

  /**
   * The day buckets this evaluator, built from month buckets, needs to align the KPIs' ratios:
   * the flows a formula reads together (nested KPIs included) in each month where their
   * coverage differs, and, over `reported`, each flow with missing days (to name the days).
   * Null when nothing needs them: complete months are read as they are.
   */
  daysToRead(kpiKeys: readonly string[], reported: Period): { metricKeys: string[]; from: string; to: string } | null {
    const metricKeys = new Set<string>();
    let from: string | null = null;
    let to: string | null = null;
    const mark = (keys: readonly string[], month: Period): void => {
      for (const key of keys) metricKeys.add(key);
      if (from === null || month.start < from) from = month.start;
      if (to === null || month.end > to) to = month.end;
    };
    const groups = new Map<string, string[]>();
    const visit = (key: string, depth: number): void => {
      const kpi = this.kpi(key);
      if (!kpi || depth > MAX_KPI_DEPTH) return;
      const references = formulaReferences(kpi.node);
      const flows = references.filter((reference) => this.catalog.isMetric(reference) && this.metricAggregation(reference) === 'SUM');
      if (flows.length > 1) groups.set(flows.join('|'), flows);
      for (const reference of references) if (!this.catalog.isMetric(reference)) visit(reference, depth + 1);
    };
    for (const key of kpiKeys) visit(key, 0);
    // Days covered per flow and month, straight from the buckets (one pass per flow).
    const coveredByFlow = new Map<string, Map<string, number>>();
    const coveredDays = (flow: string): Map<string, number> => {
      let byMonth = coveredByFlow.get(flow);
      if (!byMonth) {
        byMonth = new Map();
        for (const bucket of this.bucketsByMetric.get(flow) ?? []) {
          const month = monthStartOf(bucket.bucket);
          byMonth.set(month, (byMonth.get(month) ?? 0) + bucket.coveredDays);
        }
        coveredByFlow.set(flow, byMonth);
      }
      return byMonth;
    };
    for (const flows of groups.values()) {
      const byFlow = flows.map(coveredDays);
      const months = new Set(byFlow.flatMap((byMonth) => [...byMonth.keys()]));
      for (const start of months) {
        const covered = byFlow.map((byMonth) => byMonth.get(start) ?? 0);
        if (covered.some((days) => days !== covered[0])) mark(flows, periodContaining(start, 'MONTH'));
      }
    }
    const flows = new Set(
      kpiKeys.flatMap((key) => {
        const kpi = this.kpi(key);
        return kpi ? this.requiredMetrics(kpi).filter((metric) => this.metricAggregation(metric) === 'SUM') : [];
      }),
    );
    for (const slice of monthSlices(reported)) {
      const month = periodContaining(slice.start, 'MONTH');
      const partial = [...flows].filter((flow) => {
        const days = this.metric(flow, month).daysWithData;
        return days > 0 && days < daysInPeriod(month);
      });
      if (partial.length > 0) mark(partial, month);
    }
    if (from === null || to === null) return null;
    return { metricKeys: [...metricKeys].sort(), from, to };
  }

  private compute(kpiKey: string, period: Period, depth: number): KpiPeriodValue {
    const kpi = this.kpi(kpiKey);
    if (!kpi || depth > MAX_KPI_DEPTH) return NO_VALUE;
    const division = topLevelDivision(kpi.node);
    if (kpi.rollUp === 'MONTHLY_AVERAGE' && division && period.start.slice(0, 7) !== period.end.slice(0, 7)) {
      return this.monthlyAverage(kpi, division, period, monthSlices(period), depth);
    }
    const inputs = this.inputs(kpi.node, period, depth);
    return stated(evaluateFormula(kpi.node, inputs.values), inputs);
  }

  /**
   * Σ numerators / Σ bases over the months of `period` (a customer-month weighted monthly rate);
   * a month where either side has no value is left out of both sums: missing is not zero.
   */
  private monthlyAverage(kpi: EvaluableKpi, division: TopLevelDivision, period: Period, slices: readonly Period[], depth: number): KpiPeriodValue {
    const numerators: number[] = [];
    const bases: number[] = [];
    let daysWithData = 0;
    let coveredDays = 0;
    for (const slice of slices) {
      const inputs = this.inputs(kpi.node, slice, depth);
      const numerator = evaluateFormula(division.numerator, inputs.values);
      const base = evaluateFormula(division.base, inputs.values);
      if (numerator === null || base === null) continue;
      numerators.push(numerator);
      bases.push(base * monthShare(slice));
      daysWithData += inputs.daysWithData;
      coveredDays += inputs.coverage * daysInPeriod(slice);
    }
    const days = daysInPeriod(period);
    const base = sumExactly(bases);
    const value = bases.length === 0 || base === 0 ? null : (sumExactly(numerators) / base) * division.factor;
    return stated(value, { values: {}, coverage: Math.min(1, coveredDays / days), daysWithData: Math.min(days, daysWithData), daysInPeriod: days });
  }

  /** The base of `division` over one month slice, weighted by the slice's share of its month for a MONTHLY_AVERAGE KPI. */
  private baseOf(kpi: EvaluableKpi, division: TopLevelDivision, slice: Period): number | null {
    const base = evaluateFormula(division.base, this.inputs(kpi.node, slice, 0).values);
    if (base === null) return null;
    return kpi.rollUp === 'MONTHLY_AVERAGE' ? base * monthShare(slice) : base;
  }

  private inputs(node: FormulaNode, period: Period, depth: number): FormulaInputs {
    const { references, flows } = this.referencesOf(node);
    const aligned = flows.length > 1 ? this.alignedFlows(flows, period) : null;
    const values: Record<string, number | null> = {};
    let coverage = 1;
    let daysWithData = Number.POSITIVE_INFINITY;
    let days = 0;
    for (const reference of references) {
      const part = aligned?.get(reference) ?? (this.catalog.isMetric(reference) ? this.metric(reference, period) : this.evaluate(reference, period, depth + 1));
      values[reference] = part.value;
      coverage = Math.min(coverage, part.coverage);
      daysWithData = Math.min(daysWithData, part.daysWithData);
      days = Math.max(days, part.daysInPeriod);
    }
    return { values, coverage, daysWithData: Number.isFinite(daysWithData) ? daysWithData : 0, daysInPeriod: days };
  }

  /**
   * The flows' sums over the days where all of them have data, month by month: a month where
   * their coverage is equal keeps its sums (all complete, or no day known to tell them apart);
   * a month where it differs and every flow's days are known sums each flow over the common
   * days. Null when no month needed aligning.
   */
  private alignedFlows(flows: readonly string[], period: Period): Map<string, PeriodMetric> | null {
    // Fast paths, the common case of a scorecard: no flow's days are known (nothing can be
    // aligned), or every flow covers the whole period (every month is complete).
    const range = this.dailyRange;
    if (range === null || range.to < period.start || range.from > period.end || !flows.every((flow) => this.dailyByMetric.has(flow))) return null;
    if (flows.every((flow) => this.metric(flow, period).coverage === 1)) return null;
    const sums = new Map<string, number[]>(flows.map((flow) => [flow, []]));
    const days = new Map<string, number>(flows.map((flow) => [flow, 0]));
    let aligned = false;
    for (const slice of monthSlices(period)) {
      const parts = flows.map((flow) => this.metric(flow, slice));
      const equal = parts.every((part) => part.daysWithData === parts[0].daysWithData);
      const known = equal ? [] : flows.map((flow) => this.daysOf(flow, slice));
      const sets = known.filter((set): set is Map<string, number> => set !== null);
      if (equal || sets.length < flows.length) {
        flows.forEach((flow, index) => {
          const part = parts[index];
          if (part.value !== null) sums.get(flow)?.push(part.value);
          days.set(flow, (days.get(flow) ?? 0) + part.daysWithData);
        });
        continue;
      }
      aligned = true;
      const common = [...sets[0].keys()].filter((date) => sets.every((set) => set.has(date)));
      flows.forEach((flow, index) => {
        if (common.length > 0) sums.get(flow)?.push(sumExactly(common.map((date) => sets[index].get(date) ?? 0)));
        days.set(flow, (days.get(flow) ?? 0) + common.length);
      });
    }
    if (!aligned) return null;
    const total = daysInPeriod(period);
    return new Map(
      flows.map((flow): [string, PeriodMetric] => {
        const values = sums.get(flow) ?? [];
        const daysWithData = days.get(flow) ?? 0;
        return [flow, { value: values.length === 0 ? null : sumExactly(values), daysWithData, daysInPeriod: total, coverage: daysWithData / total }];
      }),
    );
  }

  /** The metric's value by date inside `period` when its days are known there (see DailyBuckets); otherwise null. */
  private daysOf(metricKey: string, period: Period): Map<string, number> | null {
    const daily = this.dailyByMetric.get(metricKey);
    if (!daily || !this.dailyRange || period.start < this.dailyRange.from || period.end > this.dailyRange.to) return null;
    const inPeriod = new Map<string, number>();
    for (const [date, value] of daily) {
      if (date < period.start || date > period.end) continue;
      if (Number.isNaN(value)) return null;
      inPeriod.set(date, value);
    }
    return inPeriod;
  }

  /** A formula's references and, among them, its flows (SUM metrics), worked out once per formula. */
  private referencesOf(node: FormulaNode): { readonly references: readonly string[]; readonly flows: readonly string[] } {
    let known = this.referencesByNode.get(node);
    if (!known) {
      const references = formulaReferences(node);
      const flows = references.filter((reference) => this.catalog.isMetric(reference) && this.metricAggregation(reference) === 'SUM');
      known = { references, flows };
      this.referencesByNode.set(node, known);
    }
    return known;
  }

  /** Metrics a formula part reaches, nested KPIs followed down. */
  private metricsOf(node: FormulaNode): readonly string[] {
    return formulaReferences(node).flatMap((reference) => {
      if (this.catalog.isMetric(reference)) return [reference];
      const nested = this.catalog.findKpi(reference);
      return nested ? this.requiredMetrics(nested) : [];
    });
  }

  private requiredMetrics(kpi: { readonly key: string; readonly formula: string }): readonly string[] {
    let metrics = this.requiredMetricsByKpi.get(kpi.key);
    if (!metrics) {
      metrics = this.catalog.requiredMetrics(kpi);
      this.requiredMetricsByKpi.set(kpi.key, metrics);
    }
    return metrics;
  }
}

function stated(value: number | null, inputs: FormulaInputs): KpiPeriodValue {
  const state = value === null || inputs.daysWithData === 0 ? 'NO_DATA' : inputs.coverage < 1 ? 'PARTIAL' : 'OK';
  return { value, coverage: inputs.coverage, daysWithData: inputs.daysWithData, daysInPeriod: inputs.daysInPeriod, state };
}

/** The period cut at month boundaries: one slice per calendar month it touches. */
function monthSlices(period: Period): Period[] {
  return periodsBetween(period.start, period.end, 'MONTH').map((month) => ({
    grain: 'CUSTOM',
    start: month.start < period.start ? period.start : month.start,
    end: month.end > period.end ? period.end : month.end,
  }));
}

/** Share of its month's days a slice covers (1 for a whole month). */
function monthShare(slice: Period): number {
  return daysInPeriod(slice) / daysInMonth(Number(slice.start.slice(0, 4)), Number(slice.start.slice(5, 7)));
}

function monthStartOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
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
