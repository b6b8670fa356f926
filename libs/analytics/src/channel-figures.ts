import { Injectable } from '@nestjs/common';
import {
  assessAgainstTarget,
  CHANNELS,
  compareValues,
  daysBetween,
  elapsedFraction,
  FUNNELS,
  isChannel,
  KpiEvaluator,
  localDate,
  previousPeriod,
  type Change,
  type Channel,
  type KpiDirection,
  type KpiUnit,
  type MetricBucket,
  type Period,
  type TargetStatus,
} from '@pilotage/kpi';
import { findPlanTargets, KpiPlanEntity, MetricAggregatesRepository, PlanKpiEntity, type GroupedMetricBucket } from '@pilotage/database';
import type { ClientScope } from './analytics.service';
import { coveredFraction, weekTarget } from './period-targets';

/** The figures of the channel table, in the order they are printed. */
export const CHANNEL_FIGURE_KEYS = ['spend', 'clicks', 'costPerClick', 'conversions', 'costPerAcquisition', 'roas'] as const;
export type ChannelFigureKey = (typeof CHANNEL_FIGURE_KEYS)[number];

/**
 * What a row's clicks and conversions count.
 * - ADS: the ad platforms' own figures (ad_clicks, ad_conversions), the ones its spend bought.
 * - TRAFFIC: a channel nobody pays per click for (organic search, e-mail, direct) has no ad
 *   clicks: its "clicks" are the sessions it brought and its conversions the business's
 *   conversion step (orders, leads or sign-ups) attributed to those sessions.
 */
export type ChannelBasis = 'ADS' | 'TRAFFIC';

/** One figure of a row: this period, the previous one and the change (points for rates, % for volumes, see compareValues). */
export interface ChannelFigure {
  readonly value: number | null;
  readonly previous: number | null;
  readonly change: Change | null;
}

export interface ChannelFiguresRow {
  /** The channel; null for the total of every channel. */
  readonly channel: Channel | null;
  readonly basis: ChannelBasis;
  readonly figures: Readonly<Record<ChannelFigureKey, ChannelFigure>>;
  /** Days of the period with data for the row's spend or clicks (the fewest), out of `daysInPeriod`. */
  readonly daysWithData: number;
  readonly daysInPeriod: number;
}

/** The plan's target of one figure of the total, prorated to the period, and where the total stands. */
export interface ChannelFigureTarget {
  readonly figure: ChannelFigureKey;
  readonly kpiKey: string;
  readonly target: number;
  readonly attainment: number | null;
  readonly status: TargetStatus;
}

export interface CampaignFigures {
  readonly campaign: string;
  /** The channels the campaign has values on (one, unless two platforms share a campaign name). */
  readonly channels: readonly Channel[];
  readonly basis: ChannelBasis;
  readonly spend: number | null;
  readonly clicks: number | null;
  readonly conversions: number | null;
  readonly costPerAcquisition: number | null;
  readonly roas: number | null;
}

export interface ChannelFigures {
  readonly start: string;
  readonly end: string;
  readonly previousStart: string;
  readonly previousEnd: string;
  /** The metric a TRAFFIC row's conversions count (orders, leads, sign-ups: the client's funnel). */
  readonly conversionMetricKey: string;
  /** Channels with data this period or the previous one, by spend, then clicks, then conversions. */
  readonly channels: readonly ChannelFiguresRow[];
  readonly total: ChannelFiguresRow & { readonly targets: readonly ChannelFigureTarget[] };
  /** The period's campaigns with the most spend, then the most conversions (at most `TOP_CAMPAIGNS`). */
  readonly campaigns: readonly CampaignFigures[];
}

export const TOP_CAMPAIGNS = 5;

/** Units and directions of the figures: the KPIs' of the catalog for the three ratios, the metrics' for the volumes. */
export const CHANNEL_FIGURE_UNITS: Readonly<Record<ChannelFigureKey, KpiUnit>> = {
  spend: 'CURRENCY',
  clicks: 'COUNT',
  costPerClick: 'CURRENCY',
  conversions: 'COUNT',
  costPerAcquisition: 'CURRENCY',
  roas: 'RATIO',
};

/** Whether a rise is good news; null for spend, which is a budget decision, neither good nor bad. */
export const CHANNEL_FIGURE_DIRECTIONS: Readonly<Record<ChannelFigureKey, KpiDirection | null>> = {
  spend: null,
  clicks: 'HIGHER_IS_BETTER',
  costPerClick: 'LOWER_IS_BETTER',
  conversions: 'HIGHER_IS_BETTER',
  costPerAcquisition: 'LOWER_IS_BETTER',
  roas: 'HIGHER_IS_BETTER',
};

