import { findMetric } from '../catalog';

/**
 * Catalog metrics that the platforms report per channel and campaign — traffic (GA4 per channel
 * group), ad delivery and results (Google Ads, Meta per campaign), e-mail campaigns, and the
 * conversions analytics attribute to a session's channel — so that the value of one channel
 * is meaningful on its own and the channels add up to the total.
 *
 * The others are the business's totals: stocks (customers, MRR, subscribers), costs that no
 * channel owns (marketing_cost holds salaries and tools, after the seeds' CAC definition),
 * support, satisfaction and reviews. A KPI over any of them is BLENDED: a "CAC of paid search"
 * over the whole marketing cost would be wrong, so it is computed for the total only.
 */
export const CHANNEL_ATTRIBUTABLE_METRICS: ReadonlySet<string> = new Set([
  'visitors',
  'new_visitors',
  'sessions',
  'page_views',
  'session_duration_total',
  'bounced_sessions',
  'organic_search_sessions',
  'social_sessions',
  'email_sessions',
  'referral_sessions',
  'branded_searches',
  'orders',
  'revenue',
  'carts_created',
  'checkouts_started',
  'returning_customer_orders',
  'new_customers',
  'new_customers_paid',
  'signups',
  'trial_starts',
  'trial_conversions',
  'app_installs',
  'leads',
  'mql',
  'sql',
  'phone_calls',
  'lead_magnet_views',
  'lead_magnet_conversions',
  'resource_downloads',
  'emails_sent',
  'emails_delivered',
  'email_opens',
  'email_clicks',
  'email_unsubscribes',
  'email_conversions',
  'email_revenue',
  'ad_spend',
  'ad_impressions',
  'ad_clicks',
  'ad_conversions',
  'ad_revenue',
]);

/** Whether a KPI is computed per channel, source or campaign, or for the total only (and why). */
export type KpiBreakdownSupport = { readonly byGroup: true } | { readonly byGroup: false; readonly reason: 'BLENDED' };

/**
 * A KPI breaks down when every metric it reads is attributable to a channel; an agency's custom
 * metrics are, since their values carry the channel they were sent with. `requiredMetrics` are
 * the KPI's input metrics (AgencyCatalog.requiredMetrics).
 */
export function kpiBreakdownSupport(requiredMetrics: readonly string[]): KpiBreakdownSupport {
  const blended = requiredMetrics.some((metricKey) => findMetric(metricKey) !== undefined && !CHANNEL_ATTRIBUTABLE_METRICS.has(metricKey));
  return blended ? { byGroup: false, reason: 'BLENDED' } : { byGroup: true };
}
