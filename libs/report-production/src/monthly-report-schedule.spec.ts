import { dueMonthlyReport, lastCompleteMonth } from './monthly-report-schedule';

const at = (iso: string): Date => new Date(iso);

describe(dueMonthlyReport.name, () => {
  describe('with no settle period', () => {
    it('makes October due at midnight on 1 November in Kiritimati (UTC+14), while UTC is still on 31 October', () => {
      expect(dueMonthlyReport(at('2026-10-31T09:59:59Z'), 'Pacific/Kiritimati', 0)).toBe('2026-09-01');
      expect(dueMonthlyReport(at('2026-10-31T10:00:00Z'), 'Pacific/Kiritimati', 0)).toBe('2026-10-01');
    });

    it('keeps October not yet due in Los Angeles when UTC is already on 1 November', () => {
      // 2026-11-01T05:00Z is 22:00 on 31 October in Los Angeles (PDT, UTC-7).
      expect(dueMonthlyReport(at('2026-11-01T05:00:00Z'), 'America/Los_Angeles', 0)).toBe('2026-09-01');
      expect(dueMonthlyReport(at('2026-11-01T07:00:00Z'), 'America/Los_Angeles', 0)).toBe('2026-10-01');
    });

    it('crosses the year boundary: December of the previous year becomes due on 1 January', () => {
      expect(dueMonthlyReport(at('2026-12-31T10:00:00Z'), 'Pacific/Kiritimati', 0)).toBe('2026-12-01');
      // 23:59 on 31 December in Los Angeles (PST, UTC-8): still November.
      expect(dueMonthlyReport(at('2027-01-01T07:59:00Z'), 'America/Los_Angeles', 0)).toBe('2026-11-01');
      expect(dueMonthlyReport(at('2027-01-01T08:00:00Z'), 'America/Los_Angeles', 0)).toBe('2026-12-01');
    });
  });

  describe('with a 3-day settle period', () => {
    it('waits until the 4th, local time, in Kiritimati', () => {
      expect(dueMonthlyReport(at('2026-11-01T10:00:00Z'), 'Pacific/Kiritimati', 3)).toBeNull();
      expect(dueMonthlyReport(at('2026-11-03T09:59:59Z'), 'Pacific/Kiritimati', 3)).toBeNull();
      expect(dueMonthlyReport(at('2026-11-03T10:00:00Z'), 'Pacific/Kiritimati', 3)).toBe('2026-10-01');
    });

    it('waits until the 4th, local time, in Los Angeles across the end of daylight saving time (1 November 2026)', () => {
      // Midnight on 4 November in Los Angeles is 08:00 UTC (PST).
      expect(dueMonthlyReport(at('2026-11-04T05:00:00Z'), 'America/Los_Angeles', 3)).toBeNull();
      expect(dueMonthlyReport(at('2026-11-04T07:59:59Z'), 'America/Los_Angeles', 3)).toBeNull();
      expect(dueMonthlyReport(at('2026-11-04T08:00:00Z'), 'America/Los_Angeles', 3)).toBe('2026-10-01');
    });

    it('stays due for the rest of the month, then waits for the next month to settle', () => {
      expect(dueMonthlyReport(at('2026-11-30T12:00:00Z'), 'America/Los_Angeles', 3)).toBe('2026-10-01');
      expect(dueMonthlyReport(at('2026-12-02T12:00:00Z'), 'America/Los_Angeles', 3)).toBeNull();
      expect(dueMonthlyReport(at('2026-12-04T12:00:00Z'), 'America/Los_Angeles', 3)).toBe('2026-11-01');
    });

    it('makes December due on 4 January of the next year', () => {
      expect(dueMonthlyReport(at('2027-01-03T12:00:00Z'), 'Pacific/Kiritimati', 3)).toBe('2026-12-01');
      expect(dueMonthlyReport(at('2027-01-03T09:00:00Z'), 'Pacific/Kiritimati', 3)).toBeNull();
    });
  });

  it('makes the previous month due on the last day of a month shorter than the settle period', () => {
    expect(dueMonthlyReport(at('2027-02-27T12:00:00Z'), 'Europe/Paris', 30)).toBeNull();
    expect(dueMonthlyReport(at('2027-02-28T12:00:00Z'), 'Europe/Paris', 30)).toBe('2027-01-01');
    expect(dueMonthlyReport(at('2028-02-28T12:00:00Z'), 'Europe/Paris', 30)).toBeNull();
    expect(dueMonthlyReport(at('2028-02-29T12:00:00Z'), 'Europe/Paris', 30)).toBe('2028-01-01');
  });

  it('rejects a negative or fractional settle period, and an unknown time zone', () => {
    expect(() => dueMonthlyReport(at('2026-11-10T00:00:00Z'), 'UTC', -1)).toThrow(/settleDays/);
    expect(() => dueMonthlyReport(at('2026-11-10T00:00:00Z'), 'UTC', 1.5)).toThrow(/settleDays/);
    expect(() => dueMonthlyReport(at('2026-11-10T00:00:00Z'), 'Mars/Olympus', 0)).toThrow(/time zone/);
  });
});

describe(lastCompleteMonth.name, () => {
  it('is the month before the client’s local today', () => {
    expect(lastCompleteMonth(at('2026-10-31T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-10-01');
    expect(lastCompleteMonth(at('2026-10-31T10:00:00Z'), 'America/Los_Angeles')).toBe('2026-09-01');
    expect(lastCompleteMonth(at('2027-01-01T02:00:00Z'), 'Europe/Paris')).toBe('2026-12-01');
  });
});