/**
 * The catalog KPIs the ratios are (libs/kpi holds their formulas: ad_spend / ad_clicks,
 * ad_spend / ad_conversions, ad_revenue / ad_spend), so that a channel's CPC is the scorecard's
 * CPC computed on the channel's values. Their inputs are all channel-attributable
 * (CHANNEL_ATTRIBUTABLE_METRICS): they break down.
 */
const RATIO_KPIS = { costPerClick: 'cost_per_click', costPerAcquisition: 'cost_per_acquisition', roas: 'roas' } as const;

const AD_METRICS = { spend: 'ad_spend', clicks: 'ad_clicks', conversions: 'ad_conversions', revenue: 'ad_revenue' } as const;
const TRAFFIC_CLICKS_METRIC = 'sessions';

/**
 * The conversion a TRAFFIC row counts: the first CONVERSION step of the client's funnel
 * (libs/kpi FUNNELS) — orders for a shop, leads for B2B and local lead generation, sign-ups for
 * SaaS, apps and media. It is what that model's sessions are meant to end in, and a metric GA4
 * and the shop, CRM or e-mail tools report per channel (CHANNEL_ATTRIBUTABLE_METRICS).
 */
export function trafficConversionMetric(businessModel: keyof typeof FUNNELS): string {
  return FUNNELS[businessModel].steps.find((step) => step.stage === 'CONVERSION')?.metricKey ?? 'orders';
}

function byMetric<T extends MetricBucket>(buckets: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const bucket of buckets) {
    const list = groups.get(bucket.metricKey) ?? [];
    list.push(bucket);
    groups.set(bucket.metricKey, list);
  }
  return groups;
}

function byGroup(buckets: readonly GroupedMetricBucket[]): Map<string, GroupedMetricBucket[]> {
  const groups = new Map<string, GroupedMetricBucket[]>();
  for (const bucket of buckets) {
    const list = groups.get(bucket.group) ?? [];
    list.push(bucket);
    groups.set(bucket.group, list);
  }
  return groups;
}

/** Descending, nulls last. */
function descending(a: number | null, b: number | null): number {
  return (b ?? Number.NEGATIVE_INFINITY) - (a ?? Number.NEGATIVE_INFINITY);
}

/**
 * A client's advertising and traffic figures per channel over a month or an ISO week, with the
 * previous period, the total against the plan's targets and the top campaigns: the weekly
 * operational report's table and the monthly report's channel section.
 *
 * Every value is read with the total's rules (MetricAggregatesRepository.breakdown: sums per
 * day and group, covered days) over day buckets from the previous period's first day, and each
 * group gets its own KpiEvaluator: a channel's CPC is Σ spend / Σ clicks of that channel (ratio
 * of sums), a channel without clicks has no CPC (missing is not zero), and the ratios align their
 * inputs on their common days as the scorecard's do.
 */
