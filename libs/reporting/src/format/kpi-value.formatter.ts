import { formatIsoWeekNumber, formatPeriodLabel as formatCalendarPeriod, intlLocale, periodContaining, type KpiUnit, type Locale } from '@pilotage/kpi';
import type { KpiChange, ReportPeriod } from '../snapshot/report-snapshot';

/** Shown instead of a number when there is no value: never 0, which would be a lie. */
export const NO_VALUE = '—';

const MINUS = '\u2212';
const NBSP = '\u00a0';

export interface NumberFormatContext {
  readonly locale: Locale;
  readonly currency: string;
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
function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const cacheKey = `${locale}|${optionsKey(options)}`;
  let format = numberFormats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.NumberFormat(intlLocale(locale), options);
    numberFormats.set(cacheKey, format);
  }
  return format;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const cacheKey = `${locale}|${optionsKey(options)}`;
  let format = dateFormats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(intlLocale(locale), options);
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
      return withMinus(numberFormat(context.locale, { maximumFractionDigits: 0 }).format(value));
    case 'CURRENCY': {
      const digits = currencyDigits(value);
      return withMinus(
        numberFormat(context.locale, {
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
      return percentSign(withMinus(numberFormat(context.locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)));
    case 'RATIO':
      return `${withMinus(numberFormat(context.locale, { minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(value))}×`;
    case 'DURATION':
      return formatDuration(value);
    case 'SCORE':
      return withMinus(numberFormat(context.locale, { maximumFractionDigits: 1 }).format(value));
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
      return withMinus(numberFormat(context.locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value));
    case 'CURRENCY':
      return withMinus(
        numberFormat(context.locale, {
          style: 'currency',
          currency: context.currency,
          currencyDisplay: 'narrowSymbol',
          notation: 'compact',
          maximumFractionDigits: Math.abs(value) < 100 ? 2 : 1,
        }).format(value),
      );
    case 'PERCENT':
      return percentSign(withMinus(numberFormat(context.locale, { style: 'percent', maximumFractionDigits: 1 }).format(value)));
    case 'RATIO':
      return `${withMinus(numberFormat(context.locale, { maximumFractionDigits: 1 }).format(value))}×`;
    case 'DURATION': {
      const seconds = Math.round(value);
      return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    }
  }
}

/** A fraction as a percentage: 0.925 → "92,5 %" (attainment, conversion between stages). */
export function formatPercent(value: number | null, locale: Locale, fractionDigits = 0): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  return percentSign(
    withMinus(numberFormat(locale, { style: 'percent', minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value)),
  );
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
export function formatKpiChange(change: KpiChange | null, locale: Locale): string {
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
export function formatKpiChangeMagnitude(change: KpiChange, locale: Locale): string {
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
export function formatMonth(isoMonthOrDay: string, locale: Locale): string {
  const day = isoMonthOrDay.length === 7 ? `${isoMonthOrDay}-01` : isoMonthOrDay;
  return formatCalendarPeriod(periodContaining(day, 'MONTH'), locale);
}

/** "septembre" / "September": month name alone, for "sur septembre". */
export function formatMonthName(isoMonthOrDay: string, locale: Locale): string {
  const day = isoMonthOrDay.length === 7 ? `${isoMonthOrDay}-01` : isoMonthOrDay;
  return dateFormat(locale, { month: 'long', timeZone: 'UTC' }).format(utcDate(day));
}

/** "oct. 26" / "Oct 26" for chart axes. */
export function formatShortMonth(isoMonth: string, locale: Locale): string {
  return dateFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(utcDate(`${isoMonth}-01`));
}

/**
 * A series point on a chart axis: "oct. 26" for a month (`YYYY-MM`), "S41" / "W41" for a week
 * (its Monday, `YYYY-MM-DD`). The ISO week number is how French and European teams name a
 * week ("le point S41"); 13 of them fit the axis where dates would not.
 */
export function formatSeriesAxisLabel(period: string, locale: Locale): string {
  if (period.length === 7) return formatShortMonth(period, locale);
  return formatIsoWeekNumber(period, locale);
}

/** A series point in a sentence: "octobre 2026", or "S38 (14 sept.)" for a week. */
export function formatSeriesPeriod(period: string, locale: Locale): string {
  if (period.length === 7) return formatMonth(period, locale);
  const monday = dateFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(utcDate(period));
  return `${formatSeriesAxisLabel(period, locale)} (${monday})`;
}

/** "5 octobre 2026" for a calendar day. */
export function formatDay(isoDay: string, locale: Locale): string {
  return formatCalendarPeriod(periodContaining(isoDay.slice(0, 10), 'DAY'), locale);
}

/** An instant in the client's time zone: "2 novembre 2026". */
export function formatInstantDate(isoInstant: string, locale: Locale, timeZone: string): string {
  return dateFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(new Date(isoInstant));
}

/** "octobre 2026", or "semaine du 5 au 11 octobre 2026" for a weekly report. */
export function formatPeriodLabel(period: ReportPeriod, locale: Locale): string {
  if (period.label !== undefined && period.label.trim() !== '') return period.label;
  if (period.kind === 'MONTHLY') return formatMonth(period.start, locale);
  const start = formatDay(period.start, locale);
  const end = formatDay(period.end, locale);
  return locale === 'fr' ? `semaine du ${start} au ${end}` : `week of ${start} to ${end}`;
}

/** Upper-cases the first letter for titles ("Octobre 2026"), locale-aware. */
export function capitalizeFirst(text: string, locale: Locale): string {
  return text.length === 0 ? text : text.charAt(0).toLocaleUpperCase(intlLocale(locale)) + text.slice(1);
}
