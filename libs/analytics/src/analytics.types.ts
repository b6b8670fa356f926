import type {
  BreakdownDimension,
  Change,
  FunnelCount,
  FunnelStage,
  FunnelStepValue,
  KpiDirection,
  KpiRollUp,
  KpiUnit,
  ObjectiveKey,
  StaleSource,
  TargetExplanationCode,
  TargetStatus,
} from '@pilotage/kpi';

/**
 * Whether a value stands on figures a connection stopped bringing before the period's end (see
 * libs/kpi staleSourcesOf): `staleSources` names those connections, `stale` says there is one.
 */
export interface Freshness {
  readonly stale: boolean;
  readonly staleSources: readonly StaleSource[];
}

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

/**
 * How a breakdown was read: its dimension, the main volume its groups are ranked by, and how
 * many groups there were in all and were folded into "others" (beyond MAX_BREAKDOWN_GROUPS).
 */
export interface BreakdownInfo {
  readonly dimension: BreakdownDimension;
  /** The metric the groups are ranked by (the first of MAIN_VOLUME_METRICS read), largest first. */
  readonly rankedBy: string | null;
  /** Groups with data in the read range, folded ones included. */
  readonly groupCount: number;
  /** Groups read together as "others" (key null) because of the cap. */
  readonly foldedGroups: number;
}

/** Why a KPI has no per-group values: BLENDED, it reads a metric no channel owns (see kpiBreakdownSupport). */
export type BreakdownTotalOnlyReason = 'BLENDED';

/** What identifies a group: its key (the channel, source or campaign; null for "others") and its label in the request's language. */
export interface BreakdownGroupKey {
  /** Channel (e.g. PAID_SEARCH), source, or campaign ('' for values without a campaign); null for the folded "others". */
  readonly key: string | null;
  readonly label: string;
}

/** One group's value of a KPI over the period, and over the previous one. */
export interface KpiGroupValue extends BreakdownGroupKey {
  readonly value: number | null;
  readonly state: KpiValueState;
  readonly coverage: number;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
  /** The previous period (month, or week) and the change from it. */
  readonly previous: KpiComparison;
  /** The group's share of the total's value, for volumes (KPIs that add up: SUM roll-up); null otherwise. */
  readonly share: number | null;
}

/** A scorecard row's values per group, or why it has none (totalOnly). */
export interface KpiBreakdown {
  readonly totalOnly: boolean;
  readonly reason: BreakdownTotalOnlyReason | null;
  /** In the breakdown's order (the main volume, largest first; "others" last); empty when totalOnly. */
  readonly groups: readonly KpiGroupValue[];
}

/** One group's series of a KPI. */
export interface KpiSeriesGroup extends BreakdownGroupKey {
  readonly points: readonly KpiPoint[];
}

/** A KPI over consecutive periods; stale when the last period's value stands on a connection that stopped syncing. */
export interface KpiSeries extends Freshness {
  readonly kpiKey: string;
  readonly name: string;
  readonly unit: KpiUnit;
  readonly points: readonly KpiPoint[];
  /** With a breakdown: a series per group (no targets: they are set on the total), or totalOnly. */
  readonly breakdown?: KpiSeriesBreakdown | null;
}

export interface KpiSeriesBreakdown {
  readonly info: BreakdownInfo;
  readonly totalOnly: boolean;
  readonly reason: BreakdownTotalOnlyReason | null;
  readonly groups: readonly KpiSeriesGroup[];
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

/** One KPI of the active plan over one period (a month or an ISO week); stale when its value stands on a connection that stopped syncing. */
export interface ScorecardRow extends Freshness {
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
  /** With a breakdown: the KPI per group; absent without one. */
  readonly breakdown?: KpiBreakdown;
}

/** Every KPI of a client's active plan over one month or one ISO week. */
export interface Scorecard {
  readonly clientId: string;
  readonly start: string;
  readonly end: string;
  /** Version of the plan the scorecard follows; null without an active plan. */
  readonly planVersion: number | null;
  readonly rows: readonly ScorecardRow[];
  /** With a breakdown: how its groups were read; null without one. */
  readonly breakdown?: BreakdownInfo | null;
}

/**
 * One step of a funnel: its count over the period and the share of the step above that reached
 * it (see libs/kpi's computeFunnel); stale when the count or the rate stands on a connection that
 * stopped syncing.
 */
export interface FunnelStageValue extends FunnelStepValue, Freshness {}

/** The one revenue figure shown next to a funnel: the plan's revenue KPI, or else the revenue metric. */
export interface FunnelRevenue extends Freshness {
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
  /** With a breakdown: the stages per group; null without one. */
  readonly breakdown?: FunnelBreakdown | null;
}

/** One group's funnel: a step whose metric no channel owns has no value here (see kpiBreakdownSupport). */
export interface FunnelGroup extends BreakdownGroupKey {
  readonly stages: readonly FunnelStageValue[];
  /** The revenue figure of the group, when its source breaks down; null otherwise. */
  readonly revenue: number | null;
}

export interface FunnelBreakdown {
  readonly info: BreakdownInfo;
  readonly groups: readonly FunnelGroup[];
}
