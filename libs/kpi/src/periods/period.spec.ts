import fc from 'fast-check';
import { addDays, fromDayNumber } from './iso-date';
import {
  assertValidPeriod,
  customPeriod,
  daysInPeriod,
  eachDay,
  elapsedFraction,
  isoWeekOf,
  isoWeekPeriod,
  isoWeeksInYear,
  monthPeriod,
  periodContaining,
  quarterPeriod,
  yearToDate,
} from './period';
import { PeriodError } from './period-error';

describe('ISO 8601 weeks', () => {
  it('puts 2021-01-01, a Friday, in week 53 of 2020 and starts 2021-W01 on Monday 2021-01-04', () => {
    expect(isoWeekOf('2021-01-01')).toEqual({ isoYear: 2020, week: 53 });
    expect(isoWeekOf('2021-01-03')).toEqual({ isoYear: 2020, week: 53 });
    expect(isoWeekOf('2021-01-04')).toEqual({ isoYear: 2021, week: 1 });
    expect(isoWeekPeriod(2021, 1)).toEqual({ grain: 'WEEK', start: '2021-01-04', end: '2021-01-10' });
  });

  it('puts late December days in week 1 of the next ISO year when that week holds its first Thursday', () => {
    // 2024-12-30 is a Monday; Thursday 2025-01-02 is in that week.
    expect(isoWeekOf('2024-12-30')).toEqual({ isoYear: 2025, week: 1 });
    expect(isoWeekPeriod(2025, 1)).toEqual({ grain: 'WEEK', start: '2024-12-30', end: '2025-01-05' });
  });

  it('knows which years have 53 weeks', () => {
    expect(isoWeeksInYear(2020)).toBe(53); // starts on a Wednesday in a leap year
    expect(isoWeeksInYear(2026)).toBe(53); // starts on a Thursday
    expect(isoWeeksInYear(2021)).toBe(52);
    expect(isoWeeksInYear(2024)).toBe(52);
    expect(() => isoWeekPeriod(2021, 53)).toThrow(PeriodError);
  });

  it('gives week 41 of 2026 from Monday 5 to Sunday 11 October', () => {
    expect(periodContaining('2026-10-08', 'WEEK')).toEqual({ grain: 'WEEK', start: '2026-10-05', end: '2026-10-11' });
    expect(isoWeekOf('2026-10-08')).toEqual({ isoYear: 2026, week: 41 });
  });

  it('agrees with its own week periods for any date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (dayNumber) => {
        const date = fromDayNumber(dayNumber);
        const { isoYear, week } = isoWeekOf(date);
        const period = isoWeekPeriod(isoYear, week);
        expect(period.start <= date && date <= period.end).toBe(true);
        expect(period).toEqual(periodContaining(date, 'WEEK'));
      }),
    );
  });
});

describe(periodContaining.name, () => {
  it('finds the day, month, quarter and year of a date', () => {
    expect(periodContaining('2026-10-31', 'DAY')).toEqual({ grain: 'DAY', start: '2026-10-31', end: '2026-10-31' });
    expect(periodContaining('2024-02-10', 'MONTH')).toEqual({ grain: 'MONTH', start: '2024-02-01', end: '2024-02-29' });
    expect(periodContaining('2026-08-15', 'QUARTER')).toEqual({ grain: 'QUARTER', start: '2026-07-01', end: '2026-09-30' });
    expect(periodContaining('2026-08-15', 'YEAR')).toEqual({ grain: 'YEAR', start: '2026-01-01', end: '2026-12-31' });
  });

  it('builds months and quarters from numbers and rejects out-of-range ones', () => {
    expect(monthPeriod(2023, 2)).toEqual({ grain: 'MONTH', start: '2023-02-01', end: '2023-02-28' });
    expect(quarterPeriod(2026, 4)).toEqual({ grain: 'QUARTER', start: '2026-10-01', end: '2026-12-31' });
    expect(() => monthPeriod(2026, 13)).toThrow(PeriodError);
    expect(() => quarterPeriod(2026, 0)).toThrow(PeriodError);
  });
});

describe(customPeriod.name, () => {
  it('accepts one day and up to five years', () => {
    expect(daysInPeriod(customPeriod('2026-10-05', '2026-10-05'))).toBe(1);
    expect(customPeriod('2020-01-01', '2024-12-31').end).toBe('2024-12-31');
  });

  it('rejects a start after the end and more than five years', () => {
    expect(() => customPeriod('2026-10-06', '2026-10-05')).toThrow(PeriodError);
    expect(() => customPeriod('2020-01-01', '2025-01-01')).toThrow(PeriodError);
    expect(() => customPeriod('2020-01-01', '2026-13-01')).toThrow(PeriodError);
  });
});

describe(assertValidPeriod.name, () => {
  it('refuses a calendar grain that is not aligned on that grain', () => {
    expect(() => assertValidPeriod({ grain: 'MONTH', start: '2026-10-03', end: '2026-11-02' })).toThrow(PeriodError);
    expect(() => assertValidPeriod({ grain: 'WEEK', start: '2026-10-06', end: '2026-10-12' })).toThrow(PeriodError);
    expect(() => assertValidPeriod({ grain: 'YTD', start: '2026-02-01', end: '2026-10-12' })).toThrow(PeriodError);
    expect(() => assertValidPeriod(monthPeriod(2026, 10))).not.toThrow();
  });
});

describe('period lengths', () => {
  it('counts days, both ends included', () => {
    expect(daysInPeriod(monthPeriod(2024, 2))).toBe(29);
    expect(daysInPeriod(monthPeriod(2026, 10))).toBe(31);
    expect(daysInPeriod(periodContaining('2024-06-01', 'YEAR'))).toBe(366);
    expect(daysInPeriod(yearToDate('2026-02-10'))).toBe(41);
  });

  it('lists each day of a period', () => {
    expect(eachDay(customPeriod('2024-02-27', '2024-03-02'))).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
  });

  it('lists every date of a month that holds a DST change (days are dates, not 24-hour spans)', () => {
    const days = eachDay(monthPeriod(2026, 3));
    expect(days).toHaveLength(31);
    expect(days[28]).toBe('2026-03-29');
    expect(days[30]).toBe(addDays('2026-03-01', 30));
  });
});

describe(elapsedFraction.name, () => {
  const october = monthPeriod(2026, 10);

  it('counts today as elapsed', () => {
    expect(elapsedFraction(october, '2026-10-01')).toBeCloseTo(1 / 31, 12);
    expect(elapsedFraction(october, '2026-10-10')).toBeCloseTo(10 / 31, 12);
    expect(elapsedFraction(october, '2026-10-31')).toBe(1);
  });

  it('is 1 for a past period and 0 for a future one', () => {
    expect(elapsedFraction(october, '2027-01-15')).toBe(1);
    expect(elapsedFraction(october, '2026-09-30')).toBe(0);
  });
});
