import type { INestApplication } from '@nestjs/common';
import { runWithTenant, type TenantContext } from '@pilotage/database';
import { addDays, addMonths, findKpi, localDate, roundToSignificantDigits, type KpiUnit } from '@pilotage/kpi';
import { mulberry32 } from '@pilotage/reporting';
import { AnalyticsService } from '@pilotage/analytics';
import { ClientsService } from '../clients/clients.service';
import { KickoffsService } from '../kickoffs/kickoffs.service';
import { MAX_VALUES_PER_CALL } from '../metric-values/dto/metric-value.inputs';
import { MetricValuesService } from '../metric-values/metric-values.service';
import type { DemoAgency } from './demo-seed';
import { DEMO_PROFILES, DemoNoise, formatMetricValue, type DemoKpiPlan, type DemoProfile } from './demo-series';

/** Months of history before the current one: this year and last year in full, for YoY and seasonal targets. */
export const DEMO_HISTORY_MONTHS = 24;

export interface DemoClientData {
  readonly clientId: string;
  readonly name: string;
  /** False when the client already had an active plan and was left as it was. */
  readonly seeded: boolean;
  /** Metric values recorded (0 when not seeded). */
  readonly values: number;
  readonly planYear: number | null;
  /** The KPI deliberately left without data for the last complete month, if any. */
  readonly lateKpiKey: string | null;
}

interface DemoValue {
  readonly metricKey: string;
  readonly date: string;
  readonly value: string;
  readonly source: string;
}

/**
 * Gives each demo client a plan and two years of daily figures, as an agency would after a
 * kickoff and a few imports, so that a newcomer's first scorecard and report are full. Runs
 * through the services the API uses (kickoff workflow, metric values ingestion), as the demo
 * owner. Idempotent: a client that has an active plan is left alone.
 */
export async function seedDemoData(app: INestApplication, demo: DemoAgency): Promise<DemoClientData[]> {
  const clients = app.get(ClientsService);
  const kickoffs = app.get(KickoffsService);
  const context: TenantContext = { agencyId: demo.agencyId, userId: demo.userId, role: 'OWNER', clientId: null };
  const results: DemoClientData[] = [];
  for (const clientId of demo.clientIds) {
    const result = await runWithTenant(context, async () => {
      const client = await clients.get(clientId);
      const profile = DEMO_PROFILES.find((candidate) => candidate.businessModel === client.businessModel);
      const skipped = { clientId, name: client.name, seeded: false, values: 0, planYear: null, lateKpiKey: null };
      if (!profile || client.archived || (await kickoffs.activePlan(clientId))) return skipped;
      const today = localDate(new Date(), client.timeZone);
      const values = await recordHistory(app, clientId, profile, today);
      const lastMonthStart = addMonths(`${today.slice(0, 7)}-01`, -1);
      const planYear = Number(lastMonthStart.slice(0, 4));
      await runKickoff(app, clientId, profile, planYear);
      return { clientId, name: client.name, seeded: true, values, planYear, lateKpiKey: profile.lateKpi?.kpiKey ?? null };
    });
    results.push(result);
  }
  return results;
}

/**
 * Daily values from the first day of the month DEMO_HISTORY_MONTHS ago to yesterday (the
 * client's calendar), less the profile's export gaps, recorded in calls of at most
 * MAX_VALUES_PER_CALL values.
 */
async function recordHistory(app: INestApplication, clientId: string, profile: DemoProfile, today: string): Promise<number> {
  const metricValues = app.get(MetricValuesService);
  const monthStart = `${today.slice(0, 7)}-01`;
  const first = addMonths(monthStart, -DEMO_HISTORY_MONTHS);
  const yesterday = addDays(today, -1);
  const days: string[] = [];
  for (let day = first; day <= yesterday; day = addDays(day, 1)) days.push(day);
  const series = profile.simulate(days, new DemoNoise(mulberry32(profile.seed)));

  const lastMonthStart = addMonths(monthStart, -1);
  const missing = new Set<string>();
  for (const gap of profile.gaps) {
    for (const dayOfMonth of gap.daysOfMonth) {
      for (const metricKey of gap.metricKeys) missing.add(`${metricKey}|${addDays(lastMonthStart, dayOfMonth - 1)}`);
    }
  }
  const late = new Set(profile.lateKpi?.metricKeys ?? []);

  const values: DemoValue[] = [];
  for (const [metricKey, daily] of series) {
    const source = profile.sources[metricKey];
    if (source === undefined) throw new Error(`Demo metric "${metricKey}" has no source`);
    daily.forEach((value, index) => {
      const date = days[index];
      if (missing.has(`${metricKey}|${date}`) || (late.has(metricKey) && date >= lastMonthStart)) return;
      values.push({ metricKey, date, value: formatMetricValue(metricKey, value), source });
    });
  }
  for (let offset = 0; offset < values.length; offset += MAX_VALUES_PER_CALL) {
    await metricValues.record({ clientId, values: values.slice(offset, offset + MAX_VALUES_PER_CALL) });
  }
  return values.length;
}

