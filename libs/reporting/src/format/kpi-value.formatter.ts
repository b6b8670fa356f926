import {
  AT_RISK_ATTAINMENT,
  formatIsoWeekNumber,
  formatPeriodLabel as formatCalendarPeriod,
  intlLocale,
  ON_TRACK_ATTAINMENT,
  periodContaining,
  type FormattingLocale,
  type KpiUnit,
  type Locale,
} from '@pilotage/kpi';
import type { KpiChange, KpiStatus, ReportPeriod } from '../snapshot/report-snapshot';

/** Shown instead of a number when there is no value: never 0, which would be a lie. */
export const NO_VALUE = '—';

const MINUS = '\u2212';
const NBSP = '\u00a0';

/**
 * What the formatters accept: a report language ('fr', 'en': its European reading, as before
 * formatting locales existed) or a client's formatting locale ('fr-FR', 'en-GB', 'en-US').
 */
export type FormatLocale = Locale | FormattingLocale;

export interface NumberFormatContext {
  /** The report's language. */
  readonly locale: Locale;
  readonly currency: string;
  /** How numbers, money and dates are written; the language's default when absent. */
  readonly formattingLocale?: FormattingLocale;
}

/** The locale numbers are written in: the client's formatting locale, else its language's. */
export function numberLocale(context: NumberFormatContext): FormatLocale {
  return context.formattingLocale ?? context.locale;
}

function intlTag(locale: FormatLocale): string {
  return locale === 'fr' || locale === 'en' ? intlLocale(locale) : locale;
}

/** The language a formatting locale writes: 'en-US' → 'en'. */
export function languageOf(locale: FormatLocale): Locale {
  return locale.startsWith('fr') ? 'fr' : 'en';
}

/**
 * Intl.NumberFormat construction costs ~20 µs; a report formats a few hundred numbers and
 * the benchmark renders hundreds of reports, so instances are cached per options.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function optionsKey(options: Intl.NumberFormatOptions | Intl.DateTimeFormatOptions): string {
  let key = '';
  for (const [name, value] of Object.entries(options)) key += `${name}=${String(value)};`;
  return key;
}
function numberFormat(locale: FormatLocale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const tag = intlTag(locale);
  const cacheKey = `${tag}|${optionsKey(options)}`;
  let format = numberFormats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.NumberFormat(tag, options);
    numberFormats.set(cacheKey, format);
  }
  return format;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: FormatLocale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const tag = intlTag(locale);
  const cacheKey = `${tag}|${optionsKey(options)}`;
  let format = dateFormats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(tag, options);
    dateFormats.set(cacheKey, format);
  }
  return format;
}

/**
 * French typography wants a narrow no-break space (U+202F) before %, as for thousands;
 * ICU emits a full no-break space (U+00A0) there.
 */
function percentSign(text: string): string {
  return text.replace('\u00a0%', '\u202f%');
}

/** Typographic minus (U+2212) rather than the hyphen Intl emits. */
function withMinus(text: string): string {
  return text.startsWith('-') ? MINUS + text.slice(1) : text;
}

