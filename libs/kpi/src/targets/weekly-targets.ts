import type { KpiAggregation } from '../catalog/kpi-catalog';
import { addDays, daysInMonth, periodsBetween, type Period } from '../periods';

/** A plan's target for the month starting on `monthStart` (`YYYY-MM-01`), null when none is set. */
export type MonthlyTargetOf = (monthStart: string) => number | null;

/**
 * A FLOW target over any span of days, from the monthly targets: each month contributes its
 * target × (days of the span inside the month / days in the month), so the target is spread
 * evenly over the days of its month. A week from Monday 28 September to Sunday 4 October 2026
 * gets 3/30 of September's target plus 4/31 of October's. This is the same linear pacing
 * `assessAgainstTarget` applies inside a running month (target × elapsed days / days in month):
 * summing a month's weeks gives back the month's target, so weekly and monthly reports agree.
 * Null when a month the span touches has no target: half a target would read as a miss.
 */
export function proratedFlowTarget(span: Period, monthlyTarget: MonthlyTargetOf): number | null {
  let total = 0;
  for (const month of periodsBetween(span.start, span.end, 'MONTH')) {
    const target = monthlyTarget(month.start);
    if (target === null) return null;
    const first = span.start > month.start ? span.start : month.start;
    const last = span.end < month.end ? span.end : month.end;
    const days = Number(last.slice(8, 10)) - Number(first.slice(8, 10)) + 1;
    const monthDays = daysInMonth(Number(month.start.slice(0, 4)), Number(month.start.slice(5, 7)));
    total += (target * days) / monthDays;
  }
  return total;
}

/**
 * The target of an ISO week (Monday to Sunday).
 *
 * - FLOW KPIs (sessions, orders, revenue): the monthly target prorated by days, see
 *   `proratedFlowTarget`.
 * - LEVEL KPIs (rates, ratios, averages, stocks): the month's target as it is — a conversion
 *   rate of 2.1 % a month is 2.1 % every week. A week across two months takes the target of
 *   the month holding its Thursday, i.e. four of its seven days: the rule ISO 8601 uses to
 *   give a straddling week to a year.
 */
export function weeklyTarget(week: Period, aggregation: KpiAggregation, monthlyTarget: MonthlyTargetOf): number | null {
  if (aggregation === 'FLOW') return proratedFlowTarget(week, monthlyTarget);
  const thursday = addDays(week.start, 3);
  return monthlyTarget(`${thursday.slice(0, 7)}-01`);
}