/** Start, objectives, KPI selection, targets from last year's figures, approval. */
async function runKickoff(app: INestApplication, clientId: string, profile: DemoProfile, planYear: number): Promise<void> {
  const kickoffs = app.get(KickoffsService);
  const kickoff = await kickoffs.start({
    clientId,
    businessModel: profile.businessModel,
    traits: [...profile.traits],
    channels: [...profile.channels],
    coreTarget: profile.coreTarget,
  });
  await kickoffs.setObjectives({ kickoffId: kickoff.id, objectiveKeys: [...profile.objectiveKeys] });
  await kickoffs.selectKpis({
    kickoffId: kickoff.id,
    selections: profile.kpis.map((kpi) => ({ kpiKey: kpi.kpiKey, objectiveKey: kpi.objectiveKey })),
  });
  const lastYear = await lastYearMonthlyValues(app, clientId, profile, planYear - 1);
  for (const kpi of profile.kpis) {
    const months = lastYear.get(kpi.kpiKey) ?? [];
    const known = months.filter((value): value is number => value !== null);
    if (known.length === 0) continue;
    const unit = kpiUnit(kpi.kpiKey);
    if (kpi.target === 'STOCK') {
      await kickoffs.setTargets({ kickoffId: kickoff.id, year: planYear, targets: stockTargets(kpi, known[known.length - 1], unit) });
    } else {
      const annual = kpi.target === 'FLOW' ? known.reduce((sum, value) => sum + value, 0) : known.reduce((sum, value) => sum + value, 0) / known.length;
      await kickoffs.splitAnnualTarget({
        kickoffId: kickoff.id,
        kpiKey: kpi.kpiKey,
        year: planYear,
        annual: roundTarget(annual * (1 + kpi.ambition), unit),
        mode: kpi.target === 'FLOW' ? 'SEASONAL' : 'EVEN',
      });
    }
  }
  await kickoffs.approve(kickoff.id);
}

async function lastYearMonthlyValues(app: INestApplication, clientId: string, profile: DemoProfile, year: number): Promise<Map<string, Array<number | null>>> {
  const series = await app.get(AnalyticsService).kpiSeries({
    clientId,
    kpiKeys: profile.kpis.map((kpi) => kpi.kpiKey),
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    grain: 'MONTH',
  });
  return new Map(series.map((kpi) => [kpi.kpiKey, kpi.points.map((point) => point.value)]));
}

/** A stock grows month by month from last December's level to the year-end goal (compound steps). */
function stockTargets(kpi: DemoKpiPlan, lastDecember: number, unit: KpiUnit): Array<{ kpiKey: string; month: number; value: number }> {
  return Array.from({ length: 12 }, (_, index) => ({
    kpiKey: kpi.kpiKey,
    month: index + 1,
    value: roundTarget(lastDecember * (1 + kpi.ambition) ** ((index + 1) / 12), unit),
  }));
}

/** Targets as people write them: whole counts, round amounts, rates to three significant digits. */
function roundTarget(value: number, unit: KpiUnit): number {
  if (unit === 'COUNT') return Math.round(value);
  if (unit === 'CURRENCY') return value >= 1_000 ? Math.round(value / 10) * 10 : Math.round(value * 100) / 100;
  return roundToSignificantDigits(value, 3);
}

function kpiUnit(kpiKey: string): KpiUnit {
  const kpi = findKpi(kpiKey);
  if (!kpi) throw new Error(`Demo KPI "${kpiKey}" is not in the KPI catalog`);
  return kpi.unit;
}
