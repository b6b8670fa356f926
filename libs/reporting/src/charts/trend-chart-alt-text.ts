import { intlLocale, type KpiUnit } from '@pilotage/kpi';
import { formatKpiValue, formatSeriesPeriod, type NumberFormatContext } from '../format/kpi-value.formatter';
import type { KpiSeriesPoint } from '../snapshot/report-snapshot';
import { trendChartLabels } from './trend-chart-labels';

export interface TrendChartDescription {
  readonly name: string;
  readonly unit: KpiUnit;
  readonly series: readonly KpiSeriesPoint[];
}

const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** "déc. 2025" / "Dec 2025" for a month, "S41 (5 oct.)" for a week: a period read aloud. */
function periodName(period: string, context: NumberFormatContext): string {
  if (period.length !== 7) return formatSeriesPeriod(period, context.locale);
  let format = monthFormats.get(context.locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(intlLocale(context.locale), { month: 'short', year: 'numeric', timeZone: 'UTC' });
    monthFormats.set(context.locale, format);
  }
  return format.format(new Date(`${period}-01T00:00:00Z`));
}

/**
 * The text alternative of a trend chart, from its data, in the client's language: what a reader
 * who cannot see the chart needs from it — the span, where the KPI started and ended, the
 * target and last year's value for the reported period, the periods without data.
 * "Taux de conversion, déc. 2025 à nov. 2026 : de 1,8 % à 2,0 %, objectif 2,1 % ; l’an dernier 1,7 %"
 */
export function describeTrendChart(chart: TrendChartDescription, context: NumberFormatContext): string {
  const labels = trendChartLabels(context.locale);
  const { series, unit } = chart;
  const first = series[0];
  const last = series[series.length - 1];
  if (first === undefined || last === undefined) return chart.name;
  const format = (value: number): string => formatKpiValue(value, unit, context);
  const range = labels.range(periodName(first.period, context), periodName(last.period, context));

  const clauses: string[] = [];
  let figures: string;
  if (last.value === null) {
    figures = labels.noDataFor(periodName(last.period, context));
  } else {
    const start = series.find((point) => point.value !== null);
    const startValue = start?.value ?? null;
    if (start === undefined || start === last || startValue === null) figures = format(last.value);
    else {
      const from = start === first ? format(startValue) : `${format(startValue)} (${periodName(start.period, context)})`;
      figures = labels.fromTo(from, format(last.value));
    }
  }
  if (last.target !== null) figures += `, ${labels.targetOf(format(last.target))}`;
  clauses.push(figures);
  // Over 13 months the first point is already last year's month: said once, as "de X".
  const lastYear = last.lastYear ?? null;
  if (lastYear !== null && !(first.value !== null && format(first.value) === format(lastYear))) clauses.push(labels.lastYearOf(format(lastYear)));
  // A peak or a trough between the ends, which "from X to Y" would hide.
  const known = series.filter((point): point is KpiSeriesPoint & { value: number } => point.value !== null);
  const ends = [known[0], known[known.length - 1]];
  const extremes = [
    {
      point: known.reduce<(typeof known)[number] | undefined>((top, point) => (top === undefined || point.value > top.value ? point : top), undefined),
      say: labels.highest,
    },
    {
      point: known.reduce<(typeof known)[number] | undefined>((low, point) => (low === undefined || point.value < low.value ? point : low), undefined),
      say: labels.lowest,
    },
  ];
  for (const { point, say } of extremes) {
    if (point !== undefined && !ends.includes(point) && known.length > 2) clauses.push(say(format(point.value), periodName(point.period, context)));
  }
  const missing = series.slice(0, -1).filter((point) => point.value === null);
  if (missing.length > 0) clauses.push(labels.missing(missing.map((point) => periodName(point.period, context)).join(', ')));
  return `${chart.name}, ${range}${labels.colon}${clauses.join(labels.clauseSeparator)}`;
}
