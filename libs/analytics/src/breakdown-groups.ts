import {
  CHANNEL_NAMES,
  isChannel,
  kpiBreakdownSupport,
  type AgencyCatalog,
  type BreakdownDimension,
  type KpiBreakdownSupport,
  type Locale,
} from '@pilotage/kpi';

/**
 * Groups a breakdown shows one by one; the others are read together as one "others" group. A
 * breakdown multiplies a scorecard's evaluation by its groups: 8 channels never reach the cap,
 * a client's hundreds of campaigns would (an ETL can create one per ad set), and so would the
 * answer's size. 20 is more than any channel report shows (the weekly report lists the top
 * campaigns), and bounds the work at 21 × the total's.
 */
export const MAX_BREAKDOWN_GROUPS = 20;

/**
 * The volume a breakdown's groups are ranked by, the first of these the request reads: traffic
 * first (every channel has sessions in GA4, only paid ones have spend, so ranking by spend
 * would put all organic channels last), then the platforms' own volumes. Otherwise the first
 * metric read, by name.
 */
export const MAIN_VOLUME_METRICS: readonly string[] = [
  'sessions',
  'visitors',
  'ad_clicks',
  'ad_impressions',
  'ad_spend',
  'emails_sent',
  'orders',
  'leads',
  'signups',
  'revenue',
];

export function mainVolumeMetric(metricKeys: readonly string[]): string | null {
  return MAIN_VOLUME_METRICS.find((key) => metricKeys.includes(key)) ?? [...metricKeys].sort()[0] ?? null;
}

const NO_CAMPAIGN = { fr: 'Sans campagne', en: 'No campaign' } as const;
const OTHERS = { fr: 'Autres', en: 'Others' } as const;

/** A group's label in `locale`: the channel's name, the source as sent, the campaign ("No campaign" for ''), "Others" for the folded ones. */
export function breakdownGroupLabel(dimension: BreakdownDimension, key: string | null, locale: Locale): string {
  if (key === null) return OTHERS[locale];
  if (dimension === 'CHANNEL') return isChannel(key) ? CHANNEL_NAMES[key][locale] : key;
  if (dimension === 'CAMPAIGN' && key === '') return NO_CAMPAIGN[locale];
  return key;
}

/** Whether each KPI is computed per group (see kpiBreakdownSupport); an unknown KPI is not. */
export function breakdownSupportOf(catalog: AgencyCatalog, kpiKeys: readonly string[]): Map<string, KpiBreakdownSupport> {
  return new Map(
    kpiKeys.map((key) => {
      const kpi = catalog.findKpi(key);
      return [key, kpi ? kpiBreakdownSupport(catalog.requiredMetrics(kpi)) : { byGroup: false, reason: 'BLENDED' }];
    }),
  );
}
