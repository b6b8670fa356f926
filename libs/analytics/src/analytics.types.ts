import type {
  Change,
  FunnelCount,
  FunnelStage,
  FunnelStepValue,
  KpiDirection,
  KpiRollUp,
  KpiUnit,
  ObjectiveKey,
  TargetExplanationCode,
  TargetStatus,
} from '@pilotage/kpi';

/** OK: data for every day; PARTIAL: some days missing; NO_DATA: nothing to compute from. */
export type KpiValueState = 'OK' | 'PARTIAL' | 'NO_DATA';

/** A KPI value over one period of a series. */
export interface KpiPoint {
  /** First day of the period (YYYY-MM-DD, client time zone). */
  readonly start: string;
  /** Last day of the period (included). */
  readonly end: string;
  /** null when there is no data (missing is not zero). */
  readonly value: number | null;
  readonly target: number | null;
  /** Share of the period's days covered by data (0–1). */
  readonly coverage: number;
  readonly state: KpiValueState;
  /**
   * How the value combines its months, on points longer than a month (QUARTER, YEAR grains):
   * MONTHLY_AVERAGE for a rate over a stock base (churn); null on a month or shorter.
   */
  readonly rollUp?: KpiRollUp | null;
}

/** A point of a scorecard's series, with the same period last year drawn beside it. */
export interface ScorecardPoint extends KpiPoint {
  /** The KPI over the same period last year (same month, or same ISO week); null without data. */
  readonly lastYear: number | null;
}

/** A KPI over consecutive periods. */
export interface KpiSeries {
  readonly kpiKey: string;
  readonly name: string;
  readonly unit: KpiUnit;
  readonly points: readonly KpiPoint[];
}

/** The value of a comparison period and the change from it (null when either side has no data). */
export interface KpiComparison {
  readonly value: number | null;
  readonly change: Change | null;
}

export interface KpiYearToDate {
  readonly value: number | null;
  /**
   * The months' targets combined as the value is (KpiEvaluator.periodTarget): summed for flows,
   * the current month's for stocks, weighted by each month's base for ratios and monthly averages.
   */
  readonly target: number | null;
  readonly lastYear: KpiComparison;
  /** How the value combines the months: MONTHLY_AVERAGE says it is a monthly rate, not a cumulative one. */
  readonly rollUp: KpiRollUp;
}

/** Days of the period on which an input of a KPI has no data. */
export interface KpiInputGap {
  readonly metricKey: string;
  /** The metric's name in the scorecard's language. */
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/** One KPI of the active plan over one period (a month or an ISO week). */
export interface ScorecardRow {
  readonly kpiKey: string;
  readonly name: string;
  readonly stage: FunnelStage;
  readonly objectiveKey: ObjectiveKey;
  readonly unit: KpiUnit;
  readonly direction: KpiDirection;
  readonly value: number | null;
  readonly state: KpiValueState;
  readonly coverage: number;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
  readonly target: number | null;
  readonly expected: number | null;
  readonly attainment: number | null;
  readonly status: TargetStatus;
  readonly explanation: { readonly code: TargetExplanationCode; readonly params: Readonly<Record<string, number>> };
  /** Previous period (month, or week for a weekly scorecard). */
  readonly mom: KpiComparison;
  /** Same period last year. */
  readonly yoy: KpiComparison;
  readonly ytd: KpiYearToDate;
  readonly series: readonly ScorecardPoint[];
  /** Days of the period (up to today) on which a flow the KPI needs has no data, when known. */
  readonly gaps: readonly KpiInputGap[];
  /** A volume lacks days it should have: judged against its target prorated to its covered days. */
  readonly incomplete: boolean;
}

/** Every KPI of a client's active plan over one month or one ISO week. */
export interface Scorecard {
  readonly clientId: string;
  readonly start: string;
  readonly end: string;
  /** Version of the plan the scorecard follows; null without an active plan. */
  readonly planVersion: number | null;
  readonly rows: readonly ScorecardRow[];
}

/** One step of a funnel: its count over the period and the share of the step above that reached it (see libs/kpi's computeFunnel). */
export type FunnelStageValue = FunnelStepValue;

/** The one revenue figure shown next to a funnel: the plan's revenue KPI, or else the revenue metric. */
export interface FunnelRevenue {
  /** The plan's revenue KPI (its scorecard value), or null when the plan has none. */
  readonly kpiKey: string | null;
  /** The revenue metric shown instead when the plan has no revenue KPI. */
  readonly metricKey: string | null;
  readonly value: number | null;
}

export interface Funnel {
  readonly clientId: string;
  readonly start: string;
  readonly end: string;
  /** What every stage counts: PEOPLE or EVENTS. */
  readonly counts: FunnelCount;
  readonly stages: readonly FunnelStageValue[];
  readonly revenue: FunnelRevenue;
}
