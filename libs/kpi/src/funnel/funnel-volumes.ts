import type { BusinessModel, FunnelStage } from '../domain';
import { FUNNEL_STAGES } from '../domain';

/**
 * The count that measures how many people reach each funnel stage, per business model, so a
 * funnel reads stage to stage ("visitors → orders → repeat orders → …"). The seeds track one
 * stage after another so that an acquisition action's effect can be followed down the funnel.
 * REVENUE is measured in money: it is shown, but no conversion rate is computed into or out of it.
 */
export const FUNNEL_VOLUMES: Readonly<Record<BusinessModel, Readonly<Record<FunnelStage, string>>>> = {
  ECOMMERCE: {
    ACQUISITION: 'visitors',
    CONVERSION: 'orders',
    ENGAGEMENT: 'returning_customer_orders',
    REVENUE: 'revenue',
    REFERRAL: 'referral_customers',
  },
  SAAS: {
    ACQUISITION: 'visitors',
    CONVERSION: 'signups',
    ENGAGEMENT: 'activations',
    REVENUE: 'recurring_revenue',
    REFERRAL: 'referral_signups',
  },
  MOBILE_APP: {
    ACQUISITION: 'app_installs',
    CONVERSION: 'signups',
    ENGAGEMENT: 'activations',
    REVENUE: 'revenue',
    REFERRAL: 'referral_signups',
  },
  B2B_SERVICES: {
    ACQUISITION: 'visitors',
    CONVERSION: 'leads',
    ENGAGEMENT: 'sql',
    REVENUE: 'revenue',
    REFERRAL: 'referral_customers',
  },
  LEAD_GEN_LOCAL: {
    ACQUISITION: 'visitors',
    CONVERSION: 'leads',
    ENGAGEMENT: 'new_customers',
    REVENUE: 'revenue',
    REFERRAL: 'reviews_count',
  },
  MEDIA: {
    ACQUISITION: 'visitors',
    CONVERSION: 'signups',
    ENGAGEMENT: 'activations',
    REVENUE: 'revenue',
    REFERRAL: 'referral_signups',
  },
};

/** Stages whose volume is money, not people: no stage-to-stage rate goes through them. */
const MONEY_STAGES: ReadonlySet<FunnelStage> = new Set(['REVENUE']);

export interface FunnelStageVolume {
  readonly stage: FunnelStage;
  readonly metricKey: string;
  readonly value: number | null;
  /** Share of the previous counted stage that reached this one (a fraction); null when unknown. */
  readonly conversionFromPrevious: number | null;
}

/**
 * Stage-to-stage conversion: each counted stage divided by the previous counted stage (the
 * money stage is skipped). Missing data or a zero denominator gives no rate, never 0.
 */
export function computeFunnel(model: BusinessModel, values: Readonly<Record<string, number | null | undefined>>): FunnelStageVolume[] {
  const volumes = FUNNEL_VOLUMES[model];
  let previous: number | null | undefined;
  return FUNNEL_STAGES.map((stage, index) => {
    const metricKey = volumes[stage];
    const value = values[metricKey] ?? null;
    if (MONEY_STAGES.has(stage)) return { stage, metricKey, value, conversionFromPrevious: null };
    const conversionFromPrevious = index === 0 || previous === null || previous === undefined || previous === 0 || value === null ? null : value / previous;
    previous = value;
    return { stage, metricKey, value, conversionFromPrevious };
  });
}