function formatDuration(totalSeconds: number): string {
  const sign = totalSeconds < 0 ? MINUS : '';
  const seconds = Math.round(Math.abs(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  // No-break spaces so that "2 min 35 s" never wraps inside a table cell.
  if (hours > 0) return `${sign}${hours}${NBSP}h${NBSP}${String(minutes).padStart(2, '0')}${NBSP}min`;
  if (minutes > 0) return `${sign}${minutes}${NBSP}min${NBSP}${rest}${NBSP}s`;
  return `${sign}${rest}${NBSP}s`;
}

function currencyDigits(value: number): number {
  // Cents matter on a basket or a cost per click, they are noise on a monthly revenue.
  return Math.abs(value) >= 10_000 ? 0 : 2;
}

/**
 * Formats a KPI value in the client's locale: "12,5 %", "1 234,56 €", "3,2×", "2 min 35 s".
 * French Intl output uses U+202F (narrow no-break space) for thousands and before % and
 * U+00A0 before the currency sign.
 */
export function formatKpiValue(value: number | null, unit: KpiUnit, context: NumberFormatContext): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  switch (unit) {
    case 'COUNT':
      return withMinus(numberFormat(numberLocale(context), { maximumFractionDigits: 0 }).format(value));
    case 'CURRENCY': {
      const digits = currencyDigits(value);
      return withMinus(
        numberFormat(numberLocale(context), {
          style: 'currency',
          currency: context.currency,
          // "$" rather than en-GB's "US$": a report speaks of one client's own currency.
          currencyDisplay: 'narrowSymbol',
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        }).format(value),
      );
    }
    case 'PERCENT':
      return percentSign(
        withMinus(numberFormat(numberLocale(context), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)),
      );
    case 'RATIO':
      return `${withMinus(numberFormat(numberLocale(context), { minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(value))}×`;
    case 'DURATION':
      return formatDuration(value);
    case 'SCORE':
      return withMinus(numberFormat(numberLocale(context), { maximumFractionDigits: 1 }).format(value));
  }
}

/**
 * Short form for chart axes ("182 k", "12 %", "2:35"), where space is scarce and precision
 * is carried by the tables.
 */
export function formatKpiAxisValue(value: number, unit: KpiUnit, context: NumberFormatContext): string {
  switch (unit) {
    case 'COUNT':
    case 'SCORE':
      return withMinus(numberFormat(numberLocale(context), { notation: 'compact', maximumFractionDigits: 1 }).format(value));
    case 'CURRENCY':
      return withMinus(
        numberFormat(numberLocale(context), {
          style: 'currency',
          currency: context.currency,
          currencyDisplay: 'narrowSymbol',
          notation: 'compact',
          maximumFractionDigits: Math.abs(value) < 100 ? 2 : 1,
        }).format(value),
      );
    case 'PERCENT':
      return percentSign(withMinus(numberFormat(numberLocale(context), { style: 'percent', maximumFractionDigits: 1 }).format(value)));
    case 'RATIO':
      return `${withMinus(numberFormat(numberLocale(context), { maximumFractionDigits: 1 }).format(value))}×`;
    case 'DURATION': {
      const seconds = Math.round(value);
      return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    }
  }
}

/** A fraction as a percentage: 0.925 → "92,5 %" (attainment, conversion between stages). */
export function formatPercent(value: number | null, locale: FormatLocale, fractionDigits = 0): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  return percentSign(
    withMinus(numberFormat(locale, { style: 'percent', minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value)),
  );
}

/**
 * Attainment as printed beside a status, judged on the printed precision: a KPI at 99.6 % of
 * its target is AT_RISK (the engine's threshold is 100 %, ON_TRACK_ATTAINMENT) and must not
 * read "100 %" beside "At risk". When whole percents would round across the status's bound,
 * one more decimal is printed ("99,6 %"); when that still rounds across (99.96 %), the value
 * is floored toward the bound at that decimal ("99,9 %"). Likewise at the AT_RISK bound
 * (AT_RISK_ATTAINMENT, 90 %): an OFF_TRACK 89.7 % prints "89,7 %", never "90 %".
 */
export function formatAttainment(attainment: number | null, status: KpiStatus, locale: FormatLocale): string {
  if (attainment === null || !Number.isFinite(attainment)) return NO_VALUE;
  const bound = status === 'AT_RISK' ? ON_TRACK_ATTAINMENT : status === 'OFF_TRACK' ? AT_RISK_ATTAINMENT : null;
  if (bound === null || attainment >= bound) return formatPercent(attainment, locale);
  const crosses = (digits: number): boolean => Number((attainment * 100).toFixed(digits)) >= bound * 100;
  if (!crosses(0)) return formatPercent(attainment, locale);
  if (!crosses(1)) return formatPercent(attainment, locale, 1);
  return formatPercent(Math.floor(attainment * 1000) / 1000, locale, 1);
}

/** Sign of a change as it should read: `+`, `−`, or nothing when it rounds to zero. */
function signed(magnitude: string, negative: boolean, isZero: boolean): string {
  if (isZero) return magnitude;
  return `${negative ? MINUS : '+'}${magnitude}`;
}

/**
 * Formats a change: "+0,4 pt" for PERCENT KPIs (percentage points, never % of a %),
 * "−3,1 %" otherwise. Null → "—".
 */
export function formatKpiChange(change: KpiChange | null, locale: FormatLocale): string {
  if (change === null) return NO_VALUE;
  if (change.kind === 'POINTS') {
    const points = change.points ?? change.absolute * 100;
    const magnitude = numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(points));
    return `${signed(magnitude, points < 0, Math.abs(points) < 0.05)}${NBSP}pt`;
  }
  if (change.percent === null) return NO_VALUE;
  const magnitude = percentSign(
    numberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(change.percent)),
  );
  return signed(magnitude, change.percent < 0, Math.abs(change.percent) < 0.0005);
}

