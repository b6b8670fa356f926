import { addDays, addMonths, findKpi, localDate, roundToSignificantDigits, type BusinessModel, type KpiUnit } from '@pilotage/kpi';
import { mulberry32 } from '@pilotage/reporting';
import type { DemoAgency } from './demo-seed';
import { demoChannelValues, type DemoChannelValue } from './demo-channels';
import { DEMO_PROFILES, DemoNoise, type DemoKpiPlan, type DemoProfile } from './demo-series';
import type { PilotageApiClient } from './pilotage-api.client';

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

const CLIENT = `query DemoClient($id: ID!) { client(id: $id) { id name businessModel timeZone archived activePlan { id } } }`;
const START_KICKOFF = `mutation DemoStartKickoff($input: StartKickoffInput!) { startKickoff(input: $input) { id } }`;
const SET_OBJECTIVES = `mutation DemoSetObjectives($input: SetKickoffObjectivesInput!) { setKickoffObjectives(input: $input) { kickoff { id } } }`;
const SELECT_KPIS = `mutation DemoSelectKpis($input: SelectKickoffKpisInput!) { selectKickoffKpis(input: $input) { kickoff { id } } }`;
const SET_TARGETS = `mutation DemoSetTargets($input: SetKickoffTargetsInput!) { setKickoffTargets(input: $input) { id } }`;
const SPLIT_ANNUAL_TARGET = `mutation DemoSplitAnnualTarget($input: SplitKickoffAnnualTargetInput!) { splitKickoffAnnualTarget(input: $input) { __typename } }`;
const APPROVE_KICKOFF = `mutation DemoApproveKickoff($kickoffId: ID!) { approveKickoff(kickoffId: $kickoffId) { id } }`;
const KPI_SERIES = `query DemoKpiSeries($clientId: ID!, $kpiKeys: [String!]!, $from: String!, $to: String!, $grain: PeriodGrain!) {
  kpiSeries(clientId: $clientId, kpiKeys: $kpiKeys, from: $from, to: $to, grain: $grain) { kpiKey points { value } } }`;

interface DemoClient {
  readonly id: string;
  readonly name: string;
  readonly businessModel: BusinessModel;
  readonly timeZone: string;
  readonly archived: boolean;
  readonly activePlan: { readonly id: string } | null;
}

/**
 * Gives each demo client a plan and two years of daily figures, as an agency would after a
 * kickoff and a CSV import, so that a newcomer's first scorecard and report are full. Goes
 * through the API's GraphQL (kickoff workflow, KPI series) and its CSV import route, as the
 * demo owner. Idempotent: a client that has an active plan is left alone.
 */
export async function seedDemoData(api: PilotageApiClient, demo: DemoAgency): Promise<DemoClientData[]> {
  const owner = api.withToken(demo.token);
  const results: DemoClientData[] = [];
  for (const clientId of demo.clientIds) {
    const { client } = await owner.request<{ client: DemoClient }>(CLIENT, { id: clientId });
    const profile = DEMO_PROFILES.find((candidate) => candidate.businessModel === client.businessModel);
    if (!profile || client.archived || client.activePlan !== null) {
      results.push({ clientId, name: client.name, seeded: false, values: 0, planYear: null, lateKpiKey: null });
      continue;
    }
    const today = localDate(new Date(), client.timeZone);
    const values = await recordHistory(owner, clientId, profile, today);
    const lastMonthStart = addMonths(`${today.slice(0, 7)}-01`, -1);
    const planYear = Number(lastMonthStart.slice(0, 4));
    await runKickoff(owner, clientId, profile, planYear);
    results.push({ clientId, name: client.name, seeded: true, values, planYear, lateKpiKey: profile.lateKpi?.kpiKey ?? null });
  }
  return results;
}

/** The seed of the channel split's own random stream (the totals keep theirs). */
const CHANNEL_SPLIT_SEED = 0x5eed;

/**
 * Daily values from the first day of the month DEMO_HISTORY_MONTHS ago to yesterday (the
 * client's calendar), less the profile's export gaps, per channel and campaign as the platforms
 * export them (see demo-channels.ts), imported as one CSV file with `channel` and `campaign`
 * columns (the route streams it; a GraphQL call would be capped at 100 KB).
 */
