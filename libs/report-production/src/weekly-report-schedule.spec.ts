import { dueWeeklyReport, lastCompleteWeek, MAX_WEEKLY_SETTLE_HOURS } from './weekly-report-schedule';

const at = (iso: string): Date => new Date(iso);

describe(dueWeeklyReport.name, () => {
  describe('with 9 settle hours (09:00 local on Monday)', () => {
    it('makes the week due at 09:00 on Monday in Auckland (UTC+12), while UTC is still on Sunday', () => {
      // Monday 21 September 2026, 00:00 NZST is Sunday 20 September 12:00 UTC.
      expect(dueWeeklyReport(at('2026-09-20T20:59:59Z'), 'Pacific/Auckland', 9)).toBeNull();
      expect(dueWeeklyReport(at('2026-09-20T21:00:00Z'), 'Pacific/Auckland', 9)).toBe('2026-09-14');
    });

    it('moves with New Zealand daylight saving time, which starts on Sunday 27 September 2026 (UTC+13)', () => {
      // Monday 28 September 00:00 NZDT is Sunday 27 September 11:00 UTC: due an hour earlier in UTC.
      expect(dueWeeklyReport(at('2026-09-27T19:59:59Z'), 'Pacific/Auckland', 9)).toBeNull();
      expect(dueWeeklyReport(at('2026-09-27T20:00:00Z'), 'Pacific/Auckland', 9)).toBe('2026-09-21');
    });

    it('keeps last week not yet due in Los Angeles (UTC-7) when it is already Monday afternoon in UTC', () => {
      // Monday 26 October 2026, 09:00 PDT is 16:00 UTC.
      expect(dueWeeklyReport(at('2026-10-26T15:59:59Z'), 'America/Los_Angeles', 9)).toBeNull();
      expect(dueWeeklyReport(at('2026-10-26T16:00:00Z'), 'America/Los_Angeles', 9)).toBe('2026-10-19');
    });

    it('stays at 09:00 local in Los Angeles after daylight saving time ends on Sunday 1 November 2026 (UTC-8)', () => {
      // The week of 26 October has 169 hours; Monday 2 November 09:00 PST is 17:00 UTC.
      expect(dueWeeklyReport(at('2026-11-02T16:00:00Z'), 'America/Los_Angeles', 9)).toBeNull();
      expect(dueWeeklyReport(at('2026-11-02T16:59:59Z'), 'America/Los_Angeles', 9)).toBeNull();
      expect(dueWeeklyReport(at('2026-11-02T17:00:00Z'), 'America/Los_Angeles', 9)).toBe('2026-10-26');
    });

    it('stays due until the next Monday, then waits for the next week to settle', () => {
      // Sunday 8 November 23:59 PST: the week of 26 October is still the one due.
      expect(dueWeeklyReport(at('2026-11-09T07:59:59Z'), 'America/Los_Angeles', 9)).toBe('2026-10-26');
      expect(dueWeeklyReport(at('2026-11-09T08:00:00Z'), 'America/Los_Angeles', 9)).toBeNull();
      expect(dueWeeklyReport(at('2026-11-09T17:00:00Z'), 'America/Los_Angeles', 9)).toBe('2026-11-02');
    });

    it('names the week by its Monday across the turn of the year (ISO week 2026-W53)', () => {
      // Sunday 3 January 2027, 23:59 in Paris (UTC+1): the week of 21 December is the one due.
      expect(dueWeeklyReport(at('2027-01-03T22:59:59Z'), 'Europe/Paris', 9)).toBe('2026-12-21');
      // Monday 4 January 2027, 09:00 in Paris is 08:00 UTC.
      expect(dueWeeklyReport(at('2027-01-04T07:59:59Z'), 'Europe/Paris', 9)).toBeNull();
      expect(dueWeeklyReport(at('2027-01-04T08:00:00Z'), 'Europe/Paris', 9)).toBe('2026-12-28');
    });
  });

  it('with no settle period, makes the week due at midnight between Sunday and Monday, local time', () => {
    expect(dueWeeklyReport(at('2026-10-26T06:59:59Z'), 'America/Los_Angeles', 0)).toBe('2026-10-12');
    expect(dueWeeklyReport(at('2026-10-26T07:00:00Z'), 'America/Los_Angeles', 0)).toBe('2026-10-19');
  });

  it('with 30 settle hours, makes the week due on Tuesday at 06:00, local time', () => {
    // Tuesday 27 October 2026, 06:00 in Paris (still CET after 25 October: UTC+1) is 05:00 UTC.
    expect(dueWeeklyReport(at('2026-10-26T12:00:00Z'), 'Europe/Paris', 30)).toBeNull();
    expect(dueWeeklyReport(at('2026-10-27T04:59:59Z'), 'Europe/Paris', 30)).toBeNull();
    expect(dueWeeklyReport(at('2026-10-27T05:00:00Z'), 'Europe/Paris', 30)).toBe('2026-10-19');
  });

  it('rejects a negative, fractional or too long settle period, and an unknown time zone', () => {
    expect(() => dueWeeklyReport(at('2026-11-10T00:00:00Z'), 'UTC', -1)).toThrow(/settleHours/);
    expect(() => dueWeeklyReport(at('2026-11-10T00:00:00Z'), 'UTC', 1.5)).toThrow(/settleHours/);
    expect(() => dueWeeklyReport(at('2026-11-10T00:00:00Z'), 'UTC', MAX_WEEKLY_SETTLE_HOURS + 1)).toThrow(/settleHours/);
    expect(dueWeeklyReport(at('2026-11-15T00:00:00Z'), 'UTC', MAX_WEEKLY_SETTLE_HOURS)).toBe('2026-11-02');
    expect(() => dueWeeklyReport(at('2026-11-10T00:00:00Z'), 'Mars/Olympus', 9)).toThrow(/time zone/);
  });
});

describe(lastCompleteWeek.name, () => {
  it('is the week before the client’s local today, by its Monday', () => {
    // Monday 2 November 2026 03:00 UTC: already Monday in Auckland, still Sunday in Los Angeles.
    expect(lastCompleteWeek(at('2026-11-02T03:00:00Z'), 'Pacific/Auckland')).toBe('2026-10-26');
    expect(lastCompleteWeek(at('2026-11-02T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-10-19');
    expect(lastCompleteWeek(at('2027-01-03T12:00:00Z'), 'Europe/Paris')).toBe('2026-12-21');
  });
});
