import { customPeriod, monthPeriod } from '../periods';
import { aggregateMetric } from './aggregate-metric';

const october = monthPeriod(2026, 10);

describe(aggregateMetric.name, () => {
  it('sums a flow over the days of the period and ignores points outside it', () => {
    const result = aggregateMetric(
      [
        { date: '2026-09-30', value: 1000 },
        { date: '2026-10-01', value: 120 },
        { date: '2026-10-15', value: 80 },
        { date: '2026-10-31', value: 50 },
        { date: '2026-11-01', value: 1000 },
      ],
      'SUM',
      october,
    );
    expect(result).toEqual({ value: 250, daysWithData: 3, daysInPeriod: 31, coverage: 3 / 31 });
  });

  it('takes the value of the latest date with data for a stock, whatever the input order', () => {
    const result = aggregateMetric(
      [
        { date: '2026-10-30', value: 1480 },
        { date: '2026-11-01', value: 9999 },
        { date: '2026-10-01', value: 1400 },
        { date: '2026-10-29', value: 1475 },
      ],
      'LAST',
      october,
    );
    expect(result.value).toBe(1480);
    expect(result.daysWithData).toBe(3);
  });

  it('returns null, not 0, when the period holds no point', () => {
    const result = aggregateMetric([{ date: '2026-09-30', value: 5 }], 'SUM', october);
    expect(result).toEqual({ value: null, daysWithData: 0, daysInPeriod: 31, coverage: 0 });
  });

  it('keeps a measured zero as a value', () => {
    expect(aggregateMetric([{ date: '2026-10-03', value: 0 }], 'SUM', october).value).toBe(0);
  });

  it('reports full coverage when every day holds a point', () => {
    const points = Array.from({ length: 31 }, (_, i) => ({ date: `2026-10-${String(i + 1).padStart(2, '0')}`, value: 1 }));
    expect(aggregateMetric(points, 'SUM', october)).toEqual({ value: 31, daysWithData: 31, daysInPeriod: 31, coverage: 1 });
  });

  it('adds two points of the same date (two sources) and counts the date once', () => {
    const result = aggregateMetric(
      [
        { date: '2026-10-31', value: 300 },
        { date: '2026-10-31', value: 200 },
        { date: '2026-10-01', value: 100 },
      ],
      'LAST',
      october,
    );
    expect(result.value).toBe(500);
    expect(result.daysWithData).toBe(2);
  });

  it('sums money exactly', () => {
    const points = Array.from({ length: 31 }, (_, i) => ({ date: `2026-10-${String(i + 1).padStart(2, '0')}`, value: 0.1 }));
    expect(aggregateMetric(points, 'SUM', october).value).toBe(3.1);
  });

  it('skips non-finite values and rejects malformed dates', () => {
    expect(aggregateMetric([{ date: '2026-10-02', value: Number.NaN }], 'SUM', october).value).toBeNull();
    expect(() => aggregateMetric([{ date: '2026-10-2', value: 1 }], 'SUM', october)).toThrow(RangeError);
  });

  it('counts the leap day in February 2024', () => {
    const february = customPeriod('2024-02-01', '2024-02-29');
    const result = aggregateMetric([{ date: '2024-02-29', value: 7 }], 'SUM', february);
    expect(result).toEqual({ value: 7, daysWithData: 1, daysInPeriod: 29, coverage: 1 / 29 });
  });
});
