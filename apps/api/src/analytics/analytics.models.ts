import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { BreakdownDimension, Channel, FunnelStage, KpiDirection, KpiUnit, ObjectiveKey } from '@pilotage/kpi';
import { BreakdownDimensionEnum, ChannelEnum } from '../common/kpi-enums';

export enum KpiValueState {
  OK = 'OK',
  PARTIAL = 'PARTIAL',
  NO_DATA = 'NO_DATA',
}
registerEnumType(KpiValueState, {
  name: 'KpiValueState',
  description: 'OK: data for every day; PARTIAL: some days missing; NO_DATA: nothing to compute from.',
});

export enum TargetStatus {
  ON_TRACK = 'ON_TRACK',
  AT_RISK = 'AT_RISK',
  OFF_TRACK = 'OFF_TRACK',
  NO_DATA = 'NO_DATA',
  NO_TARGET = 'NO_TARGET',
}
registerEnumType(TargetStatus, { name: 'TargetStatus', description: 'Where a KPI stands against its target, direction-aware.' });

export enum ChangeKind {
  POINTS = 'POINTS',
  PERCENT = 'PERCENT',
}
registerEnumType(ChangeKind, {
  name: 'ChangeKind',
  description: 'Rates (PERCENT) change in percentage points, scores (SCORE: NPS, ratings) in points; other values in percent.',
});

export enum KpiRollUp {
  SUM = 'SUM',
  PERIOD_END = 'PERIOD_END',
  RATIO_OF_SUMS = 'RATIO_OF_SUMS',
  MONTHLY_AVERAGE = 'MONTHLY_AVERAGE',
}
registerEnumType(KpiRollUp, {
  name: 'KpiRollUp',
  description:
    'How a KPI over several months combines them. SUM: flows add up; PERIOD_END: stocks at the period’s end; RATIO_OF_SUMS: ' +
    'a ratio of the period’s sums; MONTHLY_AVERAGE: a rate over a stock base (churn, retention, NRR), Σ monthly numerators / Σ monthly ' +
    'bases, i.e. a customer-month weighted monthly rate, comparable with a monthly target (print it as a monthly average).',
});

export enum StaleSourceStatus {
  NEEDS_REAUTHORIZATION = 'NEEDS_REAUTHORIZATION',
  FAILING = 'FAILING',
}
registerEnumType(StaleSourceStatus, {
  name: 'StaleSourceStatus',
  description:
    'Why a connection no longer brings figures. NEEDS_REAUTHORIZATION: the platform refused its tokens (revoked, expired, password changed): ' +
    'someone must open a new connect link. FAILING: its last sync failed for another reason (an outage, a quota); it is retried on schedule.',
});

@ObjectType({ description: 'A connection to a platform account that stopped syncing before the end of the period a value covers.' })
export class StaleSource {
  @Field({ description: 'The platform: GA4, GOOGLE_ADS, META_ADS or SEARCH_CONSOLE.' })
  platform!: string;

  @Field({ description: 'The account’s name on the platform, or its id when the platform gave none.' })
  accountName!: string;

  @Field({ description: 'The source its values are written under (e.g. "GOOGLE_ADS 1234567890"), as breakdowns by source show it.' })
  source!: string;

  @Field(() => StaleSourceStatus, { description: 'Why it no longer syncs.' })
  status!: StaleSourceStatus;

  @Field(() => String, { nullable: true, description: 'The last error, in words for the agency; null when none was recorded.' })
  reason!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Last day its figures were pulled for (YYYY-MM-DD, included): the days after it lack its values. Null when none ever were.',
  })
  dataThrough!: string | null;
}

const STALE_DESCRIPTION =
  'The value stands on figures a connection stopped bringing before the period’s end (needs reauthorization, or failing): ' +
  'it lacks the days since, and may change once the connection syncs again.';
const STALE_SOURCES_DESCRIPTION = 'The connections that stopped syncing this value depends on (through its formula’s metrics); empty when it is fresh.';

@ObjectType({ description: 'A KPI value over one period of a series.' })
export class KpiPoint {
  @Field({ description: 'First day of the period (YYYY-MM-DD, client time zone).' })
  start!: string;

  @Field({ description: 'Last day of the period (included).' })
  end!: string;

  @Field(() => Float, { nullable: true, description: 'The value; null when there is no data (never 0 for missing).' })
  value!: number | null;

  @Field(() => Float, { nullable: true, description: 'The plan’s target for the period, when it has one.' })
  target!: number | null;

