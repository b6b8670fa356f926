import type { Locale } from '../domain';
import { formatPeriodLabel, intlLocale, isoWeekday, monthPeriod, utcMidnight } from '../periods';
import type { AlertFinding } from './alert-dedup-key';
import type { AnomalyFinding } from './detect-anomaly';
import type { NoDataFinding } from './detect-no-data';
import type { StatusFinding } from './status-alert';

export interface AlertMessageOptions {
  readonly locale: Locale;
  /** The KPI's name in that language. */
  readonly kpiName: string;
  /** Formats a value of the KPI in its unit ("1,2 %", "2,40 €"): the caller owns Intl and units. */
  readonly format: (value: number) => string;
}

const dayFormatters = new Map<Locale, Intl.DateTimeFormat>();
const weekdayFormatters = new Map<Locale, Intl.DateTimeFormat>();
const scoreFormatters = new Map<Locale, Intl.NumberFormat>();

/**
 * The sentence of an alert in the client's language, with the numbers that triggered it:
 * "Taux de conversion hors trajectoire : 1,2 % pour un objectif de 2,0 % à date (mars 2026)".
 */
export function alertMessage(finding: AlertFinding, options: AlertMessageOptions): string {
  switch (finding.rule) {
    case 'STATUS':
      return statusMessage(finding, options);
    case 'NO_DATA':
      return noDataMessage(finding, options);
    case 'ANOMALY':
      return anomalyMessage(finding, options);
  }
}

function statusMessage(finding: StatusFinding, { locale, kpiName, format }: AlertMessageOptions): string {
  const [year, month] = finding.month.split('-').map(Number);
  const monthLabel = formatPeriodLabel(monthPeriod(year, month), locale);
  const toDate = finding.elapsedFraction < 1;
  // Within the month the value is compared with the target paced to date (expected), after it with the target.
  const objective = format(toDate ? finding.expected : finding.target);
  if (locale === 'fr') {
    const state = finding.status === 'OFF_TRACK' ? 'hors trajectoire' : 'à risque';
    return `${kpiName} ${state} : ${format(finding.value)} pour un objectif de ${objective}${toDate ? ' à date' : ''} (${monthLabel})`;
  }
  const state = finding.status === 'OFF_TRACK' ? 'off track' : 'at risk';
  return `${kpiName} ${state}: ${format(finding.value)} against a target of ${objective}${toDate ? ' to date' : ''} (${monthLabel})`;
}

function noDataMessage(finding: NoDataFinding, { locale, kpiName }: AlertMessageOptions): string {
  const since = dayLabel(finding.expectedFrom, locale);
  const days = finding.missingDays;
  if (locale === 'fr') {
    return `${kpiName} : aucune donnée depuis le ${since} (${days} ${days > 1 ? 'jours' : 'jour'})`;
  }
  return `${kpiName}: no data since ${since} (${days} ${days > 1 ? 'days' : 'day'})`;
}

function anomalyMessage(finding: AnomalyFinding, { locale, kpiName, format }: AlertMessageOptions): string {
  const day = dayLabel(finding.date, locale);
  const weekday = weekdayLabel(finding.date, locale);
  const score = scoreFormatter(locale).format(finding.score);
  if (locale === 'fr') {
    return `${kpiName} inhabituel le ${day} : ${format(finding.value)} contre ${format(finding.median)} d'habitude le ${weekday} (score ${score})`;
  }
  return `${kpiName} unusual on ${day}: ${format(finding.value)} against a usual ${format(finding.median)} on ${weekday}s (score ${score})`;
}

/** "12 mars" / "12 March": the year is in the alert's date, the sentence stays short. */
function dayLabel(date: string, locale: Locale): string {
  let formatter = dayFormatters.get(locale);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'long', timeZone: 'UTC', calendar: 'gregory' });
    dayFormatters.set(locale, formatter);
  }
  return formatter.format(utcMidnight(date));
}

function weekdayLabel(date: string, locale: Locale): string {
  let formatter = weekdayFormatters.get(locale);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'long', timeZone: 'UTC' });
    weekdayFormatters.set(locale, formatter);
  }
  // 2024-01-01 was a Monday (ISO weekday 1): the label of any date is that of its weekday in that week.
  return formatter.format(new Date(Date.UTC(2024, 0, isoWeekday(date))));
}

/** The score with one decimal, signed when below the usual values: "6,1", "-4,2". */
function scoreFormatter(locale: Locale): Intl.NumberFormat {
  let formatter = scoreFormatters.get(locale);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    scoreFormatters.set(locale, formatter);
  }
  return formatter;
}
