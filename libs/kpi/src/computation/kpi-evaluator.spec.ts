import { AgencyCatalog, type CustomKpiDefinition, type CustomMetricDefinition } from '../catalog/agency-catalog';
import { customPeriod, monthPeriod, samePeriodLastYear, yearToDate, yearToDateLastYear } from '../periods';
import { compareValues } from './compare-values';
import { KpiEvaluator } from './kpi-evaluator';
import type { MetricBucket } from './period-buckets';

const day = (metricKey: string, date: string, value: number, coveredDays = 1): MetricBucket => ({
  metricKey,
  bucket: date,
  sum: value,
  last: value,
  coveredDays,
});

/** One daily bucket per day of October 2026, the value of day d being `value(d)`. */
const october = (metricKey: string, value: (dayOfMonth: number) => number): MetricBucket[] =>
  Array.from({ length: 31 }, (_, index) => day(metricKey, `2026-10-${String(index + 1).padStart(2, '0')}`, value(index + 1)));

const systemOnly = new AgencyCatalog([], []);
const octoberPeriod = monthPeriod(2026, 10);

const customKpi = (overrides: Partial<CustomKpiDefinition> & Pick<CustomKpiDefinition, 'key' | 'formula'>): CustomKpiDefinition => ({
  name: overrides.key,
  description: '',
  stage: 'REVENUE',
  category: 'revenue',
  unit: 'CURRENCY',
  direction: 'HIGHER_IS_BETTER',
  aggregation: 'LEVEL',
  businessModels: [],
  ...overrides,
});