/** Magnitude of a change without its sign, for sentences ("gagne 0,4 pt", "recule de 3,1 %"). */
export function formatKpiChangeMagnitude(change: KpiChange, locale: FormatLocale): string {
  if (change.kind === 'POINTS') {
    const points = change.points ?? change.absolute * 100;
    return `${numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(points))}${NBSP}pt`;
  }
  return percentSign(numberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(change.percent ?? 0)));
}

function utcDate(isoDay: string): Date {
  return new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
}

/** "octobre 2026" / "October 2026" from a `YYYY-MM-DD` or `YYYY-MM` string. */
export function formatMonth(isoMonthOrDay: string, locale: FormatLocale): string {
  const day = isoMonthOrDay.length === 7 ? `${isoMonthOrDay}-01` : isoMonthOrDay;
  return formatCalendarPeriod(periodContaining(day, 'MONTH'), languageOf(locale));
}

/** "septembre" / "September": month name alone, for "sur septembre". */
export function formatMonthName(isoMonthOrDay: string, locale: FormatLocale): string {
  const day = isoMonthOrDay.length === 7 ? `${isoMonthOrDay}-01` : isoMonthOrDay;
  return dateFormat(locale, { month: 'long', timeZone: 'UTC' }).format(utcDate(day));
}

/** "oct. 26" / "Oct 26" for chart axes. */
export function formatShortMonth(isoMonth: string, locale: FormatLocale): string {
  return dateFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(utcDate(`${isoMonth}-01`));
}

/**
 * A series point on a chart axis: "oct. 26" for a month (`YYYY-MM`), "S41" / "W41" for a week
 * (its Monday, `YYYY-MM-DD`). The ISO week number is how French and European teams name a
 * week ("le point S41"); 13 of them fit the axis where dates would not.
 */
export function formatSeriesAxisLabel(period: string, locale: FormatLocale): string {
  if (period.length === 7) return formatShortMonth(period, locale);
  return formatIsoWeekNumber(period, languageOf(locale));
}

/** A series point in a sentence: "octobre 2026", or "S38 (14 sept.)" for a week. */
export function formatSeriesPeriod(period: string, locale: FormatLocale): string {
  if (period.length === 7) return formatMonth(period, locale);
  const monday = dateFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(utcDate(period));
  return `${formatSeriesAxisLabel(period, locale)} (${monday})`;
}

/** "5 octobre 2026" for a calendar day. */
export function formatDay(isoDay: string, locale: FormatLocale): string {
  // American English puts the month first ("October 5, 2026"); the calendar's labels are European.
  if (locale === 'en-US') return dateFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(utcDate(isoDay));
  return formatCalendarPeriod(periodContaining(isoDay.slice(0, 10), 'DAY'), languageOf(locale));
}

/** "2 déc. 2026", "2 Dec 2026", "Dec 2, 2026" for a calendar day in a sentence. */
export function formatShortDay(isoDay: string, locale: FormatLocale): string {
  return dateFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(utcDate(isoDay));
}

/** An instant in the client's time zone: "2 novembre 2026". */
export function formatInstantDate(isoInstant: string, locale: FormatLocale, timeZone: string): string {
  return dateFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(new Date(isoInstant));
}

/** "octobre 2026", or "semaine du 5 au 11 octobre 2026" for a weekly report. */
export function formatPeriodLabel(period: ReportPeriod, locale: FormatLocale): string {
  if (period.label !== undefined && period.label.trim() !== '') return period.label;
  if (period.kind === 'MONTHLY') return formatMonth(period.start, locale);
  const start = formatDay(period.start, locale);
  const end = formatDay(period.end, locale);
  return languageOf(locale) === 'fr' ? `semaine du ${start} au ${end}` : `week of ${start} to ${end}`;
}

/** Upper-cases the first letter for titles ("Octobre 2026"), locale-aware. */
export function capitalizeFirst(text: string, locale: FormatLocale): string {
  return text.length === 0 ? text : text.charAt(0).toLocaleUpperCase(intlTag(locale)) + text.slice(1);
}
