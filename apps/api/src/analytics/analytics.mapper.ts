import type * as domain from '@pilotage/analytics';
import { isChannel, type BreakdownDimension, type Change, type Channel } from '@pilotage/kpi';
import {
  BreakdownTotalOnlyReason,
  ChangeKind,
  FunnelCount,
  KpiRollUp,
  KpiValueState,
  StaleSourceStatus,
  TargetStatus,
  type BreakdownInfo,
  type Funnel,
  type FunnelStageResult,
  type KpiBreakdown,
  type KpiChange,
  type KpiComparison,
  type KpiPoint,
  type KpiSeries,
  type Scorecard,
  type ScorecardPoint,
  type ScorecardRow,
  type StaleSource,
} from './analytics.models';

/*
 * Domain values → GraphQL types, at the edge: enums become GraphQL enums, an explanation's
 * figures become a JSON string, and a change's `percent` is given in percent (12.5), as the
 * schema documents.
 */

function toChange(change: Change | null): KpiChange | null {
  if (change === null) return null;
  return { kind: ChangeKind[change.kind], absolute: change.absolute, percent: change.percent === null ? null : change.percent * 100, points: change.points };
}

function toStaleSources(freshness: domain.Freshness): { stale: boolean; staleSources: StaleSource[] } {
  return {
    stale: freshness.stale,
    staleSources: freshness.staleSources.map((source) => ({
      platform: source.provider,
      accountName: source.accountName,
      source: source.source,
      status: StaleSourceStatus[source.status],
      reason: source.reason,
      dataThrough: source.dataThrough,
    })),
  };
}

function toStage(stage: domain.FunnelStageValue): FunnelStageResult {
  return {
    stage: stage.stage,
    metricKey: stage.metricKey,
    value: stage.value,
    daysWithData: stage.daysWithData,
    daysInPeriod: stage.daysInPeriod,
    rateKpiKey: stage.rateKpiKey,
    conversionFromPrevious: stage.conversionFromPrevious,
    ...toStaleSources(stage),
  };
}

function toComparison(comparison: domain.KpiComparison): KpiComparison {
  return { value: comparison.value, change: toChange(comparison.change) };
}

function toPoint(point: domain.KpiPoint): KpiPoint {
  return {
    start: point.start,
    end: point.end,
    value: point.value,
    target: point.target,
    coverage: point.coverage,
    state: KpiValueState[point.state],
    rollUp: point.rollUp ? KpiRollUp[point.rollUp] : null,
  };
}

function toInfo(info: domain.BreakdownInfo): BreakdownInfo {
  return { ...info };
}

function channelOf(dimension: BreakdownDimension, key: string | null): Channel | null {
  return dimension === 'CHANNEL' && key !== null && isChannel(key) ? key : null;
}

function toReason(reason: domain.BreakdownTotalOnlyReason | null): BreakdownTotalOnlyReason | null {
  return reason === null ? null : BreakdownTotalOnlyReason[reason];
}

function toKpiBreakdown(breakdown: domain.KpiBreakdown, dimension: BreakdownDimension): KpiBreakdown {
  return {
    totalOnly: breakdown.totalOnly,
    reason: toReason(breakdown.reason),
    groups: breakdown.groups.map((group) => ({
      key: group.key,
      channel: channelOf(dimension, group.key),
      label: group.label,
      value: group.value,
      state: KpiValueState[group.state],
      coverage: group.coverage,
      daysWithData: group.daysWithData,
      daysInPeriod: group.daysInPeriod,
      previous: toComparison(group.previous),
      share: group.share,
    })),
  };
}

function toScorecardPoint(point: domain.ScorecardPoint): ScorecardPoint {
  return { ...toPoint(point), lastYear: point.lastYear };
}

export function toKpiSeriesModel(series: domain.KpiSeries): KpiSeries {
  const breakdown = series.breakdown ?? null;
  return {
    kpiKey: series.kpiKey,
    name: series.name,
    unit: series.unit,
    points: series.points.map(toPoint),
    ...toStaleSources(series),
    breakdown: breakdown && {
      info: toInfo(breakdown.info),
      totalOnly: breakdown.totalOnly,
      reason: toReason(breakdown.reason),
      groups: breakdown.groups.map((group) => ({
        key: group.key,
        channel: channelOf(breakdown.info.dimension, group.key),
        label: group.label,
        points: group.points.map(toPoint),
      })),
    },
  };
}

function toRow(row: domain.ScorecardRow, dimension: BreakdownDimension | null): ScorecardRow {
  return {
    kpiKey: row.kpiKey,
    name: row.name,
    stage: row.stage,
    objectiveKey: row.objectiveKey,
    unit: row.unit,
    direction: row.direction,
    value: row.value,
    state: KpiValueState[row.state],
    coverage: row.coverage,
    daysWithData: row.daysWithData,
    daysInPeriod: row.daysInPeriod,
    target: row.target,
    expected: row.expected,
    attainment: row.attainment,
    status: TargetStatus[row.status],
    explanation: { code: row.explanation.code, params: JSON.stringify(row.explanation.params) },
    mom: toComparison(row.mom),
    yoy: toComparison(row.yoy),
    ytd: { value: row.ytd.value, target: row.ytd.target, lastYear: toComparison(row.ytd.lastYear), rollUp: KpiRollUp[row.ytd.rollUp] },
    series: row.series.map(toScorecardPoint),
    gaps: row.gaps.map((gap) => ({ ...gap })),
    incomplete: row.incomplete,
    breakdown: row.breakdown && dimension ? toKpiBreakdown(row.breakdown, dimension) : null,
    ...toStaleSources(row),
  };
}

export function toScorecardModel(scorecard: domain.Scorecard): Scorecard {
  const dimension = scorecard.breakdown?.dimension ?? null;
  return {
    clientId: scorecard.clientId,
    start: scorecard.start,
    end: scorecard.end,
    planVersion: scorecard.planVersion,
    rows: scorecard.rows.map((row) => toRow(row, dimension)),
    breakdown: scorecard.breakdown ? toInfo(scorecard.breakdown) : null,
  };
}

export function toFunnelModel(funnel: domain.Funnel): Funnel {
  const breakdown = funnel.breakdown ?? null;
  return {
    clientId: funnel.clientId,
    start: funnel.start,
    end: funnel.end,
    counts: FunnelCount[funnel.counts],
    stages: funnel.stages.map(toStage),
    revenue: { kpiKey: funnel.revenue.kpiKey, metricKey: funnel.revenue.metricKey, value: funnel.revenue.value, ...toStaleSources(funnel.revenue) },
    breakdown: breakdown
      ? {
          info: toInfo(breakdown.info),
          groups: breakdown.groups.map((group) => ({
            key: group.key,
            channel: channelOf(breakdown.info.dimension, group.key),
            label: group.label,
            stages: group.stages.map(toStage),
            revenue: group.revenue,
          })),
        }
      : null,
  };
}
