import type { ReportChartRenderer } from '../charts/report-charts';
import { formatKpiValue, type NumberFormatContext } from '../format/kpi-value.formatter';
import { funnelLabels } from '../i18n/funnel-labels';
import type { ReportLabels } from '../i18n/report-labels';
import type { ReportFunnelStep, ReportKpi, ReportRevenueFigure, ReportSnapshot } from '../snapshot/report-snapshot';

export interface FunnelStepView {
  readonly stageLabel: string;
  readonly kpiName: string;
  readonly value: string;
  readonly conversion: string;
}

export interface FunnelView {
  readonly chartSvg: string;
  readonly intro: string;
  readonly steps: readonly FunnelStepView[];
  /** Which plan KPIs the rates are, partial and missing steps. */
  readonly notes: readonly string[];
  /** The one revenue figure, shown apart: money is not a stage. */
  readonly revenue: { readonly heading: string; readonly label: string; readonly value: string } | null;
}

/**
 * Snapshots made before the funnel was reworked (no `funnelCounts`) held five stages, money and
 * referral among them: they still render, with the money stage shown apart as the revenue figure
 * and the referral stage (not a subset of the stage above) left out.
 */
function countedSteps(snapshot: ReportSnapshot): readonly ReportFunnelStep[] {
  if (snapshot.funnelCounts !== undefined) return snapshot.funnel;
  return snapshot.funnel.filter((step) => step.stage !== 'REVENUE' && step.stage !== 'REFERRAL' && step.unit !== 'CURRENCY');
}

function revenueFigure(snapshot: ReportSnapshot, kpisByKey: ReadonlyMap<string, ReportKpi>): ReportRevenueFigure | null {
  if (snapshot.funnelRevenue !== undefined) return snapshot.funnelRevenue;
  const money = snapshot.funnel.find((step) => step.stage === 'REVENUE');
  if (money === undefined) return null;
  const kpi = money.kpiKey === null ? undefined : kpisByKey.get(money.kpiKey);
  return { kpiKey: money.kpiKey, label: kpi?.name ?? money.label ?? '', value: kpi?.value ?? money.value };
}

/** The funnel section: chart (with its text alternative), table, notes and the revenue figure apart; null without steps. */
export function buildFunnelView(
  snapshot: ReportSnapshot,
  labels: ReportLabels,
  context: NumberFormatContext,
  charts: ReportChartRenderer,
  periodLabel: string,
): FunnelView | null {
  const text = funnelLabels(context.locale);
  const kpisByKey = new Map(snapshot.kpis.map((kpi) => [kpi.key, kpi]));
  const steps = countedSteps(snapshot).map((step, index) => {
    const kpi = step.kpiKey === null ? undefined : kpisByKey.get(step.kpiKey);
    // Each rate is printed as the scorecard prints its KPI, so that the two read the same.
    const rate = index === 0 ? null : step.conversionFromPrevious;
    return {
      step,
      stageLabel: labels.stage[step.stage],
      name: kpi?.name ?? step.label ?? step.kpiKey ?? '',
      value: step.value === null ? text.missing : formatKpiValue(step.value, kpi?.unit ?? step.unit ?? 'COUNT', context),
      rate: rate === null ? null : formatKpiValue(rate, 'PERCENT', context),
    };
  });
  if (steps.length === 0) return null;

  const alt = steps
    .map(({ step, name, value, rate }) =>
      step.value === null ? text.stepAltMissing(name) : rate === null ? text.stepAlt(name, value) : text.stepAltWithRate(name, value, rate),
    )
    .join(text.stepSeparator);
  const chartSvg = charts.funnel(
    steps.map(({ step, name, value, rate }) => ({ label: name, value: step.value, valueText: value, rateText: rate })),
    text.chartAlt(periodLabel, alt),
    text.missing,
  );

  const notes: string[] = [];
  const rateKpis = steps
    .map(({ step }) => (step.rateKpiKey === undefined || step.rateKpiKey === null ? undefined : kpisByKey.get(step.rateKpiKey)))
    .filter((kpi): kpi is ReportKpi => kpi !== undefined);
  if (rateKpis.length > 0) notes.push(text.ratesArePlanKpis(rateKpis.map((kpi) => kpi.name).join(', ')));
  const partial = steps.filter(
    ({ step }) => step.value !== null && step.daysWithData !== undefined && step.daysInPeriod !== undefined && step.daysWithData < step.daysInPeriod,
  );
  for (const { step, name } of partial) notes.push(text.partialStep(name, step.daysWithData ?? 0, step.daysInPeriod ?? 0));
  if (partial.length > 0 && steps.some(({ rate }) => rate !== null)) notes.push(text.partialRates);
  for (const { step, name } of steps) if (step.value === null) notes.push(text.missingStep(name));

  const revenue = revenueFigure(snapshot, kpisByKey);
  return {
    chartSvg,
    // An older snapshot does not say what its stages count: the general introduction.
    intro: snapshot.funnelCounts === undefined ? labels.funnelIntro : text.intro[snapshot.funnelCounts],
    steps: steps.map(({ stageLabel, name, value, rate }) => ({ stageLabel, kpiName: name, value, conversion: rate ?? '' })),
    notes,
    revenue: revenue === null ? null : { heading: text.revenueApart, label: revenue.label, value: formatKpiValue(revenue.value, 'CURRENCY', context) },
  };
}