  @Field(() => Float, { description: 'Share of the period’s days covered by data (0–1).' })
  coverage!: number;

  @Field(() => KpiValueState, { description: 'Whether the value is complete, partial or missing.' })
  state!: KpiValueState;

  @Field(() => KpiRollUp, {
    nullable: true,
    description: 'How the value combines its months, on QUARTER and YEAR points (MONTHLY_AVERAGE: a monthly rate); null on a month or shorter.',
  })
  rollUp!: KpiRollUp | null;
}

@ObjectType({ description: 'A point of a scorecard’s series, with the same period last year to draw beside it.' })
export class ScorecardPoint extends KpiPoint {
  @Field(() => Float, { nullable: true, description: 'The KPI over the same period last year (same month, or same ISO week); null without data.' })
  lastYear!: number | null;
}

@ObjectType({ description: 'A KPI over consecutive periods.' })
export class KpiSeries {
  @Field({ description: 'KPI key.' })
  kpiKey!: string;

  @Field({ description: 'KPI name in the requested language.' })
  name!: string;

  @Field(() => String, { description: 'Unit of the values (PERCENT values are fractions).' })
  unit!: KpiUnit;

  @Field(() => [KpiPoint], { description: 'One point per period, oldest first.' })
  points!: KpiPoint[];

  @Field({ description: `${STALE_DESCRIPTION} Judged on the last period of the series (the first to lack the days).` })
  stale!: boolean;

  @Field(() => [StaleSource], { description: STALE_SOURCES_DESCRIPTION })
  staleSources!: StaleSource[];

  @Field(() => KpiSeriesBreakdown, { nullable: true, description: 'With `breakdown`: the series per group; null without one.' })
  breakdown!: KpiSeriesBreakdown | null;
}

@ObjectType({ description: 'A change between two values.' })
export class KpiChange {
  @Field(() => ChangeKind, { description: 'POINTS for rates and scores, PERCENT otherwise.' })
  kind!: ChangeKind;

  @Field(() => Float, { description: 'Current minus previous value.' })
  absolute!: number;

  @Field(() => Float, { nullable: true, description: 'Relative change in percent; null when the previous value is 0.' })
  percent!: number | null;

  @Field(() => Float, { nullable: true, description: 'Change in points: percentage points for rates, score points for scores (NPS 37 → 41.9: 4.9).' })
  points!: number | null;
}

@ObjectType({ description: 'The value of a comparison period and the change from it.' })
export class KpiComparison {
  @Field(() => Float, { nullable: true, description: 'Value over the comparison period.' })
  value!: number | null;

  @Field(() => KpiChange, { nullable: true, description: 'Change from that value; null when either side has no data.' })
  change!: KpiChange | null;
}

export enum BreakdownTotalOnlyReason {
  BLENDED = 'BLENDED',
}
registerEnumType(BreakdownTotalOnlyReason, {
  name: 'BreakdownTotalOnlyReason',
  description:
    'Why a KPI is not broken down. BLENDED: it reads a metric no channel owns (the whole marketing cost, a stock such as customers or MRR, ' +
    'satisfaction…): a “CAC of paid search” over the whole marketing cost would be wrong, so it is computed for the total only.',
});

@ObjectType({ description: 'How a breakdown was read: its groups, how they are ranked and how many were folded into “others”.' })
export class BreakdownInfo {
  @Field(() => BreakdownDimensionEnum, { description: 'What the groups are.' })
  dimension!: BreakdownDimension;

  @Field(() => String, {
    nullable: true,
    description: 'The metric the groups are ranked by over the period, largest first (sessions where read, else the platforms’ volumes); null without data.',
  })
  rankedBy!: string | null;

  @Field(() => Int, { description: 'Groups with data, folded ones included.' })
  groupCount!: number;

  @Field(() => Int, { description: 'Groups beyond the cap, read together as one group whose key is null (“others”); 0 when all are shown.' })
  foldedGroups!: number;
}

@ObjectType({ description: 'One group of a breakdown (a channel, a source or a campaign) and its KPI value over the period.' })
export class KpiGroupValue {
  @Field(() => String, {
    nullable: true,
    description:
      'The channel (e.g. PAID_SEARCH), the source (platform and account) or the campaign (an empty string for values without one); null for the folded “others”.',
  })
  key!: string | null;

  @Field(() => ChannelEnum, { nullable: true, description: 'The channel, when the breakdown is by CHANNEL (null for others).' })
  channel!: Channel | null;

  @Field({ description: 'Label in the requested language: the channel’s name, the source, the campaign (“No campaign”), “Others”.' })
  label!: string;

