import { monthPeriod, customPeriod, isoWeekPeriod, periodContaining, quarterPeriod, yearToDate } from './period';
import { PeriodError } from './period-error';
import { countPeriodsBetween, periodsBetween, previousPeriod, samePeriodLastYear, yearToDateLastYear } from './period-navigation';

describe(previousPeriod.name, () => {
  it('steps back one calendar period of the same grain', () => {
    expect(previousPeriod(periodContaining('2026-03-01', 'DAY'))).toEqual({ grain: 'DAY', start: '2026-02-28', end: '2026-02-28' });
    expect(previousPeriod(isoWeekPeriod(2021, 1))).toEqual(isoWeekPeriod(2020, 53));
    expect(previousPeriod(monthPeriod(2024, 3))).toEqual(monthPeriod(2024, 2));
    expect(previousPeriod(monthPeriod(2026, 1))).toEqual(monthPeriod(2025, 12));
    expect(previousPeriod(quarterPeriod(2026, 1))).toEqual(quarterPeriod(2025, 4));
    expect(previousPeriod(periodContaining('2026-05-05', 'YEAR'))).toEqual(periodContaining('2025-05-05', 'YEAR'));
  });

  it('takes the same number of days just before a custom period', () => {
    expect(previousPeriod(customPeriod('2026-03-01', '2026-03-10'))).toEqual({
      grain: 'CUSTOM',
      start: '2026-02-19',
      end: '2026-02-28',
    });
  });

  it("compares a YTD with last year's YTD", () => {
    expect(previousPeriod(yearToDate('2026-10-15'))).toEqual(yearToDate('2025-10-15'));
  });

  it('refuses a misaligned period rather than guessing', () => {
    expect(() => previousPeriod({ grain: 'MONTH', start: '2026-03-05', end: '2026-04-04' })).toThrow(PeriodError);
  });
});

describe(samePeriodLastYear.name, () => {
  it('maps the leap day to February 28', () => {
    expect(samePeriodLastYear(periodContaining('2024-02-29', 'DAY'))).toEqual({
      grain: 'DAY',
      start: '2023-02-28',
      end: '2023-02-28',
    });
  });

  it('maps a month, quarter and year to the same one a year before', () => {
    expect(samePeriodLastYear(monthPeriod(2024, 2))).toEqual(monthPeriod(2023, 2));
    expect(samePeriodLastYear(quarterPeriod(2026, 3))).toEqual(quarterPeriod(2025, 3));
    expect(samePeriodLastYear(periodContaining('2026-06-01', 'YEAR'))).toEqual(periodContaining('2025-06-01', 'YEAR'));
  });

  it('maps an ISO week to the same week number of the previous ISO year', () => {
    expect(samePeriodLastYear(isoWeekPeriod(2026, 41))).toEqual(isoWeekPeriod(2025, 41));
    expect(samePeriodLastYear(isoWeekPeriod(2021, 1))).toEqual(isoWeekPeriod(2020, 1));
  });

  it('maps week 53 to week 52 when the previous ISO year has none', () => {
    // 2026 has 53 ISO weeks, 2025 has 52.
    expect(samePeriodLastYear(isoWeekPeriod(2026, 53))).toEqual(isoWeekPeriod(2025, 52));
  });

  it('moves both ends of a custom period back a year', () => {
    expect(samePeriodLastYear(customPeriod('2024-02-15', '2024-02-29'))).toEqual({
      grain: 'CUSTOM',
      start: '2023-02-15',
      end: '2023-02-28',
    });
  });
});

describe(yearToDateLastYear.name, () => {
  it('ends on the same calendar day a year before, the leap day becoming February 28', () => {
    expect(yearToDateLastYear(yearToDate('2026-10-15'))).toEqual({ grain: 'YTD', start: '2025-01-01', end: '2025-10-15' });
    expect(yearToDateLastYear(yearToDate('2024-02-29'))).toEqual({ grain: 'YTD', start: '2023-01-01', end: '2023-02-28' });
    expect(samePeriodLastYear(yearToDate('2024-02-29'))).toEqual({ grain: 'YTD', start: '2023-01-01', end: '2023-02-28' });
  });

  it("uses the end of any period, e.g. last year's YTD to the end of a month", () => {
    expect(yearToDateLastYear(monthPeriod(2026, 3))).toEqual({ grain: 'YTD', start: '2025-01-01', end: '2025-03-31' });
  });
});

describe(periodsBetween.name, () => {
  it('lists whole months from the one holding `from` to the one holding `to`', () => {
    expect(periodsBetween('2025-11-15', '2026-02-03', 'MONTH')).toEqual([
      monthPeriod(2025, 11),
      monthPeriod(2025, 12),
      monthPeriod(2026, 1),
      monthPeriod(2026, 2),
    ]);
  });

  it('lists ISO weeks across a year boundary', () => {
    expect(periodsBetween('2020-12-28', '2021-01-11', 'WEEK').map((p) => p.start)).toEqual(['2020-12-28', '2021-01-04', '2021-01-11']);
  });

  it('returns one period when both dates fall in it, and refuses a reversed range', () => {
    expect(periodsBetween('2026-10-02', '2026-10-30', 'MONTH')).toEqual([monthPeriod(2026, 10)]);
    expect(() => periodsBetween('2026-10-02', '2026-10-01', 'DAY')).toThrow(PeriodError);
  });
});

describe(countPeriodsBetween.name, () => {
  const spans: Array<[string, string]> = [
    ['2026-01-01', '2026-01-01'],
    ['2025-12-29', '2026-01-04'],
    ['2024-02-28', '2025-03-01'],
    ['2023-12-31', '2026-11-15'],
    ['2017-01-01', '2026-12-31'],
  ];
  it.each(spans)('counts the periods periodsBetween builds from %s to %s, at every grain', (from, to) => {
    for (const grain of ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const) {
      expect(countPeriodsBetween(from, to, grain)).toBe(periodsBetween(from, to, grain).length);
    }
  });

  it('counts a span far longer than a series may hold without walking it, and nothing when it ends before it starts', () => {
    expect(countPeriodsBetween('0001-01-01', '9999-12-31', 'DAY')).toBe(3_652_059);
    expect(countPeriodsBetween('2026-02-01', '2026-01-01', 'MONTH')).toBe(0);
  });
});
