import { alertDedupKey, alertPeriodKey, dedupKeyOf } from './alert-dedup-key';

describe('alert dedup keys', () => {
  it('joins rule, KPI and period', () => {
    expect(alertDedupKey('STATUS', 'conversion_rate', '2026-03')).toBe('STATUS:conversion_rate:2026-03');
  });

  it('keys a status alert by month, a no-data alert by its first missing day and an anomaly by its day', () => {
    const status = {
      rule: 'STATUS',
      status: 'OFF_TRACK',
      severity: 'CRITICAL',
      month: '2026-03',
      value: 1,
      target: 2,
      expected: 2,
      attainment: 0.5,
      elapsedFraction: 1,
    } as const;
    const noData = { rule: 'NO_DATA', lastDate: '2026-03-11', missingDays: 5, expectedFrom: '2026-03-12' } as const;
    const anomaly = { rule: 'ANOMALY', date: '2026-03-12', value: 9, median: 1, mad: 1, score: 5.4, direction: 'UP', sample: 8, threshold: 3.5 } as const;
    expect(alertPeriodKey(status)).toBe('2026-03');
    expect(dedupKeyOf(noData, 'sessions')).toBe('NO_DATA:sessions:2026-03-12');
    // The same outage a day later is the same alert.
    expect(dedupKeyOf({ ...noData, missingDays: 6 }, 'sessions')).toBe(dedupKeyOf(noData, 'sessions'));
    expect(dedupKeyOf(anomaly, 'cost_per_click')).toBe('ANOMALY:cost_per_click:2026-03-12');
  });

  it('rejects an empty KPI or period key', () => {
    expect(() => alertDedupKey('ANOMALY', '', '2026-03-12')).toThrow("KPI ''");
    expect(() => alertDedupKey('ANOMALY', 'sessions', '')).toThrow("period ''");
  });
});