describe(KpiEvaluator.name, () => {
  it('computes a month’s conversion rate as Σorders / Σsessions, not the mean of daily rates', () => {
    // A quiet day at 10 % and thirty busy days at 2 %.
    const buckets = [...october('sessions', (d) => (d === 1 ? 100 : 900)), ...october('orders', (d) => (d === 1 ? 10 : 18))];
    const value = new KpiEvaluator(systemOnly, buckets).evaluate('ecommerce_conversion_rate', octoberPeriod);
    const ratioOfSums = (10 + 30 * 18) / (100 + 30 * 900);
    const meanOfDailyRates = (0.1 + 30 * 0.02) / 31;
    expect(value).toEqual({ value: ratioOfSums, coverage: 1, daysWithData: 31, daysInPeriod: 31, state: 'OK' });
    expect(value.value).not.toBeCloseTo(meanOfDailyRates, 3);
  });

  it('reads stocks at the end of the period: MRR is the last day’s, not the month’s sum', () => {
    const buckets = [day('mrr', '2026-10-01', 10_000), day('mrr', '2026-10-15', 10_800), day('mrr', '2026-10-28', 11_250)];
    const value = new KpiEvaluator(systemOnly, buckets).evaluate('mrr', octoberPeriod);
    expect(value).toEqual({ value: 11_250, coverage: 3 / 31, daysWithData: 3, daysInPeriod: 31, state: 'PARTIAL' });
  });

  it('computes churn from the customers lost in the month and the stock at its end', () => {
    // customers_lost / (customers_total - new_customers + customers_lost): 10 / (410 - 20 + 10).
    const buckets = [
      day('customers_total', '2026-10-15', 395),
      day('customers_total', '2026-10-31', 410),
      day('new_customers', '2026-10-10', 20),
      day('customers_lost', '2026-10-05', 6),
      day('customers_lost', '2026-10-20', 4),
    ];
    expect(new KpiEvaluator(systemOnly, buckets).evaluate('churn_rate', octoberPeriod).value).toBe(0.025);
  });

  it('has no value, not 0, when a metric the KPI needs has no data', () => {
    const buckets = october('orders', () => 3);
    expect(new KpiEvaluator(systemOnly, buckets).evaluate('ecommerce_conversion_rate', octoberPeriod)).toEqual({
      value: null,
      coverage: 0,
      daysWithData: 0,
      daysInPeriod: 31,
      state: 'NO_DATA',
    });
    expect(new KpiEvaluator(systemOnly, []).evaluate('sessions', octoberPeriod)).toMatchObject({ value: null, state: 'NO_DATA' });
  });

  it('keeps a measured zero as a value', () => {
    const value = new KpiEvaluator(
      systemOnly,
      october('sessions', () => 0),
    ).evaluate('sessions', octoberPeriod);
    expect(value).toMatchObject({ value: 0, state: 'OK' });
  });

  it('takes the lowest coverage among the metrics and marks the value PARTIAL', () => {
    const buckets = [...october('orders', () => 1), ...october('sessions', () => 40).slice(0, 25)];
    const value = new KpiEvaluator(systemOnly, buckets).evaluate('ecommerce_conversion_rate', octoberPeriod);
    expect(value).toEqual({ value: 31 / 1000, coverage: 25 / 31, daysWithData: 25, daysInPeriod: 31, state: 'PARTIAL' });
  });

  it('has no value when the denominator is zero: division by zero is no value, not Infinity', () => {
    const buckets = [...october('orders', () => 0), ...october('sessions', () => 0)];
    expect(new KpiEvaluator(systemOnly, buckets).evaluate('ecommerce_conversion_rate', octoberPeriod)).toMatchObject({
      value: null,
      state: 'NO_DATA',
    });
  });

  it('sums money exactly before dividing: 0.10 € a day over October is 3.10 €', () => {
    const value = new KpiEvaluator(
      systemOnly,
      october('revenue', () => 0.1),
    ).evaluate('revenue', octoberPeriod);
    expect(value.value).toBe(3.1);
  });

  it('evaluates KPIs built on KPIs over the same period, with the lowest coverage of the whole tree', () => {
    // customer_lifetime_value = average_revenue_per_customer / churn_rate
    //                         = (revenue / customers_total) / (customers_lost / (customers_total - new_customers + customers_lost))
    const buckets = [
      ...october('revenue', () => 100),
      day('customers_total', '2026-10-31', 200),
      ...october('new_customers', (d) => (d === 1 ? 10 : 0)),
      ...october('customers_lost', (d) => (d === 2 ? 4 : 0)),
    ];
    const evaluator = new KpiEvaluator(systemOnly, buckets);
    const value = evaluator.evaluate('customer_lifetime_value', octoberPeriod);
    const arpc = 3100 / 200;
    const churn = 4 / (200 - 10 + 4);
    expect(value.value).toBeCloseTo(arpc / churn, 9);
    expect(value).toMatchObject({ coverage: 1 / 31, daysWithData: 1, daysInPeriod: 31, state: 'PARTIAL' });
    expect(evaluator.evaluate('churn_rate', octoberPeriod).value).toBeCloseTo(churn, 12);
  });

  it('evaluates an agency’s KPI over its own metrics and catalog KPIs, with their aggregation and direction', () => {
    const showroomVisits: CustomMetricDefinition = { key: 'showroom_visits', name: 'Visites', description: '', unit: 'COUNT', aggregation: 'SUM' };
    const showroomStaff: CustomMetricDefinition = { key: 'showroom_staff', name: 'Vendeurs', description: '', unit: 'COUNT', aggregation: 'LAST' };
    const catalog = new AgencyCatalog(
      [showroomVisits, showroomStaff],
      [
        customKpi({ key: 'visits_per_seller', formula: 'showroom_visits / showroom_staff', unit: 'RATIO', direction: 'LOWER_IS_BETTER' }),
        customKpi({ key: 'revenue_per_visit', formula: 'revenue / showroom_visits' }),
        customKpi({ key: 'aov_per_visit_per_seller', formula: 'average_order_value * visits_per_seller' }),
      ],
    );
    const buckets = [
      ...october('showroom_visits', () => 10),
      day('showroom_staff', '2026-10-01', 4),
      day('showroom_staff', '2026-10-31', 5),
      ...october('revenue', () => 200),
      ...october('orders', () => 4),
    ];
    const evaluator = new KpiEvaluator(catalog, buckets);
    expect(evaluator.metricAggregation('showroom_staff')).toBe('LAST');
    expect(evaluator.kpi('visits_per_seller')).toMatchObject({ direction: 'LOWER_IS_BETTER', custom: true, unit: 'RATIO' });
    expect(evaluator.kpi('churn_rate')).toMatchObject({ direction: 'LOWER_IS_BETTER', custom: false });
    expect(evaluator.evaluate('visits_per_seller', octoberPeriod)).toMatchObject({ value: 310 / 5, coverage: 2 / 31, state: 'PARTIAL' });
    expect(evaluator.evaluate('revenue_per_visit', octoberPeriod)).toMatchObject({ value: 20, state: 'OK' });
    expect(evaluator.evaluate('aov_per_visit_per_seller', octoberPeriod).value).toBeCloseTo(50 * 62, 9);
  });

  it('says NO_DATA for a KPI it does not know', () => {
    expect(
      new KpiEvaluator(
        systemOnly,
        october('sessions', () => 1),
      ).evaluate('no_such_kpi', octoberPeriod),
    ).toEqual({
      value: null,
      coverage: 0,
      daysWithData: 0,
      daysInPeriod: 0,
      state: 'NO_DATA',
    });
  });

  it('compares YTD revenue year over year across a leap day', () => {
    const buckets = [
      day('revenue', '2023-01-10', 1000),
      day('revenue', '2023-02-28', 500),
      day('revenue', '2023-03-01', 9999), // after 28 February 2023: outside last year's YTD
      day('revenue', '2024-01-10', 1200),
      day('revenue', '2024-02-29', 600),
    ];
    const ytd = yearToDate('2024-02-29');
    const lastYear = yearToDateLastYear(ytd);
    expect(lastYear).toEqual({ grain: 'YTD', start: '2023-01-01', end: '2023-02-28' });
    const evaluator = new KpiEvaluator(systemOnly, buckets);
    const current = evaluator.evaluate('revenue', ytd);
    const previous = evaluator.evaluate('revenue', lastYear);
    expect(current).toMatchObject({ value: 1800, daysWithData: 2, daysInPeriod: 60 });
    expect(previous).toMatchObject({ value: 1500, daysWithData: 2, daysInPeriod: 59 });
    expect(compareValues(current.value, previous.value, 'CURRENCY')).toEqual({ absolute: 300, percent: 0.2, points: null, kind: 'PERCENT' });
  });

  it('compares a February with the previous February, 29 days against 28', () => {
    const february2024 = monthPeriod(2024, 2);
    const february2023 = samePeriodLastYear(february2024);
    const evaluator = new KpiEvaluator(systemOnly, [day('sessions', '2023-02-28', 100), day('sessions', '2024-02-29', 100)]);
    expect(evaluator.evaluate('sessions', february2023)).toMatchObject({ value: 100, daysInPeriod: 28 });
    expect(evaluator.evaluate('sessions', february2024)).toMatchObject({ value: 100, daysInPeriod: 29 });
  });

  it('evaluates custom periods and keeps each period’s value apart', () => {
    const evaluator = new KpiEvaluator(
      systemOnly,
      october('sessions', (d) => d),
    );
    expect(evaluator.evaluate('sessions', customPeriod('2026-10-01', '2026-10-03')).value).toBe(6);
    expect(evaluator.evaluate('sessions', customPeriod('2026-10-30', '2026-10-31')).value).toBe(61);
  });
});
