import type { KpiUnit } from '@pilotage/kpi';
import { formatKpiAxisValue, formatKpiValue, formatSeriesAxisLabel, type NumberFormatContext } from '../format/kpi-value.formatter';
import type { KpiSeriesPoint } from '../snapshot/report-snapshot';
import { CHART_GRID, CHART_INK, CHART_MUTED, luminance, tint } from './chart-palette';
import { renderFunnelChartSvg, type FunnelChartStep } from './funnel-chart-svg';
import { renderTrendChartSvg } from './trend-chart-svg';

export interface ChartTheme {
  readonly primaryColor: string;
  readonly accentColor: string;
  readonly fontFamily: string;
}

export interface KpiTrendChartInput {
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

  kpiTrend(input: KpiTrendChartInput): string {
    const { locale } = this.context;
    const unit = input.unit;
    const lastPoint = input.series[input.series.length - 1];
    this.rendered += 1;
    return renderTrendChartSvg(
      input.series.map((point) => ({ label: formatSeriesAxisLabel(point.period, locale), value: point.value, target: point.target })),
      {
        ...TREND_CHART_SIZE,
        // A fixed grid: 54 px holds the longest compact axis label ("400 k €").
        grid: { left: 54, right: 10, top: 18, bottom: 20 },
        // Rates, ratios and durations are read around their level, not from 0.
        scale: unit === 'PERCENT' || unit === 'RATIO' || unit === 'DURATION',
        splitNumber: 3,
        barColor: tint(this.theme.primaryColor, 0.68),
        highlightColor: this.theme.primaryColor,
        targetColor: this.theme.accentColor,
        gridColor: CHART_GRID,
        mutedColor: CHART_MUTED,
        inkColor: CHART_INK,
        fontFamily: this.fontStack(),
      },
      (value) => formatKpiAxisValue(value, unit, this.context),
      lastPoint !== undefined && lastPoint.value !== null ? formatKpiValue(lastPoint.value, unit, this.context) : null,
    );
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
