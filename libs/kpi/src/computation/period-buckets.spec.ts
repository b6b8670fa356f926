import { monthPeriod, yearToDate } from '@pilotage/kpi';
import { combineBuckets } from './period-buckets';

const bucket = (metricKey: string, month: string, sum: number, last: number, coveredDays: number) => ({
  metricKey,
  bucket: month,
  sum,
  last,
  coveredDays,
});

describe(combineBuckets.name, () => {
  const buckets = [
    bucket('orders', '2026-01-01', 100, 3, 31),
    bucket('orders', '2026-02-01', 120, 4, 14),
    bucket('orders', '2026-03-01', 90, 2, 31),
  ];

  it('sums flows over the months of a year-to-date period', () => {
    const ytd = yearToDate('2026-03-31');
    expect(combineBuckets(buckets, 'SUM', ytd)).toEqual({ value: 310, daysWithData: 76, daysInPeriod: 90, coverage: 76 / 90 });
  });

  it('takes the latest month’s last value for a stock', () => {
    expect(combineBuckets(buckets, 'LAST', yearToDate('2026-02-28')).value).toBe(4);
  });

  it('says no data (null, coverage 0) for a month without values, not 0', () => {
    expect(combineBuckets(buckets, 'SUM', monthPeriod(2026, 4))).toEqual({ value: null, daysWithData: 0, daysInPeriod: 30, coverage: 0 });
  });
});
