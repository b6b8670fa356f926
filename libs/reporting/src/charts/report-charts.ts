import * as echarts from 'echarts';
import { findKpi, intlLocale, type FunnelStage, type KpiUnit, type Locale } from '@pilotage/kpi';
import { formatKpiAxisValue, formatKpiValue, formatPercent, formatSeriesAxisLabel, type NumberFormatContext } from '../format/kpi-value.formatter';
import type { KpiSeriesPoint } from '../snapshot/report-snapshot';
import { CHART_GRID, CHART_INK, CHART_LAST_YEAR_BAR, CHART_LAST_YEAR_LINE, CHART_MUTED, tint } from './chart-palette';
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

export interface FunnelChartStep {
  readonly stage: FunnelStage;
  readonly label: string;
  readonly value: number | null;
  readonly unit: KpiUnit;
  readonly conversionFromPrevious: number | null;
}

export const TREND_CHART_SIZE = { width: 640, height: 150 } as const;
export const FUNNEL_CHART_SIZE = { width: 640, height: 300 } as const;

type EChartsOption = echarts.EChartsOption;

/**
 * Server-side SVG charts: KPI trends written directly (see trend-chart-svg.ts), the funnel by
 * ECharts. One ECharts instance per size is reused for all the charts of a report: `init` +
 * `dispose` per chart doubles the cost (~10 ms against ~4.5 ms measured here), and an
 * instance left undisposed keeps the event loop alive, hence the explicit `dispose()` of this
 * object.
 */
export class ReportChartRenderer {
  private readonly instances = new Map<string, echarts.ECharts>();
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

  /**
   * A stylised funnel: widths decrease by rank, not by value, because stages are measured
   * in different units (sessions, orders, euros) and a proportional funnel would shrink the
   * last stages to slivers. The real numbers are in the labels.
   */
  funnel(steps: readonly FunnelChartStep[]): string {
    const { locale } = this.context;
    const count = steps.length;
    const option: EChartsOption = {
      animation: false,
      textStyle: { fontFamily: this.fontStack(), color: CHART_INK },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: 20,
          top: 10,
          bottom: 10,
          width: '52%',
          minSize: '28%',
          maxSize: '100%',
          gap: 4,
          label: { show: true, position: 'inside', color: '#ffffff', fontSize: 12, fontWeight: 'bold', formatter: '{b}' },
          labelLine: { show: false },
          itemStyle: { borderWidth: 0 },
          data: steps.map((step, index) => ({
            name: step.label,
            value: count - index,
            itemStyle: { color: tint(this.theme.primaryColor, (index / Math.max(count, 1)) * 0.55) },
          })),
        },
        {
          // Values and conversion rates in a right-hand column, aligned on the stages.
          type: 'funnel',
          sort: 'none',
          left: '62%',
          top: 10,
          bottom: 10,
          width: '36%',
          minSize: '100%',
          maxSize: '100%',
          gap: 4,
          silent: true,
          label: {
            show: true,
            position: 'inside',
            align: 'left',
            formatter: (params: { dataIndex: number }) => this.funnelLabel(steps[params.dataIndex], locale),
            rich: {
              value: { fontSize: 14, fontWeight: 'bold', color: CHART_INK, lineHeight: 18 },
              rate: { fontSize: 10, color: CHART_MUTED, lineHeight: 14 },
            },
          },
          itemStyle: { color: 'rgba(0,0,0,0)' },
          data: steps.map((step, index) => ({ name: step.label, value: count - index })),
        },
      ],
    };
    return this.render(option, FUNNEL_CHART_SIZE);
  }

  dispose(): void {
    for (const instance of this.instances.values()) instance.dispose();
    this.instances.clear();
  }

  private funnelLabel(step: FunnelChartStep | undefined, locale: Locale): string {
    if (step === undefined) return '';
    const value = `{value|${escapeRichText(formatKpiValue(step.value, step.unit, this.context))}}`;
    if (step.conversionFromPrevious === null) return value;
    const rate = formatPercent(step.conversionFromPrevious, locale, 1);
    return `${value}\n{rate|${locale === 'fr' ? 'passage' : 'conversion'} ${escapeRichText(rate)}}`;
  }

  private fontStack(): string {
    return `'${this.theme.fontFamily}', 'DejaVu Sans', sans-serif`;
  }

  private render(option: EChartsOption, size: { readonly width: number; readonly height: number }): string {
    const key = `${size.width}x${size.height}`;
    let instance = this.instances.get(key);
    if (instance === undefined) {
      instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
      this.instances.set(key, instance);
    }
    instance.setOption(option, { notMerge: true });
    this.rendered += 1;
    return instance.renderToSVGString();
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

/** Rich-text markup in ECharts labels uses `{name|text}`: braces and pipes in text would break it. */
function escapeRichText(text: string): string {
  return text.replace(/[{}|]/g, '');
}
