import { localDate } from '@pilotage/kpi';
import { parseCalendarDate } from '../calendar-date.parser';
import type { DateFormat } from '../metric-csv.types';
import type { DayReading } from './export-preset.types';

/*
 * The date shapes platform exports write. Each returns the calendar day the value belongs to:
 * a platform's own day when it reports by day (Google Ads, Meta, GA4, Search Console report in
 * the account's time zone), the client's day for UTC timestamps (Stripe).
 */

function fromCalendar(text: string, format: DateFormat | null): DayReading {
  const parsed = parseCalendarDate(text, format);
  return parsed.ok ? { ok: true, iso: parsed.iso } : { ok: false, reason: parsed.reason };
}

/** `yyyy-mm-dd` (Google Ads, Meta, Search Console). */
export function isoDay(text: string): DayReading {
  return fromCalendar(text, 'ISO');
}

/** A calendar date in the declared order (`dd/mm/yyyy` for DMY), ISO always accepted; for saved mappings. */
export function calendarDay(format: DateFormat): (text: string) => DayReading {
  return (text) => fromCalendar(text, format);
}

/** GA4 writes its Date dimension as `yyyymmdd` (20261001). */
export function compactDay(text: string): DayReading {
  if (!/^\d{8}$/.test(text)) return { ok: false, reason: 'expected yyyymmdd, as GA4 writes dates' };
  return fromCalendar(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`, 'ISO');
}

/** Dates written with any of the shapes above: saved mappings may declare `COMPACT`. */
export function compactOrCalendarDay(format: DateFormat | 'COMPACT'): (text: string) => DayReading {
  return format === 'COMPACT' ? compactDay : calendarDay(format);
}

/**
 * `2026-10-01 14:03:12 +0200` (Shopify): the day as written, which is the shop's own day (its
 * time zone is the offset); re-dating it would move late orders to another day than Shopify's
 * own reports show.
 */
export function dayOfLocalTimestamp(text: string): DayReading {
  const match = /^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[+-]\d{2}:?\d{2}|Z|UTC)?$/.exec(text);
  if (match === null || match[1] === undefined) return { ok: false, reason: 'expected yyyy-mm-dd hh:mm:ss +hhmm' };
  return isoDay(match[1]);
}

/**
 * `2026-10-01 23:30:00` in UTC (Stripe's "Created date (UTC)", `created_utc`), dated in the
 * client's time zone: a payment at 23:30 UTC on Oct 1 is an Oct 2 sale for a Paris client.
 */
export function dayOfUtcTimestamp(timeZone: string): (text: string) => DayReading {
  return (text) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:Z|UTC|\+00:?00)?$/.exec(text);
    if (match === null) return { ok: false, reason: 'expected yyyy-mm-dd hh:mm[:ss] in UTC' };
    const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? '0'));
    const calendar = isoDay(`${match[1]}-${match[2]}-${match[3]}`);
    if (!calendar.ok) return calendar;
    if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59) return { ok: false, reason: 'the time of day does not exist' };
    const instant = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0));
    return { ok: true, iso: localDate(instant, timeZone) };
  };
}

const ENGLISH_MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** `Oct 01, 2026 09:00 am` or `October 1, 2026` (Mailchimp's "Send Date"): the day as written. */
export function englishMonthDay(text: string): DayReading {
  const match = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\b/.exec(text);
  const month = match?.[1] === undefined ? undefined : (ENGLISH_MONTHS[match[1].toLowerCase()] ?? ENGLISH_MONTHS[match[1].toLowerCase().slice(0, 3)]);
  if (match === null || month === undefined) return { ok: false, reason: 'expected a date such as "Oct 01, 2026 09:00 am"' };
  const day = Number(match[2]);
  return isoDay(`${match[3]}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`);
}

/** A date possibly followed by a time (`01/10/2026 09:00`), read in `format` (Brevo's send date). */
export function dayOfDateTime(format: DateFormat): (text: string) => DayReading {
  return (text) => fromCalendar(text.split(/[ T]/)[0] ?? '', format);
}
