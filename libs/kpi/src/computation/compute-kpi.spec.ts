import { parseFormula } from '../formula';
import { monthPeriod, samePeriodLastYear, yearToDate, yearToDateLastYear, type Period } from '../periods';
import { aggregateMetric, type AggregatedMetric, type MetricPoint } from './aggregate-metric';
import { compareValues } from './compare-values';
import { computeKpi } from './compute-kpi';

const full = (value: number | null): AggregatedMetric => ({ value, daysWithData: 30, daysInPeriod: 30, coverage: 1 });

describe(computeKpi.name, () => {
  it('computes a conversion rate as sum(orders) / sum(sessions), not the mean of daily rates', () => {
    const period: Period = { grain: 'CUSTOM', start: '2026-10-01', end: '2026-10-02' };
    const sessions: MetricPoint[] = [
      { date: '2026-10-01', value: 100 },
      { date: '2026-10-02', value: 900 },
    ];
    const orders: MetricPoint[] = [
      { date: '2026-10-01', value: 10 }, // 10 % that day
      { date: '2026-10-02', value: 18 }, // 2 % that day
    ];
    const kpi = computeKpi(parseFormula('orders / sessions'), {
      orders: aggregateMetric(orders, 'SUM', period),
      sessions: aggregateMetric(sessions, 'SUM', period),
    });
    const meanOfDailyRates = (10 / 100 + 18 / 900) / 2;
    expect(kpi).toEqual({ value: 28 / 1000, coverage: 1, state: 'OK' });
    expect(meanOfDailyRates).toBeCloseTo(0.06, 12);
    expect(kpi.value).not.toBeCloseTo(meanOfDailyRates, 3);
  });

  it('computes churn as customers lost / customers at the start of the month', () => {
    const september = monthPeriod(2026, 9);
    const october = monthPeriod(2026, 10);
    const customers: MetricPoint[] = [
      { date: '2026-09-15', value: 380 },
      { date: '2026-09-30', value: 400 }, // stock at the start of October
      { date: '2026-10-31', value: 410 },
    ];
    const lost: MetricPoint[] = [
      { date: '2026-10-05', value: 6 },
      { date: '2026-10-20', value: 4 },
    ];
    const kpi = computeKpi(parseFormula('customers_lost / customers_at_start'), {
      customers_lost: aggregateMetric(lost, 'SUM', october),
      customers_at_start: aggregateMetric(customers, 'LAST', september),
    });
    expect(kpi.value).toBe(0.025);
    // Two daily points of 30 in September, two of 31 in October.
    expect(kpi).toMatchObject({ coverage: 2 / 31, state: 'PARTIAL' });
  });

  it('computes NPS as % promoters − % detractors from counts', () => {
    // 120 promoters, 50 passives, 30 detractors out of 200: 60 % − 15 % = 45.
    const kpi = computeKpi(
      parseFormula('(promoters - detractors) / (promoters + passives + detractors) * 100'),
      { promoters: full(120), passives: full(50), detractors: full(30) },
    );
    expect(kpi.value).toBeCloseTo(45, 10);
    expect(kpi.state).toBe('OK');
  });

  it("takes a stock's month value from its last day", () => {
    const mrr: MetricPoint[] = [
      { date: '2026-10-01', value: 10_000 },
      { date: '2026-10-15', value: 10_800 },
      { date: '2026-10-28', value: 11_250 },
    ];
    const kpi = computeKpi(parseFormula('mrr'), { mrr: aggregateMetric(mrr, 'LAST', monthPeriod(2026, 10)) });
    expect(kpi.value).toBe(11_250);
    expect(kpi.state).toBe('PARTIAL');
    expect(kpi.coverage).toBeCloseTo(3 / 31, 12);
  });

  it('takes the lowest coverage among referenced metrics and marks the value PARTIAL', () => {
    const kpi = computeKpi(parseFormula('orders / sessions'), {
      orders: { value: 20, daysWithData: 31, daysInPeriod: 31, coverage: 1 },
      sessions: { value: 800, daysWithData: 25, daysInPeriod: 31, coverage: 25 / 31 },
      unrelated: { value: 1, daysWithData: 1, daysInPeriod: 31, coverage: 1 / 31 },
    });
    expect(kpi).toEqual({ value: 0.025, coverage: 25 / 31, state: 'PARTIAL' });
  });

  it('has no value when a metric has no data or is missing', () => {
    expect(computeKpi(parseFormula('orders / sessions'), { orders: full(3), sessions: full(null) })).toEqual({
      value: null,
      coverage: 1,
      state: 'NO_DATA',
    });
    expect(computeKpi(parseFormula('orders / sessions'), { orders: full(3) })).toEqual({
      value: null,
      coverage: 0,
      state: 'NO_DATA',
    });
  });

  it('has no value when the denominator is zero', () => {
    expect(computeKpi(parseFormula('orders / sessions'), { orders: full(0), sessions: full(0) }).state).toBe('NO_DATA');
  });

  it('reads KPI values as inputs, for KPIs built on KPIs', () => {
    const kpi = computeKpi(parseFormula('conversion_rate * average_order_value'), {
      conversion_rate: { value: 0.02, coverage: 1, state: 'OK' },
      average_order_value: { value: 50, coverage: 0.5, state: 'PARTIAL' },
    });
    expect(kpi).toEqual({ value: 1, coverage: 0.5, state: 'PARTIAL' });
  });

  it('never reads an input from Object.prototype', () => {
    expect(computeKpi(parseFormula('constructor + 1'), {}).state).toBe('NO_DATA');
  });

  it('compares YTD revenue year over year across a leap day', () => {
    const revenue: MetricPoint[] = [
      { date: '2023-01-10', value: 1000 },
      { date: '2023-02-28', value: 500 },
      { date: '2023-03-01', value: 9999 }, // after Feb 28 2023: outside last year's YTD
      { date: '2024-01-10', value: 1200 },
      { date: '2024-02-29', value: 600 },
    ];
    const ytd = yearToDate('2024-02-29');
    const lastYear = yearToDateLastYear(ytd);
    expect(lastYear).toEqual({ grain: 'YTD', start: '2023-01-01', end: '2023-02-28' });
    const formula = parseFormula('revenue');
    const current = computeKpi(formula, { revenue: aggregateMetric(revenue, 'SUM', ytd) });
    const previous = computeKpi(formula, { revenue: aggregateMetric(revenue, 'SUM', lastYear) });
    expect(current.value).toBe(1800);
    expect(previous.value).toBe(1500);
    expect(compareValues(current.value, previous.value, 'CURRENCY')).toEqual({
      absolute: 300,
      percent: 0.2,
      points: null,
      kind: 'PERCENT',
    });
  });

  it('compares a February with the previous February, 29 days against 28', () => {
    const february2024 = monthPeriod(2024, 2);
    const february2023 = samePeriodLastYear(february2024);
    expect(february2023).toEqual(monthPeriod(2023, 2));
    const sessions: MetricPoint[] = [
      { date: '2023-02-28', value: 100 },
      { date: '2024-02-29', value: 100 },
    ];
    expect(aggregateMetric(sessions, 'SUM', february2023).daysInPeriod).toBe(28);
    expect(aggregateMetric(sessions, 'SUM', february2024)).toMatchObject({ value: 100, daysInPeriod: 29 });
  });
});
