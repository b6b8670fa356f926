import { findKpi, intlLocale, type KpiUnit, type Locale } from '@pilotage/kpi';
import { formatKpiAxisValue, formatKpiValue, formatSeriesAxisLabel, type NumberFormatContext } from '../format/kpi-value.formatter';
import type { KpiSeriesPoint } from '../snapshot/report-snapshot';
import { CHART_GRID, CHART_INK, CHART_LAST_YEAR_BAR, CHART_LAST_YEAR_LINE, CHART_MUTED, luminance, tint } from './chart-palette';
import { renderFunnelChartSvg, type FunnelChartStep } from './funnel-chart-svg';
import { reportLabels } from '../i18n/report-labels';
import { describeTrendChart } from './trend-chart-alt-text';
import { trendChartLabels } from './trend-chart-labels';
import { renderTrendChartSvg, type TrendChartForm } from './trend-chart-svg';

export interface ChartTheme {
  readonly primaryColor: string;
  readonly accentColor: string;
  readonly fontFamily: string;
}

export interface KpiTrendChartInput {
  /** The catalog key: a system KPI's scale bounds come from the catalog. */
  readonly key: string;
  /** The KPI's name in the client's language, for the text alternative. */
  readonly name: string;
  readonly series: readonly KpiSeriesPoint[];
  readonly unit: KpiUnit;
}

export const TREND_CHART_SIZE = { width: 640, height: 150 } as const;

/**
 * Server-side SVG charts of a report, written directly as SVG strings: KPI trends (see
 * trend-chart-svg.ts) and the funnel (funnel-chart-svg.ts), in the agency's colours and font.
 */
export class ReportChartRenderer {
  private rendered = 0;

  constructor(
    private readonly theme: ChartTheme,
    private readonly context: NumberFormatContext,
  ) {}

  get chartCount(): number {
    return this.rendered;
  }

  /**
   * A KPI's trend chart and its text alternative. Volumes and amounts are bars from zero;
   * rates, ratios, durations and scores a line on a labelled axis (see TrendChartForm). A
   * catalog KPI with a bounded scale (a share, an NPS, a rating) gets an axis that stops there.
   */
  kpiTrend(input: KpiTrendChartInput): { readonly chartSvg: string; readonly chartAlt: string } {
    const unit = input.unit;
    const locale = this.context.locale;
    const lastPoint = input.series[input.series.length - 1];
    const legend = reportLabels(locale, lastPoint !== undefined && lastPoint.period.length > 7 ? 'WEEKLY' : 'MONTHLY').trendLegend;
    const form: TrendChartForm = unit === 'COUNT' || unit === 'CURRENCY' ? 'BARS' : 'LINE';
    const chartAlt = describeTrendChart(input, this.context);
    this.rendered += 1;
    const chartSvg = renderTrendChartSvg(
      input.series.map((point, index) => ({
        label: axisLabel(point.period, index, locale),
        value: point.value,
        target: point.target,
        lastYear: point.lastYear ?? null,
      })),
      {
        ...TREND_CHART_SIZE,
        form,
        bounds: findKpi(input.key)?.bounds ?? null,
        splitNumber: 3,
        barColor: tint(this.theme.primaryColor, 0.68),
        highlightColor: this.theme.primaryColor,
        lastYearColor: form === 'BARS' ? CHART_LAST_YEAR_BAR : CHART_LAST_YEAR_LINE,
        targetColor: this.theme.accentColor,
        gridColor: CHART_GRID,
        mutedColor: CHART_MUTED,
        inkColor: CHART_INK,
        fontFamily: this.fontStack(),
      },
      {
        title: chartAlt,
        span: legend.span,
        actual: legend.actual,
        lastYear: trendChartLabels(locale).lastYear,
        target: legend.target,
        valueLabel: lastPoint !== undefined && lastPoint.value !== null ? formatKpiValue(lastPoint.value, unit, this.context) : null,
        formatAxis: (value) => formatKpiAxisValue(value, unit, this.context),
      },
    );
    return { chartSvg, chartAlt };
  }

  /** The funnel, widths linear in the counts (see funnel-chart-svg.ts); `description` is its text alternative. */
  funnel(steps: readonly FunnelChartStep[], description: string, missingText: string): string {
    this.rendered += 1;
    const barColor = this.theme.primaryColor;
    return renderFunnelChartSvg(
      steps,
      {
        barColor,
        onBarColor: luminance(barColor) > 0.45 ? CHART_INK : '#ffffff',
        connectorColor: tint(barColor, 0.8),
        inkColor: CHART_INK,
        mutedColor: CHART_MUTED,
        fontFamily: this.fontStack(),
        missingText,
      },
      description,
    );
  }

  dispose(): void {
    // Nothing to release: no chart is drawn by ECharts any more, whose instances kept the event
    // loop alive until disposed. Kept so that callers' `finally` stays right if one comes back.
  }

  private fontStack(): string {
    return `'${this.theme.fontFamily}', 'DejaVu Sans', sans-serif`;
  }
}

const monthOnlyFormats = new Map<Locale, Intl.DateTimeFormat>();

/**
 * A period under its bar or point: 13 "oct. 25"-style labels touch each other on a card's
 * width, so the year is written only where it starts (the first month and January): "oct. 25,
 * nov., déc., janv. 26, févr." Weeks keep their number ("S41").
 */
function axisLabel(period: string, index: number, locale: Locale): string {
  if (period.length !== 7 || index === 0 || period.endsWith('-01')) return formatSeriesAxisLabel(period, locale);
  let format = monthOnlyFormats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(intlLocale(locale), { month: 'short', timeZone: 'UTC' });
    monthOnlyFormats.set(locale, format);
  }
  return format.format(new Date(`${period}-01T00:00:00Z`));
}