export async function readChannelFigures(
  aggregates: MetricAggregatesRepository,
  { manager, client, catalog }: ClientScope,
  period: Period,
  options: { today?: string } = {},
): Promise<ChannelFigures> {
  const previous = previousPeriod(period);
  const conversionMetricKey = trafficConversionMetric(client.businessModel);
  const ratioKpiKeys = Object.values(RATIO_KPIS);
  const metricKeys = [...new Set([...Object.values(AD_METRICS), TRAFFIC_CLICKS_METRIC, conversionMetricKey, ...catalog.metricsOfKpis(ratioKpiKeys)])];
  const query = { agencyId: client.agencyId, clientId: client.id, metricKeys, from: previous.start, to: period.end, grain: 'day' as const };
  const [grouped, total, byCampaign] = [
    await aggregates.breakdown(manager, query, 'CHANNEL'),
    await aggregates.aggregate(manager, query),
    await aggregates.breakdown(manager, { ...query, from: period.start }, 'CAMPAIGN'),
  ];
  const evaluatorOf = (buckets: readonly MetricBucket[], from: string): KpiEvaluator =>
    new KpiEvaluator(catalog, buckets, { metricKeys, from, to: period.end, buckets });

  const rowOf = (channel: Channel | null, evaluator: KpiEvaluator, basis: ChannelBasis): ChannelFiguresRow => {
    const metricKeyOf = (figure: 'clicks' | 'conversions'): string =>
      basis === 'ADS' ? AD_METRICS[figure] : figure === 'clicks' ? TRAFFIC_CLICKS_METRIC : conversionMetricKey;
    const over = (of: Period): Record<ChannelFigureKey, { value: number | null; daysWithData: number }> => {
      const metric = (key: string): { value: number | null; daysWithData: number } => evaluator.metric(key, of);
      const kpi = (key: string): { value: number | null; daysWithData: number } => evaluator.evaluate(key, of);
      return {
        spend: metric(AD_METRICS.spend),
        clicks: metric(metricKeyOf('clicks')),
        costPerClick: kpi(RATIO_KPIS.costPerClick),
        conversions: metric(metricKeyOf('conversions')),
        costPerAcquisition: kpi(RATIO_KPIS.costPerAcquisition),
        roas: kpi(RATIO_KPIS.roas),
      };
    };
    const now = over(period);
    const before = over(previous);
    const figure = (key: ChannelFigureKey): ChannelFigure => ({
      value: now[key].value,
      previous: before[key].value,
      change: compareValues(now[key].value, before[key].value, CHANNEL_FIGURE_UNITS[key]),
    });
    const figures: Record<ChannelFigureKey, ChannelFigure> = {
      spend: figure('spend'),
      clicks: figure('clicks'),
      costPerClick: figure('costPerClick'),
      conversions: figure('conversions'),
      costPerAcquisition: figure('costPerAcquisition'),
      roas: figure('roas'),
    };
    // The row's coverage: its spend and clicks, the volumes every other figure divides.
    const volumes = [now.spend, now.clicks].filter((figure) => figure.value !== null);
    const daysInPeriod = daysBetween(period.start, period.end) + 1;
    return {
      channel,
      basis,
      figures,
      daysWithData: volumes.length === 0 ? 0 : Math.min(...volumes.map((figure) => figure.daysWithData)),
      daysInPeriod,
    };
  };

  // A row is ADS when the ad platforms sent anything for it over the two periods, so that its
  // change compares the same kind of clicks.
  const hasAds = (evaluator: KpiEvaluator): boolean =>
    [period, previous].some((of) => [AD_METRICS.spend, AD_METRICS.clicks, AD_METRICS.conversions].some((key) => evaluator.metric(key, of).value !== null));
  const hasData = (evaluator: KpiEvaluator): boolean => [period, previous].some((of) => metricKeys.some((key) => evaluator.metric(key, of).value !== null));

  const channels = [...byGroup(grouped)]
    .filter((entry): entry is [Channel, GroupedMetricBucket[]] => isChannel(entry[0]))
    .map(([channel, buckets]) => ({ channel, evaluator: evaluatorOf(buckets, previous.start) }))
    .filter(({ evaluator }) => hasData(evaluator))
    .map(({ channel, evaluator }) => rowOf(channel, evaluator, hasAds(evaluator) ? 'ADS' : 'TRAFFIC'))
    .sort(
      (a, b) =>
        descending(a.figures.spend.value, b.figures.spend.value) ||
        descending(a.figures.clicks.value, b.figures.clicks.value) ||
        descending(a.figures.conversions.value, b.figures.conversions.value) ||
        CHANNELS.indexOf(a.channel ?? 'OTHER') - CHANNELS.indexOf(b.channel ?? 'OTHER'),
    );
  // The total counts the ad platforms' clicks and conversions as soon as one channel has ads
  // (sessions and ad clicks do not add up); it is then the sum of the ADS rows, spend of all.
  const totalEvaluator = evaluatorOf(total, previous.start);
  const totalRow = rowOf(null, totalEvaluator, channels.some((row) => row.basis === 'ADS') ? 'ADS' : 'TRAFFIC');

  return {
    start: period.start,
    end: period.end,
    previousStart: previous.start,
    previousEnd: previous.end,
    conversionMetricKey,
    channels,
    total: { ...totalRow, targets: await totalTargets({ manager, client, catalog }, totalRow, totalEvaluator, period, options.today) },
    campaigns: await topCampaigns(aggregates, { manager, client, catalog }, byCampaign, { metricKeys, period, conversionMetricKey, evaluatorOf }),
  };
}

/**
 * The plan's targets for the total's figures, prorated to the period as the scorecard does: a
 * month takes its monthly target, a week the monthly targets brought to the week (weeklyTarget:
 * volumes prorated by the week's days in each month, ratios as they are). A ratio's target is
 * the plan's KPI of that key (cost_per_click, cost_per_acquisition, roas); a volume's is a plan
 * KPI that is exactly the metric counted (a "sessions" KPI for a TRAFFIC total's clicks).
 */
