import { PeriodError } from './period-error';
import { isValidTimeZone, localDate } from './time-zone';

describe(localDate.name, () => {
  const lastHalfHourOfOctober = new Date('2026-10-31T23:30:00Z');

  it.each([
    ['Pacific/Kiritimati', '2026-11-01'], // UTC+14
    ['Pacific/Auckland', '2026-11-01'], // UTC+13 (NZDT)
    ['UTC', '2026-10-31'],
    ['Europe/Paris', '2026-11-01'], // UTC+1 after the October DST change: 00:30
    ['America/Los_Angeles', '2026-10-31'], // UTC-7 (PDT until Nov 1)
    ['Pacific/Pago_Pago', '2026-10-31'], // UTC-11
  ])('puts 2026-10-31T23:30:00Z in %s on %s', (timeZone, date) => {
    expect(localDate(lastHalfHourOfOctober, timeZone)).toBe(date);
  });

  it('keeps the calendar date across DST transitions in Paris', () => {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 2026-10-25: 03:00 CEST falls back to 02:00 CET.
    expect(localDate(new Date('2026-03-28T23:30:00Z'), 'Europe/Paris')).toBe('2026-03-29');
    expect(localDate(new Date('2026-03-29T21:59:00Z'), 'Europe/Paris')).toBe('2026-03-29');
    expect(localDate(new Date('2026-03-29T22:00:00Z'), 'Europe/Paris')).toBe('2026-03-30');
    expect(localDate(new Date('2026-10-24T22:00:00Z'), 'Europe/Paris')).toBe('2026-10-25');
    expect(localDate(new Date('2026-10-25T22:59:00Z'), 'Europe/Paris')).toBe('2026-10-25');
    expect(localDate(new Date('2026-10-25T23:00:00Z'), 'Europe/Paris')).toBe('2026-10-26');
  });

  it('keeps the calendar date across DST transitions in Los Angeles', () => {
    // 2026-11-01 02:00 PDT falls back to 01:00 PST: the day lasts 25 hours.
    expect(localDate(new Date('2026-11-01T07:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-01');
    expect(localDate(new Date('2026-11-02T07:59:00Z'), 'America/Los_Angeles')).toBe('2026-11-01');
    expect(localDate(new Date('2026-11-02T08:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-02');
  });

  it('rejects an unknown time zone and an invalid date', () => {
    expect(() => localDate(lastHalfHourOfOctober, 'Mars/Olympus_Mons')).toThrow(PeriodError);
    expect(() => localDate(new Date(Number.NaN), 'UTC')).toThrow(PeriodError);
  });
});

describe(isValidTimeZone.name, () => {
  it('knows IANA zones and refuses anything else', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Pacific/Kiritimati')).toBe(true);
    expect(isValidTimeZone('Europe/Pariss')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('takes aliases and Etc zones but not bare UTC offsets, which have no daylight-saving rules', () => {
    expect(isValidTimeZone('America/Montreal')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Etc/GMT+1')).toBe(true);
    expect(isValidTimeZone('+01:00')).toBe(false);
    expect(isValidTimeZone('Europe/Paris ')).toBe(false);
  });
});
