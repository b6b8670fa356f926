import { customPeriod, isoWeekPeriod, monthPeriod, periodContaining, quarterPeriod, yearPeriod, yearToDate } from '../periods';
import { combineBuckets, type MetricBucket } from './period-buckets';

const bucket = (start: string, sum: number, last = sum, coveredDays = 1): MetricBucket => ({
  metricKey: 'metric',
  bucket: start,
  sum,
  last,
  coveredDays,
});

/** One daily bucket per day of `month` (YYYY-MM), each holding `value`. */
const everyDay = (month: string, days: number, value: number): MetricBucket[] =>
  Array.from({ length: days }, (_, index) => bucket(`${month}-${String(index + 1).padStart(2, '0')}`, value));

const october = monthPeriod(2026, 10);

describe(combineBuckets.name, () => {
  const months = [bucket('2026-01-01', 100, 3, 31), bucket('2026-02-01', 120, 4, 14), bucket('2026-03-01', 90, 2, 31)];

  it('sums flows over the months of a year-to-date period', () => {
    const ytd = yearToDate('2026-03-31');
    expect(combineBuckets(months, 'SUM', ytd)).toEqual({ value: 310, daysWithData: 76, daysInPeriod: 90, coverage: 76 / 90 });
  });

  it('takes the latest month’s last value for a stock', () => {
    expect(combineBuckets(months, 'LAST', yearToDate('2026-02-28')).value).toBe(4);
  });

  it('takes a stock at the end of the period whatever the input order, ignoring buckets after it', () => {
    const customers = [bucket('2026-10-30', 1480), bucket('2026-11-01', 9999), bucket('2026-10-01', 1400), bucket('2026-10-29', 1475)];
    expect(combineBuckets(customers, 'LAST', october)).toEqual({ value: 1480, daysWithData: 3, daysInPeriod: 31, coverage: 3 / 31 });
  });

  it('sums a flow over the days of the period and ignores buckets outside it', () => {
    const sessions = [bucket('2026-09-30', 1000), bucket('2026-10-01', 120), bucket('2026-10-15', 80), bucket('2026-10-31', 50), bucket('2026-11-01', 1000)];
    expect(combineBuckets(sessions, 'SUM', october)).toEqual({ value: 250, daysWithData: 3, daysInPeriod: 31, coverage: 3 / 31 });
  });

  it('says no data (null, coverage 0) for a month without values, not 0', () => {
    expect(combineBuckets(months, 'SUM', monthPeriod(2026, 4))).toEqual({ value: null, daysWithData: 0, daysInPeriod: 30, coverage: 0 });
    expect(combineBuckets(months, 'LAST', monthPeriod(2026, 4)).value).toBeNull();
  });

  it('keeps a measured zero as a value', () => {
    expect(combineBuckets([bucket('2026-10-03', 0)], 'SUM', october)).toMatchObject({ value: 0, daysWithData: 1 });
    expect(combineBuckets([bucket('2026-10-03', 0)], 'LAST', october).value).toBe(0);
  });

  it('sums money exactly: 0.10 € a day over October is 3.10 €', () => {
    const naive = everyDay('2026-10', 31, 0.1).reduce((sum, day) => sum + day.sum, 0);
    expect(naive).not.toBe(3.1);
    expect(combineBuckets(everyDay('2026-10', 31, 0.1), 'SUM', october)).toEqual({ value: 3.1, daysWithData: 31, daysInPeriod: 31, coverage: 1 });
  });

  it('sums a month of 19.99 € orders to the cent, whichever order the days come in', () => {
    const days = everyDay('2026-10', 31, 19.99);
    expect(days.reduce((sum, day) => sum + day.sum, 0)).not.toBe(619.69);
    expect(combineBuckets(days, 'SUM', october).value).toBe(619.69);
    expect(combineBuckets([...days].reverse(), 'SUM', october).value).toBe(619.69);
  });

  it('adds two sources on one date, for a flow and for a stock, and counts the date once', () => {
    const subscribers = [bucket('2026-10-31', 300), bucket('2026-10-31', 200), bucket('2026-10-01', 100)];
    expect(combineBuckets(subscribers, 'LAST', october)).toMatchObject({ value: 500, daysWithData: 2 });
    expect(combineBuckets(subscribers, 'SUM', october)).toMatchObject({ value: 600, daysWithData: 2 });
  });

  it('counts the leap day of February 2024', () => {
    expect(combineBuckets([bucket('2024-02-29', 7)], 'SUM', monthPeriod(2024, 2))).toEqual({
      value: 7,
      daysWithData: 1,
      daysInPeriod: 29,
      coverage: 1 / 29,
    });
    expect(combineBuckets([bucket('2023-02-28', 7)], 'SUM', monthPeriod(2023, 2)).daysInPeriod).toBe(28);
  });

  it('combines a day, an ISO week, a quarter and a year from their buckets', () => {
    const days = everyDay('2026-10', 31, 2);
    expect(combineBuckets(days, 'SUM', periodContaining('2026-10-05', 'DAY'))).toEqual({ value: 2, daysWithData: 1, daysInPeriod: 1, coverage: 1 });
    // 2026-W41: Monday 5 to Sunday 11 October.
    expect(combineBuckets(days, 'SUM', isoWeekPeriod(2026, 41))).toEqual({ value: 14, daysWithData: 7, daysInPeriod: 7, coverage: 1 });
    expect(combineBuckets(months, 'SUM', quarterPeriod(2026, 1))).toMatchObject({ value: 310, daysInPeriod: 90 });
    expect(combineBuckets(months, 'LAST', yearPeriod(2026))).toMatchObject({ value: 2, daysWithData: 76, daysInPeriod: 365 });
  });

  it('reports partial coverage for a weekly figure inside a month, and never more than the period', () => {
    const weekly = [bucket('2026-10-05', 700, 700, 7)];
    expect(combineBuckets(weekly, 'SUM', october).coverage).toBe(7 / 31);
    // A monthly figure read over a custom period that starts on the 1st covers at most the period.
    expect(combineBuckets([bucket('2026-10-01', 31, 31, 31)], 'SUM', customPeriod('2026-10-01', '2026-10-10'))).toMatchObject({
      daysWithData: 10,
      coverage: 1,
    });
  });
});
