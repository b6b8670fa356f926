import * as echarts from 'echarts';
import type { FunnelStage, KpiUnit, Locale } from '@pilotage/kpi';
import { formatKpiAxisValue, formatKpiValue, formatPercent, formatSeriesAxisLabel, type NumberFormatContext } from '../format/kpi-value.formatter';
import type { KpiSeriesPoint } from '../snapshot/report-snapshot';
import { CHART_GRID, CHART_INK, CHART_MUTED, tint } from './chart-palette';

export interface ChartTheme {
  readonly primaryColor: string;
  readonly accentColor: string;
  readonly fontFamily: string;
}

export interface KpiTrendChartInput {
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

interface BarDataItem {
  readonly value: number;
  readonly itemStyle: { readonly color: string };
  readonly label: {
    readonly show: true;
    readonly position: 'top';
    readonly color: string;
    readonly fontWeight: 'bold';
    readonly fontSize: number;
    readonly formatter: string;
  };
}

/**
 * Server-side SVG charts. One ECharts instance per size is reused for all the charts of a
 * report: `init` + `dispose` per chart doubles the cost (~10 ms against ~4.5 ms measured
 * here), and an instance left undisposed keeps the event loop alive, hence the explicit
 * `dispose()` of this object.
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

  kpiTrend(input: KpiTrendChartInput): string {
    const { locale } = this.context;
    const months = input.series.map((point) => formatSeriesAxisLabel(point.period, locale));
    const lastIndex = input.series.length - 1;
    const hasTarget = input.series.some((point) => point.target !== null);
    const unit = input.unit;
    const lastPoint = input.series[lastIndex];
    const bars: (number | '-' | BarDataItem)[] = input.series.map((point) => point.value ?? '-');
    if (lastPoint !== undefined && lastPoint.value !== null) {
      // Only the reported month is an object (own colour, value label): per-item options
      // cost an ECharts model each, plain numbers do not.
      const value = lastPoint.value;
      bars[lastIndex] = {
        value,
        itemStyle: { color: this.theme.primaryColor },
        label: { show: true, position: 'top', color: CHART_INK, fontWeight: 'bold', fontSize: 11, formatter: escapeRichText(formatKpiValue(value, unit, this.context)) },
      };
    }
    const option: EChartsOption = {
      animation: false,
      textStyle: { fontFamily: this.fontStack(), color: CHART_MUTED, fontSize: 11 },
      // A fixed grid instead of `containLabel`: measuring the labels to fit them doubled the
      // cost of a chart (~4 ms of ~7 ms). 54 px holds the longest compact axis label ("400 k €").
      grid: { left: 54, right: 10, top: 18, bottom: 20 },
      xAxis: {
        type: 'category',
        data: months,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: CHART_GRID } },
        axisLabel: { color: CHART_MUTED, fontSize: 10, interval: 0 },
      },
      yAxis: {
        type: 'value',
        splitNumber: 3,
        scale: unit === 'PERCENT' || unit === 'RATIO' || unit === 'DURATION',
        axisLabel: { color: CHART_MUTED, fontSize: 10, formatter: (value: number) => formatKpiAxisValue(value, unit, this.context) },
        splitLine: { lineStyle: { color: CHART_GRID, type: 'dashed' } },
      },
      series: [
        {
          type: 'bar',
          barWidth: '56%',
          // ECharts draws no bar for '-': a missing month stays visibly empty, not 0.
          data: bars,
          itemStyle: { color: tint(this.theme.primaryColor, 0.68), borderRadius: [3, 3, 0, 0] },
        },
        ...(hasTarget
          ? [
              {
                type: 'line' as const,
                data: input.series.map((point) => point.target ?? '-'),
                symbol: 'none',
                connectNulls: true,
                lineStyle: { color: this.theme.accentColor, type: 'dashed' as const, width: 2 },
                z: 3,
              },
            ]
          : []),
      ],
    };
    return this.render(option, TREND_CHART_SIZE);
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

/** Rich-text markup in ECharts labels uses `{name|text}`: braces and pipes in text would break it. */
function escapeRichText(text: string): string {
  return text.replace(/[{}|]/g, '');
}
