import { daysBetween, weeklyTarget, type EvaluableKpi, type MonthlyTargetOf, type Period } from '@pilotage/kpi';

/*
 * The rules that hold a period's figure to its target, shared by the scorecards
 * (AnalyticsService) and the reports' channel figures.
 */

/**
 * The share of the period a volume is judged on: its days with data when some are missing among
 * the days before today (today's figures usually arrive tomorrow: a running month with data up
 * to yesterday is complete), otherwise the whole elapsed share (undefined).
 */
export function coveredFraction(value: { daysWithData: number; daysInPeriod: number }, period: Period, today: string): number | undefined {
  if (value.daysInPeriod === 0) return undefined;
  const daysDue = today > period.end ? value.daysInPeriod : Math.max(0, daysBetween(period.start, today));
  return value.daysWithData < daysDue ? value.daysWithData / value.daysInPeriod : undefined;
}

/**
 * A week's target. A rate over a stock base (churn: customers lost in seven days over the base
 * at the week's start) has none: a monthly churn target is not comparable with a week's churn,
 * and prorating it would pretend customers leave evenly through the month (and would not fit a
 * retention rate, which shrinks from 100 %). Such a KPI shows its week's value without a status;
 * its year to date, a monthly average, keeps the weighted monthly target.
 */
export function weekTarget(week: Period, kpi: Pick<EvaluableKpi, 'aggregation' | 'rollUp'>, monthlyTarget: MonthlyTargetOf): number | null {
  return kpi.rollUp === 'MONTHLY_AVERAGE' ? null : weeklyTarget(week, kpi.aggregation, monthlyTarget);
}
