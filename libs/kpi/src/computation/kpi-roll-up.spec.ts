import fc from 'fast-check';
import { AgencyCatalog, type CustomKpiDefinition, type CustomMetricDefinition } from '../catalog/agency-catalog';
import { KPI_CATALOG } from '../catalog/kpi-catalog';
import { findMetric } from '../catalog/metric-catalog';
import { formatFormula, parseFormula, type FormulaNode } from '../formula';
import { customPeriod, monthPeriod, quarterPeriod, yearToDate } from '../periods';
import { KpiEvaluator } from './kpi-evaluator';
import { inferRollUp, topLevelDivision } from './kpi-roll-up';
import type { MetricBucket } from './period-buckets';

const systemOnly = new AgencyCatalog([], []);

/** A month's bucket as the monthly roll-up reads it: the month's sum, its last value, the days covered. */
const month = (metricKey: string, monthStart: string, value: number, coveredDays: number): MetricBucket => ({
  metricKey,
  bucket: monthStart,
  sum: value,
  last: value,
  coveredDays,
});

const day = (metricKey: string, date: string, value: number): MetricBucket => ({ metricKey, bucket: date, sum: value, last: value, coveredDays: 1 });

/** Customers of Q1 2026: 1,000 at January 1; new and lost customers each month. */
function customerMonths(months: ReadonlyArray<{ start: string; days: number; newCustomers: number; lost: number }>, startBase: number): MetricBucket[] {
  let total = startBase;
  return months.flatMap(({ start, days, newCustomers, lost }) => {
    total += newCustomers - lost;
    return [month('customers_total', start, total, days), month('new_customers', start, newCustomers, days), month('customers_lost', start, lost, days)];
  });
}