  @Field(() => Float, { nullable: true, description: 'The group’s value over the period (a ratio: of the group’s sums); null without data.' })
  value!: number | null;

  @Field(() => KpiValueState, { description: 'Complete, partial (the group lacks days: missing is not zero) or no data.' })
  state!: KpiValueState;

  @Field(() => Float, { description: 'Share of the period’s days the group’s value stands on (0–1).' })
  coverage!: number;

  @Field(() => Int, { description: 'Days of the period with data for every metric the KPI needs, in this group.' })
  daysWithData!: number;

  @Field(() => Int, { description: 'Days in the period.' })
  daysInPeriod!: number;

  @Field(() => KpiComparison, { description: 'The group’s value over the previous period (month, or week) and the change since.' })
  previous!: KpiComparison;

  @Field(() => Float, {
    nullable: true,
    description: 'For volumes (KPIs that add up over groups): the group’s share of the total (fraction); null for rates and without data.',
  })
  share!: number | null;
}

@ObjectType({ description: 'A scorecard row per group, or why it has only its total. Groups have no targets: targets are set on the total.' })
export class KpiBreakdown {
  @Field({ description: 'The KPI is computed for the total only (see reason); groups is then empty.' })
  totalOnly!: boolean;

  @Field(() => BreakdownTotalOnlyReason, { nullable: true, description: 'Why the KPI is total-only; null when it is broken down.' })
  reason!: BreakdownTotalOnlyReason | null;

  @Field(() => [KpiGroupValue], { description: 'The groups, ranked by the main volume (largest first), “others” last.' })
  groups!: KpiGroupValue[];
}

@ObjectType({ description: 'One group’s series of a KPI (no targets: they are set on the total).' })
export class KpiSeriesGroup {
  @Field(() => String, { nullable: true, description: 'The channel, source or campaign (an empty string for none); null for the folded “others”.' })
  key!: string | null;

  @Field(() => ChannelEnum, { nullable: true, description: 'The channel, when the breakdown is by CHANNEL.' })
  channel!: Channel | null;

  @Field({ description: 'Label in the requested language.' })
  label!: string;

  @Field(() => [KpiPoint], { description: 'One point per period, oldest first, as the total’s.' })
  points!: KpiPoint[];
}

@ObjectType({ description: 'A KPI series per group, or why it has only its total.' })
export class KpiSeriesBreakdown {
  @Field(() => BreakdownInfo, { description: 'How the groups were read.' })
  info!: BreakdownInfo;

  @Field({ description: 'The KPI is computed for the total only (see reason); groups is then empty.' })
  totalOnly!: boolean;

  @Field(() => BreakdownTotalOnlyReason, { nullable: true, description: 'Why the KPI is total-only.' })
  reason!: BreakdownTotalOnlyReason | null;

  @Field(() => [KpiSeriesGroup], { description: 'The groups, ranked by the main volume over the whole series, “others” last.' })
  groups!: KpiSeriesGroup[];
}

@ObjectType({ description: 'Year to date against the targets so far and last year’s year to date.' })
export class KpiYearToDate {
  @Field(() => Float, { nullable: true, description: 'Value from January 1 to the end of the period.' })
  value!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Target over the same months, combined as the value is: the sum for flows, the current month’s for stocks, the monthly targets ' +
      'weighted by each month’s base (sessions, customers at the start of the month) for ratios and monthly averages.',
  })
  target!: number | null;

  @Field(() => KpiComparison, { description: 'Last year’s year to date, and the change from it.' })
  lastYear!: KpiComparison;

  @Field(() => KpiRollUp, { description: 'How the value combines the months (MONTHLY_AVERAGE: a monthly rate, not a cumulative one).' })
  rollUp!: KpiRollUp;
}

@ObjectType({ description: 'Consecutive days of the period on which an input of the KPI has no data.' })
export class KpiInputGap {
  @Field({ description: 'Key of the metric that is missing.' })
  metricKey!: string;

  @Field({ description: 'Name of the metric in the requested language.' })
  name!: string;

  @Field({ description: 'First missing day (YYYY-MM-DD).' })
  from!: string;

  @Field({ description: 'Last missing day (included).' })
  to!: string;
}

@ObjectType({ description: 'Why a KPI has its status: a stable code and its figures, for the front-end to word.' })
export class StatusExplanation {
  @Field({ description: 'Stable code, e.g. ABOVE_TARGET, BELOW_PACE, NO_DATA.' })
  code!: string;

  @Field(() => String, { description: 'Figures of the explanation as JSON (e.g. {"attainment":0.93}).' })
  params!: string;
}

