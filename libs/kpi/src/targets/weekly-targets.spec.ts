import { isoWeekPeriod, periodsBetween, yearToDate } from '../periods';
import { proratedFlowTarget, weeklyTarget, type MonthlyTargetOf } from './weekly-targets';

const targets =
  (byMonth: Record<string, number>): MonthlyTargetOf =>
  (monthStart) =>
    byMonth[monthStart] ?? null;

describe(weeklyTarget.name, () => {
  const sessions = targets({ '2026-09-01': 30_000, '2026-10-01': 31_000, '2026-11-01': 45_000 });

  it('gives a week inside one month 7 / days-in-month of the monthly target for a flow', () => {
    // 2026-W42: Monday 12 to Sunday 18 October, 31-day month.
    expect(weeklyTarget(isoWeekPeriod(2026, 42), 'FLOW', sessions)).toBeCloseTo((31_000 * 7) / 31, 9);
  });

  it('splits a week across two months by the days it spends in each', () => {
    // 2026-W40: Monday 28 September to Sunday 4 October: 3 days of September, 4 of October.
    expect(weeklyTarget(isoWeekPeriod(2026, 40), 'FLOW', sessions)).toBeCloseTo((30_000 * 3) / 30 + (31_000 * 4) / 31, 9);
  });

  it('gives back the monthly target when the month’s days are summed week by week', () => {
    const november = periodsBetween('2026-11-01', '2026-11-30', 'WEEK');
    const clipped = november.map((week) => ({
      grain: 'CUSTOM' as const,
      start: week.start < '2026-11-01' ? '2026-11-01' : week.start,
      end: week.end > '2026-11-30' ? '2026-11-30' : week.end,
    }));
    const sum = clipped.reduce((total, span) => total + (proratedFlowTarget(span, sessions) ?? Number.NaN), 0);
    expect(sum).toBeCloseTo(45_000, 6);
  });

  it('takes the month’s target as it is for a rate, from the month holding the week’s Thursday', () => {
    const conversion = targets({ '2026-09-01': 0.02, '2026-10-01': 0.025 });
    // W40 (28 Sep – 4 Oct): Thursday 1 October.
    expect(weeklyTarget(isoWeekPeriod(2026, 40), 'LEVEL', conversion)).toBe(0.025);
    // W27 of 2026 (29 Jun – 5 Jul): Thursday 2 July, no target for July.
    expect(weeklyTarget(isoWeekPeriod(2026, 27), 'LEVEL', conversion)).toBeNull();
    // W39 (21 – 27 Sep).
    expect(weeklyTarget(isoWeekPeriod(2026, 39), 'LEVEL', conversion)).toBe(0.02);
  });

  it('has no flow target when one of the two months the week touches has none', () => {
    // 2026-W49: Monday 30 November to Sunday 6 December; December has no target.
    expect(weeklyTarget(isoWeekPeriod(2026, 49), 'FLOW', sessions)).toBeNull();
  });

  it('handles a week across the new year and February of a leap year', () => {
    const revenue = targets({ '2026-12-01': 62_000, '2027-01-01': 31_000, '2028-02-01': 29_000 });
    // 2026-W53: Monday 28 December 2026 to Sunday 3 January 2027.
    expect(weeklyTarget(isoWeekPeriod(2026, 53), 'FLOW', revenue)).toBeCloseTo((62_000 * 4) / 31 + (31_000 * 3) / 31, 9);
    // 2028-W08: 21 – 27 February 2028, a 29-day month.
    expect(weeklyTarget(isoWeekPeriod(2028, 8), 'FLOW', revenue)).toBeCloseTo(7_000, 9);
  });
});

describe(proratedFlowTarget.name, () => {
  it('sums whole months and the started one for a year to date', () => {
    const months = Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`2026-${String(index + 1).padStart(2, '0')}-01`, 1_000 * (index + 1)]));
    // 1 January to Sunday 11 October 2026: January..September in full, 11/31 of October.
    const expected = [1, 2, 3, 4, 5, 6, 7, 8, 9].reduce((sum, month) => sum + 1_000 * month, 0) + (10_000 * 11) / 31;
    expect(proratedFlowTarget(yearToDate('2026-10-11'), targets(months))).toBeCloseTo(expected, 6);
  });
});