describe('KPI roll-up over several months', () => {
  it('declares MONTHLY_AVERAGE in the catalog exactly for the rates over a stock base', () => {
    const metricsOf = (node: FormulaNode): string[] => systemOnly.requiredMetrics({ key: '__part__', formula: formatFormula(node) });
    const aggregationOf = (key: string) => findMetric(key)?.aggregation ?? 'SUM';
    const inferred = KPI_CATALOG.filter(
      (kpi) =>
        inferRollUp({ aggregation: kpi.aggregation, node: parseFormula(kpi.formula) }, metricsOf, aggregationOf, (key) => findMetric(key) !== undefined) ===
        'MONTHLY_AVERAGE',
    )
      .map((kpi) => kpi.key)
      .sort();
    const declared = KPI_CATALOG.filter((kpi) => kpi.rollUp === 'MONTHLY_AVERAGE')
      .map((kpi) => kpi.key)
      .sort();
    expect(declared).toEqual(inferred);
    expect(declared).toEqual(expect.arrayContaining(['churn_rate', 'retention_rate', 'revenue_churn_rate', 'net_revenue_retention']));
    // Ratios of flows, stocks over stocks and flows are not monthly averages.
    expect(declared).not.toEqual(expect.arrayContaining(['ecommerce_conversion_rate']));
    expect(declared).not.toContain('average_revenue_per_account');
    expect(declared).not.toContain('ltv_to_cac_ratio');
    // LTV divides two KPIs that roll up by themselves.
    expect(declared).not.toContain('customer_lifetime_value');
  });

  it('reads the top-level division, with a constant factor', () => {
    expect(topLevelDivision(parseFormula('(a - b) / c * 100'))).toMatchObject({ factor: 100, base: { kind: 'reference', name: 'c' } });
    expect(topLevelDivision(parseFormula('a - b'))).toBeNull();
  });

  it('rolls a churn rate up as Σ lost / Σ starting bases, with the same weighting of the monthly targets', () => {
    // January: 1,000 at start, +50 −20; February: 1,030 at start, +40 −31; March: 1,039 at start, +60 −19.
    const buckets = customerMonths(
      [
        { start: '2026-01-01', days: 31, newCustomers: 50, lost: 20 },
        { start: '2026-02-01', days: 28, newCustomers: 40, lost: 31 },
        { start: '2026-03-01', days: 31, newCustomers: 60, lost: 19 },
      ],
      1000,
    );
    const evaluator = new KpiEvaluator(systemOnly, buckets);
    expect(evaluator.kpi('churn_rate')?.rollUp).toBe('MONTHLY_AVERAGE');
    expect(evaluator.evaluate('churn_rate', monthPeriod(2026, 2)).value).toBeCloseTo(31 / 1030, 12);
    const quarter = evaluator.evaluate('churn_rate', quarterPeriod(2026, 1));
    // Not 70 / 1,000 = 7 % (three months of churn over January's base, a cumulative figure).
    expect(quarter.value).toBeCloseTo(70 / 3069, 12);
    expect(quarter).toMatchObject({ daysWithData: 90, daysInPeriod: 90, state: 'OK' });
    const targets: Record<string, number> = { '2026-01-01': 0.02, '2026-02-01': 0.03, '2026-03-01': 0.02 };
    expect(evaluator.periodTarget('churn_rate', quarterPeriod(2026, 1), (start) => targets[start] ?? null)).toBeCloseTo(
      (0.02 * 1000 + 0.03 * 1030 + 0.02 * 1039) / 3069,
      12,
    );
    // Retention is the same kind of rate: Σ (end − new) / Σ starting bases.
    expect(evaluator.evaluate('retention_rate', quarterPeriod(2026, 1)).value).toBeCloseTo((980 + 999 + 1020) / 3069, 12);
  });

  it('leaves a month without a base out of both the value and the target, and has no target when a month with a base has none', () => {
    const buckets = customerMonths(
      [
        { start: '2026-01-01', days: 31, newCustomers: 50, lost: 20 },
        { start: '2026-03-01', days: 31, newCustomers: 60, lost: 19 },
      ],
      1000,
    );
    const evaluator = new KpiEvaluator(systemOnly, buckets);
    // February has no data; March's base comes from March's own buckets: 1,071 at its end − 60 + 19 = 1,030.
    const q1 = quarterPeriod(2026, 1);
    expect(evaluator.evaluate('churn_rate', q1).value).toBeCloseTo((20 + 19) / (1000 + 1030), 12);
    expect(evaluator.periodTarget('churn_rate', q1, (start) => (start === '2026-02-01' ? null : 0.02))).toBeCloseTo(0.02, 12);
    expect(evaluator.periodTarget('churn_rate', q1, (start) => (start === '2026-03-01' ? null : 0.02))).toBeNull();
  });

  it('weighs a month cut by the period by its share of days, so a week’s year to date stays a monthly rate', () => {
    // 1,000 customers; January loses 31 (1 a day), February's first 14 days lose 14: a steady 3.1 % / 2.8 % a month.
    const january = Array.from({ length: 31 }, (_, index) => `2026-01-${String(index + 1).padStart(2, '0')}`);
    const february = Array.from({ length: 14 }, (_, index) => `2026-02-${String(index + 1).padStart(2, '0')}`);
    const buckets = [...january, ...february].flatMap((date) => [
      day('customers_lost', date, 1),
      day('new_customers', date, 1),
      day('customers_total', date, 1000),
    ]);
    expect(buckets.length).toBe(45 * 3);
    const value = new KpiEvaluator(systemOnly, buckets).evaluate('churn_rate', customPeriod('2026-01-01', '2026-02-14'));
    expect(value.value).toBeCloseTo((31 + 14) / (1000 + (1000 * 14) / 28), 12);
  });

  it('gives an agency’s KPI over a stock the monthly average, and its ratio of flows the ratio of sums', () => {
    const members: CustomMetricDefinition = { key: 'club_members', name: 'Membres', description: '', unit: 'COUNT', aggregation: 'LAST' };
    const visits: CustomMetricDefinition = { key: 'club_visits', name: 'Visites', description: '', unit: 'COUNT', aggregation: 'SUM' };
    const kpi = (key: string, formula: string): CustomKpiDefinition => ({
      key,
      formula,
      name: key,
      description: '',
      stage: 'ENGAGEMENT',
      category: 'engagement',
      unit: 'RATIO',
      direction: 'HIGHER_IS_BETTER',
      aggregation: 'LEVEL',
      businessModels: [],
    });
    const catalog = new AgencyCatalog(
      [members, visits],
      [kpi('visits_per_member', 'club_visits / club_members'), kpi('visits_per_session', 'club_visits / sessions')],
    );
    const buckets = [
      month('club_members', '2026-01-01', 100, 31),
      month('club_visits', '2026-01-01', 400, 31),
      month('club_members', '2026-02-01', 300, 28),
      month('club_visits', '2026-02-01', 600, 28),
      month('sessions', '2026-01-01', 1000, 31),
      month('sessions', '2026-02-01', 1000, 28),
    ];
    const evaluator = new KpiEvaluator(catalog, buckets);
    const twoMonths = customPeriod('2026-01-01', '2026-02-28');
    expect(evaluator.kpi('visits_per_member')?.rollUp).toBe('MONTHLY_AVERAGE');
    expect(evaluator.evaluate('visits_per_member', twoMonths).value).toBeCloseTo(1000 / 400, 12);
    expect(evaluator.kpi('visits_per_session')?.rollUp).toBe('RATIO_OF_SUMS');
    expect(evaluator.evaluate('visits_per_session', twoMonths).value).toBeCloseTo(1000 / 2000, 12);
    expect(evaluator.kpi('mrr')?.rollUp).toBe('PERIOD_END');
    expect(evaluator.kpi('sessions')?.rollUp).toBe('SUM');
  });

  it('property: months at the same churn rate roll up to that rate, and equal monthly targets to that target', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ base: fc.integer({ min: 1, max: 100_000 }), newCustomers: fc.integer({ min: 0, max: 5000 }) }), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 0, max: 200 }),
        (months, perMille) => {
          const rate = perMille / 1000;
          const buckets = months.flatMap(({ base, newCustomers }, index) => {
            const start = `2025-${String(index + 1).padStart(2, '0')}-01`;
            const lost = base * rate;
            const days = monthPeriod(2025, index + 1);
            const covered = Number(days.end.slice(8, 10));
            return [
              month('customers_total', start, base + newCustomers - lost, covered),
              month('new_customers', start, newCustomers, covered),
              month('customers_lost', start, lost, covered),
            ];
          });
          const evaluator = new KpiEvaluator(systemOnly, buckets);
          const period = yearToDate(monthPeriod(2025, months.length).end);
          expect(evaluator.evaluate('churn_rate', period).value).toBeCloseTo(rate, 9);
          expect(evaluator.periodTarget('churn_rate', period, () => 0.025)).toBeCloseTo(0.025, 12);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('aligned coverage', () => {
  const november = monthPeriod(2026, 11);
  const novemberDays = Array.from({ length: 30 }, (_, index) => `2026-11-${String(index + 1).padStart(2, '0')}`);
  const missing = new Set(['2026-11-11', '2026-11-12']);
  // Orders on all 30 days (20 a day, 45 on the 11th and 12th); sessions missing on the 11th and 12th.
  const ordersOf = (date: string): number => (missing.has(date) ? 45 : 20);
  const daily = [
    ...novemberDays.map((date) => day('orders', date, ordersOf(date))),
    ...novemberDays.filter((date) => !missing.has(date)).map((date) => day('sessions', date, 1000)),
  ];
  const monthly = [month('orders', '2026-11-01', 28 * 20 + 90, 30), month('sessions', '2026-11-01', 28_000, 28)];

  it('divides the flows of the common days only, and says which input misses which days', () => {
    const evaluator = new KpiEvaluator(systemOnly, monthly, { metricKeys: ['orders', 'sessions'], from: november.start, to: november.end, buckets: daily });
    const value = evaluator.evaluate('ecommerce_conversion_rate', november);
    // 560 orders of the 28 common days over their 28,000 sessions: 2.00 %, not 650 / 28,000 = 2.32 %.
    expect(value).toEqual({ value: 560 / 28_000, coverage: 28 / 30, daysWithData: 28, daysInPeriod: 30, state: 'PARTIAL' });
    expect(evaluator.gaps('ecommerce_conversion_rate', november)).toEqual([{ metricKey: 'sessions', from: '2026-11-11', to: '2026-11-12' }]);
    // A volume keeps all its days.
    expect(evaluator.evaluate('sessions', november)).toMatchObject({ value: 28_000, daysWithData: 28 });
    // The sessions-weighted target of a ratio over a month is the month's own.
    expect(evaluator.periodTarget('ecommerce_conversion_rate', november, () => 0.021)).toBe(0.021);
  });

  it('keeps the sums as they are when the days are not known', () => {
    const value = new KpiEvaluator(systemOnly, monthly).evaluate('ecommerce_conversion_rate', november);
    expect(value).toMatchObject({ value: 650 / 28_000, daysWithData: 28 });
  });

  it('aligns day buckets read directly, inside a year to date of months', () => {
    const evaluator = new KpiEvaluator(systemOnly, daily, { metricKeys: ['orders', 'sessions'], from: november.start, to: november.end, buckets: daily });
    expect(evaluator.evaluate('ecommerce_conversion_rate', customPeriod('2026-11-01', '2026-11-30')).value).toBe(0.02);
  });

  it('weighs a ratio’s monthly targets by its base over several months', () => {
    const buckets = [
      month('orders', '2026-01-01', 20, 31),
      month('sessions', '2026-01-01', 1000, 31),
      month('orders', '2026-02-01', 90, 28),
      month('sessions', '2026-02-01', 3000, 28),
    ];
    const evaluator = new KpiEvaluator(systemOnly, buckets);
    const target = evaluator.periodTarget('ecommerce_conversion_rate', customPeriod('2026-01-01', '2026-02-28'), (start) =>
      start === '2026-01-01' ? 0.02 : 0.03,
    );
    expect(target).toBeCloseTo((0.02 * 1000 + 0.03 * 3000) / 4000, 12);
    expect(evaluator.evaluate('ecommerce_conversion_rate', customPeriod('2026-01-01', '2026-02-28')).value).toBeCloseTo(110 / 4000, 12);
  });
});