async function recordHistory(owner: PilotageApiClient, clientId: string, profile: DemoProfile, today: string): Promise<number> {
  const monthStart = `${today.slice(0, 7)}-01`;
  const values = demoHistory(profile, addMonths(monthStart, -DEMO_HISTORY_MONTHS), addDays(today, -1));
  const lines = [
    'date,metric,value,source,channel,campaign',
    ...values.map((value) => [value.date, value.metricKey, value.value, csvCell(value.source), value.channel, csvCell(value.campaign)].join(',')),
  ];
  // Conventions declared rather than detected: "1234.5678" alone could be read either way.
  await owner.importMetricCsv(clientId, `${lines.join('\n')}\n`, {
    format: 'LONG',
    delimiter: ',',
    decimal: 'POINT',
    dateFormat: 'ISO',
    fileName: `demo-${profile.businessModel.toLowerCase()}-history.csv`,
  });
  return values.length;
}

/**
 * The values the demo records for a profile from `first` to `last` (its last day being
 * yesterday): the simulated days per channel and campaign, less the export gaps of the month
 * before `last`'s and the late KPI's metrics from that month on. Pure: the demo's test reads it.
 */
export function demoHistory(profile: DemoProfile, first: string, last: string): DemoChannelValue[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  const simulation = profile.simulate(days, new DemoNoise(mulberry32(profile.seed)));
  const values = demoChannelValues(profile, days, simulation, new DemoNoise(mulberry32(profile.seed ^ CHANNEL_SPLIT_SEED)));

  const lastMonthStart = addMonths(`${addDays(last, 1).slice(0, 7)}-01`, -1);
  const missing = new Set<string>();
  for (const gap of profile.gaps) {
    for (const dayOfMonth of gap.daysOfMonth) {
      for (const metricKey of gap.metricKeys) missing.add(`${metricKey}|${addDays(lastMonthStart, dayOfMonth - 1)}`);
    }
  }
  const late = new Set(profile.lateKpi?.metricKeys ?? []);
  return values.filter((value) => !missing.has(`${value.metricKey}|${value.date}`) && !(late.has(value.metricKey) && value.date >= lastMonthStart));
}

/** A CSV cell, quoted when it holds a separator, a quote or a line break. */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Start, objectives, KPI selection, targets from last year's figures, approval. */
async function runKickoff(owner: PilotageApiClient, clientId: string, profile: DemoProfile, planYear: number): Promise<void> {
  const { startKickoff: kickoff } = await owner.request<{ startKickoff: { id: string } }>(START_KICKOFF, {
    input: {
      clientId,
      businessModel: profile.businessModel,
      traits: [...profile.traits],
      channels: [...profile.channels],
      coreTarget: profile.coreTarget,
    },
  });
  await owner.request(SET_OBJECTIVES, { input: { kickoffId: kickoff.id, objectiveKeys: [...profile.objectiveKeys] } });
  await owner.request(SELECT_KPIS, {
    input: { kickoffId: kickoff.id, selections: profile.kpis.map((kpi) => ({ kpiKey: kpi.kpiKey, objectiveKey: kpi.objectiveKey })) },
  });
  const lastYear = await lastYearMonthlyValues(owner, clientId, profile, planYear - 1);
  for (const kpi of profile.kpis) {
    const months = lastYear.get(kpi.kpiKey) ?? [];
    const known = months.filter((value): value is number => value !== null);
    if (known.length === 0) continue;
    const unit = kpiUnit(kpi.kpiKey);
    if (kpi.target === 'STOCK') {
      await owner.request(SET_TARGETS, { input: { kickoffId: kickoff.id, year: planYear, targets: stockTargets(kpi, known[known.length - 1], unit) } });
    } else {
      const annual = kpi.target === 'FLOW' ? known.reduce((sum, value) => sum + value, 0) : known.reduce((sum, value) => sum + value, 0) / known.length;
      await owner.request(SPLIT_ANNUAL_TARGET, {
        input: {
          kickoffId: kickoff.id,
          kpiKey: kpi.kpiKey,
          year: planYear,
          annual: roundTarget(annual * (1 + kpi.ambition), unit),
          mode: kpi.target === 'FLOW' ? 'SEASONAL' : 'EVEN',
        },
      });
    }
  }
  await owner.request(APPROVE_KICKOFF, { kickoffId: kickoff.id });
}

async function lastYearMonthlyValues(
  owner: PilotageApiClient,
  clientId: string,
  profile: DemoProfile,
  year: number,
): Promise<Map<string, Array<number | null>>> {
  const { kpiSeries } = await owner.request<{ kpiSeries: Array<{ kpiKey: string; points: Array<{ value: number | null }> }> }>(KPI_SERIES, {
    clientId,
    kpiKeys: profile.kpis.map((kpi) => kpi.kpiKey),
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    grain: 'MONTH',
  });
  return new Map(kpiSeries.map((kpi) => [kpi.kpiKey, kpi.points.map((point) => point.value)]));
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
