import type { MetricAggregation } from '../domain';
import { assertValidPeriod, daysInPeriod, isDateInPeriod, isValidIsoDate, type Period } from '../periods';
import { sumExactly } from './exact-sum';

export interface MetricPoint {
  /** Local calendar date `YYYY-MM-DD` in the client's time zone. */
  readonly date: string;
  readonly value: number;
}

/** A metric over a period, with how much of the period the data covers. */
export interface AggregatedMetric {
  /** null when the period holds no data point: missing is not zero. */
  readonly value: number | null;
  /** Distinct dates of the period that hold at least one point. */
  readonly daysWithData: number;
  readonly daysInPeriod: number;
  /** daysWithData / daysInPeriod, from 0 to 1. */
  readonly coverage: number;
}

/**
 * Aggregates a metric's dated points over a period, ignoring points outside it.
 *
 * - SUM (flows: sessions, orders, revenue) adds every point of the period, with exact decimal
 *   summation (see sumExactly).
 * - LAST (stocks: customers, MRR, subscribers) takes the value at the latest date of the period
 *   that holds data, which is the stock at the end of the period as far as we know.
 *
 * Several points on the same date are added, for both aggregations: the caller passes one
 * metric's series, and two points on a date come from two sources of that metric (stocks such as
 * subscribers of two lists add up too). A re-import never duplicates a point: metrics are upserted
 * on their natural key. Points whose value is not finite are not data and are skipped.
 *
 * Coverage counts days, so a metric that is only fed weekly or monthly shows a low coverage:
 * that is the signal the report needs to flag the value as partial.
 */
export function aggregateMetric(
  points: ReadonlyArray<MetricPoint>,
  aggregation: MetricAggregation,
  period: Period,
): AggregatedMetric {
  assertValidPeriod(period);
  const byDate = new Map<string, number[]>();
  for (const point of points) {
    if (!isValidIsoDate(point.date)) {
      throw new RangeError(`Metric point date '${String(point.date)}' is not a calendar date YYYY-MM-DD`);
    }
    if (!Number.isFinite(point.value) || !isDateInPeriod(point.date, period)) {
      continue;
    }
    const values = byDate.get(point.date);
    if (values === undefined) {
      byDate.set(point.date, [point.value]);
    } else {
      values.push(point.value);
    }
  }

  const days = daysInPeriod(period);
  const daysWithData = byDate.size;
  const coverage = daysWithData / days;
  if (daysWithData === 0) {
    return { value: null, daysWithData, daysInPeriod: days, coverage };
  }

  switch (aggregation) {
    case 'SUM':
      return { value: sumExactly(allValues(byDate)), daysWithData, daysInPeriod: days, coverage };
    case 'LAST': {
      const latest = [...byDate.keys()].reduce((a, b) => (b > a ? b : a));
      return { value: sumExactly(byDate.get(latest) ?? []), daysWithData, daysInPeriod: days, coverage };
    }
    default:
      throw new RangeError(`Unknown metric aggregation '${String(aggregation)}'`);
  }
}

function* allValues(byDate: ReadonlyMap<string, readonly number[]>): Generator<number> {
  for (const values of byDate.values()) {
    yield* values;
  }
}
