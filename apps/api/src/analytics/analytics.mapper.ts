import type * as domain from '@pilotage/analytics';
import type { Change } from '@pilotage/kpi';
import {
  ChangeKind,
  FunnelCount,
  KpiRollUp,
  KpiValueState,
  TargetStatus,
  type Funnel,
  type KpiChange,
  type KpiComparison,
  type KpiPoint,
  type KpiSeries,
  type Scorecard,
  type ScorecardPoint,
  type ScorecardRow,
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

function toScorecardPoint(point: domain.ScorecardPoint): ScorecardPoint {
  return { ...toPoint(point), lastYear: point.lastYear };
}

export function toKpiSeriesModel(series: domain.KpiSeries): KpiSeries {
  return { kpiKey: series.kpiKey, name: series.name, unit: series.unit, points: series.points.map(toPoint) };
}

function toRow(row: domain.ScorecardRow): ScorecardRow {
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
  };
}

export function toScorecardModel(scorecard: domain.Scorecard): Scorecard {
  return { clientId: scorecard.clientId, start: scorecard.start, end: scorecard.end, planVersion: scorecard.planVersion, rows: scorecard.rows.map(toRow) };
}

export function toFunnelModel(funnel: domain.Funnel): Funnel {
  return {
    clientId: funnel.clientId,
    start: funnel.start,
    end: funnel.end,
    counts: FunnelCount[funnel.counts],
    stages: funnel.stages.map((stage) => ({ ...stage })),
    revenue: { ...funnel.revenue },
  };
}
