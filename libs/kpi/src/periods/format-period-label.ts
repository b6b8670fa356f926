import type { Locale } from '../domain';
import { parseIsoDate } from './iso-date';
import { assertValidPeriod, isoWeekOf, type Period } from './period';

export interface PeriodLabelOptions {
  /** 'long' (default) for titles: "octobre 2026"; 'short' for chart axes: "oct. 2026". */
  readonly style?: 'long' | 'short';
}

// Quarter and week abbreviations used in French business reporting: T = trimestre, S = semaine.
const QUARTER_PREFIX: Record<Locale, string> = { fr: 'T', en: 'Q' };
const WEEK_PREFIX: Record<Locale, string> = { fr: 'S', en: 'W' };

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The Intl locale of a report language. Regional tags, so that English dates read the European
 * way ("5 October 2026", not "October 5, 2026"): the agencies and their clients are European.
 */
export function intlLocale(locale: Locale): string {
  return locale === 'fr' ? 'fr-FR' : 'en-GB';
}

/** An ISO week's number as French and European teams name it: "S41" / "W41" (the week of `date`). */
export function formatIsoWeekNumber(date: string, locale: Locale): string {
  return `${WEEK_PREFIX[locale]}${isoWeekOf(date).week}`;
}

function format(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    // Dates are turned into UTC midnights and formatted in UTC, so no time zone can shift the day.
    formatter = new Intl.DateTimeFormat(intlLocale(locale), { ...options, timeZone: 'UTC', calendar: 'gregory' });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** `YYYY-MM-DD` as the instant of its UTC midnight: formatted in UTC, no time zone can shift the day. */
export function utcMidnight(date: string): Date {
  const { year, month, day } = parseIsoDate(date);
  const instant = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 1-99 as they are.
  instant.setUTCFullYear(year, month - 1, day);
  return instant;
}

/**
 * A period's label in the report's language: 'octobre 2026' / 'October 2026', 'T3 2026' /
 * 'Q3 2026', 'S41 2026' / 'W41 2026' (ISO week and ISO year), '2026', a day, or a date range
 * for YTD and custom periods. Month and day names come from Intl (CLDR data).
 */
export function formatPeriodLabel(period: Period, locale: Locale, options: PeriodLabelOptions = {}): string {
  assertValidPeriod(period);
  const month = options.style === 'short' ? 'short' : 'long';
  const start = parseIsoDate(period.start);
  switch (period.grain) {
    case 'DAY':
      return format(locale, { day: 'numeric', month, year: 'numeric' }).format(utcMidnight(period.start));
    case 'WEEK': {
      return `${formatIsoWeekNumber(period.start, locale)} ${isoWeekOf(period.start).isoYear}`;
    }
    case 'MONTH':
      return format(locale, { month, year: 'numeric' }).format(utcMidnight(period.start));
    case 'QUARTER':
      return `${QUARTER_PREFIX[locale]}${Math.ceil(start.month / 3)} ${start.year}`;
    case 'YEAR':
      return String(start.year);
    case 'YTD':
    case 'CUSTOM':
      return format(locale, { day: 'numeric', month, year: 'numeric' }).formatRange(utcMidnight(period.start), utcMidnight(period.end));
  }
}
