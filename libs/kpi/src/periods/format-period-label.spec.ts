import { formatPeriodLabel } from './format-period-label';
import { customPeriod, isoWeekPeriod, monthPeriod, periodContaining, quarterPeriod, yearToDate } from './period';

// CLDR puts thin or narrow no-break spaces around range dashes; compare with plain spaces.
const plain = (text: string): string => text.replace(/[\u00a0\u2009\u202f]/g, ' ');

describe(formatPeriodLabel.name, () => {
  it('names a month in French and English', () => {
    expect(formatPeriodLabel(monthPeriod(2026, 10), 'fr')).toBe('octobre 2026');
    expect(formatPeriodLabel(monthPeriod(2026, 10), 'en')).toBe('October 2026');
    expect(formatPeriodLabel(monthPeriod(2026, 10), 'fr', { style: 'short' })).toBe('oct. 2026');
    expect(formatPeriodLabel(monthPeriod(2026, 10), 'en', { style: 'short' })).toBe('Oct 2026');
  });

  it('names quarters T/Q and weeks S/W with the ISO year', () => {
    expect(formatPeriodLabel(quarterPeriod(2026, 3), 'fr')).toBe('T3 2026');
    expect(formatPeriodLabel(quarterPeriod(2026, 3), 'en')).toBe('Q3 2026');
    expect(formatPeriodLabel(isoWeekPeriod(2026, 41), 'fr')).toBe('S41 2026');
    expect(formatPeriodLabel(isoWeekPeriod(2026, 41), 'en')).toBe('W41 2026');
    expect(formatPeriodLabel(periodContaining('2021-01-01', 'WEEK'), 'en')).toBe('W53 2020');
  });

  it('names a year and a day', () => {
    expect(formatPeriodLabel(periodContaining('2026-05-05', 'YEAR'), 'fr')).toBe('2026');
    expect(formatPeriodLabel(periodContaining('2026-10-05', 'DAY'), 'fr')).toBe('5 octobre 2026');
    expect(formatPeriodLabel(periodContaining('2026-10-05', 'DAY'), 'en')).toBe('5 October 2026');
  });

  it('names YTD and custom periods as date ranges', () => {
    expect(plain(formatPeriodLabel(yearToDate('2026-10-15'), 'fr'))).toMatch(/^1 janvier\s?–\s?15 octobre 2026$/);
    expect(plain(formatPeriodLabel(customPeriod('2025-12-20', '2026-01-15'), 'en'))).toMatch(/^20 December 2025\s?–\s?15 January 2026$/);
  });

  it('does not shift the first day of a month whatever the process time zone', () => {
    expect(formatPeriodLabel(periodContaining('2026-11-01', 'DAY'), 'en')).toBe('1 November 2026');
  });
});