@ObjectType({ description: 'One KPI of the active plan over one month.' })
export class ScorecardRow {
  @Field({ description: 'KPI key.' })
  kpiKey!: string;

  @Field({ description: 'KPI name in the requested language.' })
  name!: string;

  @Field(() => String, { description: 'Funnel stage.' })
  stage!: FunnelStage;

  @Field(() => String, { description: 'Objective of the plan this KPI measures.' })
  objectiveKey!: ObjectiveKey;

  @Field(() => String, { description: 'Unit (PERCENT values are fractions).' })
  unit!: KpiUnit;

  @Field(() => String, { description: 'HIGHER_IS_BETTER or LOWER_IS_BETTER.' })
  direction!: KpiDirection;

  @Field(() => Float, { nullable: true, description: 'Value over the month.' })
  value!: number | null;

  @Field(() => KpiValueState, { description: 'Complete, partial or no data.' })
  state!: KpiValueState;

  @Field(() => Float, { description: 'Share of the month covered by data (0–1): for a ratio, the days where all the volumes it divides have data.' })
  coverage!: number;

  @Field(() => Int, { description: 'Days of the month with data for every metric the KPI needs (a ratio is computed over those days only).' })
  daysWithData!: number;

  @Field(() => Int, { description: 'Days in the month.' })
  daysInPeriod!: number;

  @Field(() => Float, { nullable: true, description: 'The month’s target.' })
  target!: number | null;

  @Field(() => Float, { nullable: true, description: 'Target expected by today (linear pacing inside the current month, for flows).' })
  expected!: number | null;

  @Field(() => Float, { nullable: true, description: 'Attainment of the (paced) target, direction-aware; 1 = on target.' })
  attainment!: number | null;

  @Field(() => TargetStatus, { description: 'On track, at risk or off track.' })
  status!: TargetStatus;

  @Field(() => StatusExplanation, { description: 'Why it has this status.' })
  explanation!: StatusExplanation;

  @Field(() => KpiComparison, { description: 'Previous period (month, or week for a weekly scorecard) and the change since.' })
  mom!: KpiComparison;

  @Field(() => KpiComparison, { description: 'Same period last year (same month, or same ISO week) and the year-over-year change.' })
  yoy!: KpiComparison;

  @Field(() => KpiYearToDate, { description: 'Year to date.' })
  ytd!: KpiYearToDate;

  @Field(() => [ScorecardPoint], { description: 'The 13 periods (months, or weeks) ending with this one, with targets and last year’s values.' })
  series!: ScorecardPoint[];

  @Field(() => [KpiInputGap], { description: 'Days of the period (up to today) on which a volume the KPI needs has no data, per metric.' })
  gaps!: KpiInputGap[];

  @Field({
    description: 'A volume lacks days: it was judged against its target prorated to the days it covers (never at risk for missing data alone).',
  })
  incomplete!: boolean;

  @Field(() => KpiBreakdown, { nullable: true, description: 'With `breakdown`: the KPI per group over the period; null without one.' })
  breakdown!: KpiBreakdown | null;

  @Field({ description: STALE_DESCRIPTION })
  stale!: boolean;

  @Field(() => [StaleSource], { description: STALE_SOURCES_DESCRIPTION })
  staleSources!: StaleSource[];
}

@ObjectType({ description: 'Every KPI of a client’s active plan over one month or one ISO week.' })
export class Scorecard {
  @Field(() => ID, { description: 'Client id.' })
  clientId!: string;

  @Field({ description: 'First day of the month.' })
  start!: string;

  @Field({ description: 'Last day of the month.' })
  end!: string;

  @Field(() => Int, { nullable: true, description: 'Version of the plan the scorecard follows; null without an active plan.' })
  planVersion!: number | null;

  @Field(() => [ScorecardRow], { description: 'One row per KPI of the plan, in plan order.' })
  rows!: ScorecardRow[];

  @Field(() => BreakdownInfo, { nullable: true, description: 'With `breakdown`: how the groups were read; null without one.' })
  breakdown!: BreakdownInfo | null;
}

export enum FunnelCount {
  PEOPLE = 'PEOPLE',
  EVENTS = 'EVENTS',
}
registerEnumType(FunnelCount, {
  name: 'FunnelCount',
  description: 'What every stage of a funnel counts: PEOPLE (visitors, accounts, leads) or EVENTS (sessions, orders).',
});

