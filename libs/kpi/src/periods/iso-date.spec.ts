import fc from 'fast-check';
import { addDays, addMonths, daysBetween, fromDayNumber, isoWeekday, isValidIsoDate, toDayNumber } from './iso-date';
import { PeriodError } from './period-error';

describe('iso-date', () => {
  it.each(['2026-10-31', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])('accepts %p', (date) => {
    expect(isValidIsoDate(date)).toBe(true);
  });

  it.each(['2023-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-5', '26-01-05', '2026-01-05T00:00', '0000-01-01', ''])(
    'rejects %p',
    (date) => {
      expect(isValidIsoDate(date)).toBe(false);
    },
  );

  it('counts days from 1970-01-01 like UTC midnights do', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('2026-10-31')).toBe(Date.UTC(2026, 9, 31) / 86_400_000);
    expect(toDayNumber('0001-01-01')).toBe(-719162);
  });

  it('converts day numbers back to the same date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (dayNumber) => {
        expect(toDayNumber(fromDayNumber(dayNumber))).toBe(dayNumber);
        const expected = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
        expect(fromDayNumber(dayNumber)).toBe(expected);
      }),
    );
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-10-31', 1)).toBe('2026-11-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2023-03-01', -1)).toBe('2023-02-28');
  });

  it('adds months, clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', -12)).toBe('2023-02-28');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
    expect(addMonths('2026-10-31', 14)).toBe('2027-12-31');
  });

  it('gives ISO weekdays, Monday = 1 and Sunday = 7', () => {
    expect(isoWeekday('2026-10-05')).toBe(1);
    expect(isoWeekday('2026-10-11')).toBe(7);
    expect(isoWeekday('2021-01-01')).toBe(5);
  });

  it('measures days between dates', () => {
    expect(daysBetween('2024-02-01', '2024-03-01')).toBe(29);
    expect(daysBetween('2024-03-01', '2024-02-01')).toBe(-29);
  });

  it('throws PeriodError on a malformed date or a fractional amount', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(PeriodError);
    expect(() => addDays('2026-02-01', 0.5)).toThrow(PeriodError);
    expect(() => addMonths('9999-12-01', 1)).toThrow(PeriodError);
  });
});