async function totalTargets(
  { manager, client, catalog }: ClientScope,
  total: ChannelFiguresRow,
  evaluator: KpiEvaluator,
  period: Period,
  today: string | undefined,
): Promise<ChannelFigureTarget[]> {
  const plan = await manager.findOneBy(KpiPlanEntity, { agencyId: client.agencyId, clientId: client.id, status: 'ACTIVE' });
  if (!plan) return [];
  const planKpiKeys = (await manager.find(PlanKpiEntity, { where: { agencyId: client.agencyId, planId: plan.id } })).map((row) => row.kpiKey);
  const targets = await findPlanTargets(manager, plan, `${period.start.slice(0, 7)}-01`, period.end);
  const bareMetric = (metricKey: string): string | undefined => planKpiKeys.find((key) => catalog.findKpi(key)?.formula.trim() === metricKey);
  const clicksMetric = total.basis === 'ADS' ? AD_METRICS.clicks : TRAFFIC_CLICKS_METRIC;
  const conversionsMetric = total.basis === 'ADS' ? AD_METRICS.conversions : trafficConversionMetric(client.businessModel);
  const kpiOf: Record<ChannelFigureKey, string | undefined> = {
    spend: bareMetric(AD_METRICS.spend),
    clicks: bareMetric(clicksMetric),
    costPerClick: planKpiKeys.includes(RATIO_KPIS.costPerClick) ? RATIO_KPIS.costPerClick : undefined,
    conversions: bareMetric(conversionsMetric),
    costPerAcquisition: planKpiKeys.includes(RATIO_KPIS.costPerAcquisition) ? RATIO_KPIS.costPerAcquisition : undefined,
    roas: planKpiKeys.includes(RATIO_KPIS.roas) ? RATIO_KPIS.roas : undefined,
  };
  const now = today ?? localDate(new Date(), client.timeZone);
  const result: ChannelFigureTarget[] = [];
  for (const figure of CHANNEL_FIGURE_KEYS) {
    const kpiKey = kpiOf[figure];
    const kpi = kpiKey === undefined ? undefined : evaluator.kpi(kpiKey);
    if (kpiKey === undefined || kpi === undefined) continue;
    const monthlyTarget = (monthStart: string): number | null => targets.get(`${kpiKey}|${monthStart}`) ?? null;
    const target = period.grain === 'WEEK' ? weekTarget(period, kpi, monthlyTarget) : monthlyTarget(period.start);
    if (target === null) continue;
    const value = evaluator.evaluate(kpiKey, period);
    const assessment = assessAgainstTarget({
      value: value.value,
      target,
      direction: kpi.direction,
      unit: kpi.unit,
      aggregation: kpi.aggregation,
      elapsedFraction: elapsedFraction(period, now),
      coveredFraction: coveredFraction(value, period, now),
    });
    result.push({ figure, kpiKey, target, attainment: assessment.attainment, status: assessment.status });
  }
  return result;
}

async function topCampaigns(
  aggregates: MetricAggregatesRepository,
  { manager, client }: ClientScope,
  buckets: readonly GroupedMetricBucket[],
  context: {
    metricKeys: readonly string[];
    period: Period;
    conversionMetricKey: string;
    evaluatorOf: (buckets: readonly MetricBucket[], from: string) => KpiEvaluator;
  },
): Promise<CampaignFigures[]> {
  const { period } = context;
  const ranked = [...byGroup(buckets)]
    .filter(([campaign]) => campaign !== '')
    .map(([campaign, list]) => {
      const evaluator = context.evaluatorOf(list, period.start);
      const metric = (key: string): number | null => evaluator.metric(key, period).value;
      const metrics = byMetric(list);
      const ads = metrics.has(AD_METRICS.spend) || metrics.has(AD_METRICS.clicks) || metrics.has(AD_METRICS.conversions);
      const basis: ChannelBasis = ads ? 'ADS' : 'TRAFFIC';
      return {
        campaign,
        basis,
        spend: metric(AD_METRICS.spend),
        clicks: metric(ads ? AD_METRICS.clicks : TRAFFIC_CLICKS_METRIC),
        conversions: metric(ads ? AD_METRICS.conversions : context.conversionMetricKey),
        costPerAcquisition: evaluator.evaluate(RATIO_KPIS.costPerAcquisition, period).value,
        roas: evaluator.evaluate(RATIO_KPIS.roas, period).value,
      };
    })
    .sort((a, b) => descending(a.spend, b.spend) || descending(a.conversions, b.conversions) || a.campaign.localeCompare(b.campaign))
    .slice(0, TOP_CAMPAIGNS);
  const channels = await aggregates.campaignChannels(
    manager,
    { agencyId: client.agencyId, clientId: client.id, metricKeys: context.metricKeys, from: period.start, to: period.end },
    ranked.map((row) => row.campaign),
  );
  return ranked.map((row) => ({ ...row, channels: channels.get(row.campaign) ?? [] }));
}

/** readChannelFigures for Nest consumers (the report snapshot assembler), on the analytics module's repository. */
@Injectable()
export class ChannelFiguresReader {
  constructor(private readonly aggregates: MetricAggregatesRepository) {}

  /** See readChannelFigures; runs in the caller's tenant transaction (`scope.manager`). */
  read(scope: ClientScope, period: Period, options: { today?: string } = {}): Promise<ChannelFigures> {
    return readChannelFigures(this.aggregates, scope, period, options);
  }
}