@ObjectType({ description: 'One stage of the funnel: a count, each a subset of the stage above.' })
export class FunnelStageResult {
  @Field(() => String, { description: 'Funnel stage (several steps may share one, e.g. leads, MQL and SQL are all CONVERSION).' })
  stage!: FunnelStage;

  @Field({ description: 'Count metric of the step for this business model.' })
  metricKey!: string;

  @Field(() => Float, { nullable: true, description: 'Its value over the period; null when the step has no data (missing is not zero).' })
  value!: number | null;

  @Field(() => Int, { description: 'Days of the period with data for this step.' })
  daysWithData!: number;

  @Field(() => Int, { description: 'Days in the period.' })
  daysInPeriod!: number;

  @Field(() => String, {
    nullable: true,
    description:
      'The KPI the rate is: a catalog conversion KPI whose formula is exactly this step / the step above (e.g. ecommerce_conversion_rate), ' +
      'or the funnel’s own `funnel_rate:<step>/<step above>` where the catalog has none. Null for the top step.',
  })
  rateKpiKey!: string | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share of the step above that reached this one (fraction): the value of `rateKpiKey` over the period, the scorecard’s value when the plan has that KPI. ' +
      'Null when this step or the one above has no data.',
  })
  conversionFromPrevious!: number | null;

  @Field({
    description: `${STALE_DESCRIPTION} For a step: its count or its rate. In a breakdown by source, only the group’s own source counts.`,
  })
  stale!: boolean;

  @Field(() => [StaleSource], { description: STALE_SOURCES_DESCRIPTION })
  staleSources!: StaleSource[];
}

@ObjectType({ description: 'The one revenue figure shown next to the funnel (money is never a stage).' })
export class FunnelRevenue {
  @Field(() => String, {
    nullable: true,
    description: 'The plan’s revenue KPI (e.g. revenue, or mrr for a SaaS plan), whose scorecard value this is; null when the plan has none.',
  })
  kpiKey!: string | null;

  @Field(() => String, { nullable: true, description: 'The revenue metric shown instead when the plan has no revenue KPI.' })
  metricKey!: string | null;

  @Field(() => Float, { nullable: true, description: 'Its value over the period, in the client’s currency.' })
  value!: number | null;

  @Field({ description: STALE_DESCRIPTION })
  stale!: boolean;

  @Field(() => [StaleSource], { description: STALE_SOURCES_DESCRIPTION })
  staleSources!: StaleSource[];
}

@ObjectType({ description: 'One group’s funnel. A step whose count no channel owns (customers, subscribers) has no value here, nor its rate.' })
export class FunnelGroup {
  @Field(() => String, { nullable: true, description: 'The channel, source or campaign (an empty string for none); null for the folded “others”.' })
  key!: string | null;

  @Field(() => ChannelEnum, { nullable: true, description: 'The channel, when the breakdown is by CHANNEL.' })
  channel!: Channel | null;

  @Field({ description: 'Label in the requested language.' })
  label!: string;

  @Field(() => [FunnelStageResult], { description: 'The steps, top to bottom, counted over the group’s values.' })
  stages!: FunnelStageResult[];

  @Field(() => Float, { nullable: true, description: 'The group’s revenue figure (the funnel’s revenue KPI or metric) when it breaks down; null otherwise.' })
  revenue!: number | null;
}

@ObjectType({ description: 'A funnel per group.' })
export class FunnelBreakdown {
  @Field(() => BreakdownInfo, { description: 'How the groups were read.' })
  info!: BreakdownInfo;

  @Field(() => [FunnelGroup], { description: 'The groups, ranked by the main volume, “others” last.' })
  groups!: FunnelGroup[];
}

@ObjectType({ description: 'Stage-to-stage conversion over a period, with the rates of the plan’s conversion KPIs and the revenue apart.' })
export class Funnel {
  @Field(() => ID, { description: 'Client id.' })
  clientId!: string;

  @Field({ description: 'First day of the period.' })
  start!: string;

  @Field({ description: 'Last day of the period.' })
  end!: string;

  @Field(() => FunnelCount, { description: 'What every stage counts.' })
  counts!: FunnelCount;

  @Field(() => [FunnelStageResult], { description: 'The steps of the client’s business model, top to bottom.' })
  stages!: FunnelStageResult[];

  @Field(() => FunnelRevenue, { description: 'The period’s revenue, the same figure as the scorecard’s revenue KPI.' })
  revenue!: FunnelRevenue;

  @Field(() => FunnelBreakdown, { nullable: true, description: 'With `breakdown`: the stages per group; null without one.' })
  breakdown!: FunnelBreakdown | null;
}
