import type { CustomKpiDefinition } from '../catalog/agency-catalog';
import type { BusinessModel, FunnelStage } from '../domain';

/** What every step of a funnel counts: people (visitors, accounts, leads) or events (sessions, orders). */
export const FUNNEL_COUNTS = ['PEOPLE', 'EVENTS'] as const;
export type FunnelCount = (typeof FUNNEL_COUNTS)[number];

export interface FunnelStepDefinition {
  readonly stage: FunnelStage;
  /** A count metric (COUNT unit, summed over the period). */
  readonly metricKey: string;
  /**
   * The catalog KPI whose formula is exactly this step / the step above (the conversion KPI a
   * plan may hold), or null when the catalog has none: the rate is then `rateFormula`.
   */
  readonly rateKpiKey: string | null;
}

export interface FunnelDefinition {
  readonly counts: FunnelCount;
  /** Top to bottom; each step counts a subset of what the step above counts. */
  readonly steps: readonly FunnelStepDefinition[];
  /**
   * The plan KPIs that can stand for "the revenue", by preference: the report shows one revenue
   * figure, the scorecard's, next to the funnel and never as a stage (money is not a count).
   */
  readonly revenueKpiKeys: readonly string[];
  /** Shown, named, when the plan has none of `revenueKpiKeys`. */
  readonly revenueMetricKey: string;
}

/**
 * One funnel per business model, the seeds' stage-after-stage reading ("track one stage after
 * another") kept to the steps where each one is a subset of the one above, all counting the same
 * kind of thing, so that every stage-to-stage rate is a share of the step above:
 * - e-commerce counts events: sessions → orders (the conversion rate is orders / sessions, a
 *   session converts by ordering) → orders of customers who had ordered before (repeat purchase
 *   rate). Visitors → orders mixed people with events (a visitor makes several sessions and
 *   orders), which is why that funnel's 2.9 % disagreed with the 2.1 % conversion KPI.
 * - the others count people: visitors → sign-ups → activated accounts, installs → sign-ups →
 *   activations, visitors → leads → MQL → SQL → new customers.
 * Left out: revenue (money, shown apart) and referral or reviews (referred customers are not a
 * subset of repeat orders, reviews not of customers: dividing them gave the "referral 7.1 %"
 * that meant nothing). New paying customers of a SaaS are not a subset of the month's
 * activations (a sales-led account pays before it activates), so the SaaS funnel stops there.
 * A cohort walks down over weeks while a period's steps are counted in the same days; the
 * catalog's conversion KPIs make the same approximation, and the funnel's rates are theirs.
 */
export const FUNNELS: Readonly<Record<BusinessModel, FunnelDefinition>> = {
  ECOMMERCE: {
    counts: 'EVENTS',
    steps: [
      { stage: 'ACQUISITION', metricKey: 'sessions', rateKpiKey: null },
      { stage: 'CONVERSION', metricKey: 'orders', rateKpiKey: 'ecommerce_conversion_rate' },
      { stage: 'ENGAGEMENT', metricKey: 'returning_customer_orders', rateKpiKey: 'repeat_purchase_rate' },
    ],
    revenueKpiKeys: ['revenue', 'net_revenue'],
    revenueMetricKey: 'revenue',
  },
  SAAS: {
    counts: 'PEOPLE',
    steps: [
      { stage: 'ACQUISITION', metricKey: 'visitors', rateKpiKey: null },
      { stage: 'CONVERSION', metricKey: 'signups', rateKpiKey: null },
      { stage: 'ENGAGEMENT', metricKey: 'activations', rateKpiKey: 'activation_rate' },
    ],
    // A subscription business reads its revenue as MRR (a stock at the period's end); the
    // period's collected recurring revenue is another, different figure.
    revenueKpiKeys: ['mrr', 'revenue', 'net_revenue'],
    revenueMetricKey: 'mrr',
  },
  MOBILE_APP: {
    counts: 'PEOPLE',
    steps: [
      { stage: 'ACQUISITION', metricKey: 'app_installs', rateKpiKey: null },
      { stage: 'CONVERSION', metricKey: 'signups', rateKpiKey: 'install_to_signup_rate' },
      { stage: 'ENGAGEMENT', metricKey: 'activations', rateKpiKey: 'activation_rate' },
    ],
    revenueKpiKeys: ['revenue', 'net_revenue', 'mrr'],
    revenueMetricKey: 'revenue',
  },
  B2B_SERVICES: {
    counts: 'PEOPLE',
    steps: [
      { stage: 'ACQUISITION', metricKey: 'visitors', rateKpiKey: null },
      { stage: 'CONVERSION', metricKey: 'leads', rateKpiKey: 'visitor_to_lead_rate' },
      { stage: 'CONVERSION', metricKey: 'mql', rateKpiKey: 'lead_to_mql_rate' },
      { stage: 'CONVERSION', metricKey: 'sql', rateKpiKey: 'mql_to_sql_rate' },
      { stage: 'CONVERSION', metricKey: 'new_customers', rateKpiKey: 'sql_to_customer_rate' },
    ],
    revenueKpiKeys: ['revenue', 'net_revenue', 'mrr'],
    revenueMetricKey: 'revenue',
  },
  LEAD_GEN_LOCAL: {
    counts: 'PEOPLE',
    steps: [
      { stage: 'ACQUISITION', metricKey: 'visitors', rateKpiKey: null },
      { stage: 'CONVERSION', metricKey: 'leads', rateKpiKey: 'visitor_to_lead_rate' },
      { stage: 'CONVERSION', metricKey: 'new_customers', rateKpiKey: 'lead_to_customer_rate' },
    ],
    revenueKpiKeys: ['revenue', 'net_revenue'],
    revenueMetricKey: 'revenue',
  },
  MEDIA: {
    counts: 'PEOPLE',
    steps: [
      { stage: 'ACQUISITION', metricKey: 'visitors', rateKpiKey: null },
      { stage: 'CONVERSION', metricKey: 'signups', rateKpiKey: null },
      { stage: 'ENGAGEMENT', metricKey: 'activations', rateKpiKey: 'activation_rate' },
    ],
    revenueKpiKeys: ['revenue', 'net_revenue', 'mrr'],
    revenueMetricKey: 'revenue',
  },
};

/** `signups / visitors`: a step's rate as a formula over the two counts. */
export function funnelRateFormula(step: FunnelStepDefinition, above: FunnelStepDefinition): string {
  return `${step.metricKey} / ${above.metricKey}`;
}

/**
 * The KPI that gives a step's rate: the catalog's conversion KPI, or, where the catalog has
 * none, a KPI of the funnel's own (`funnel_rate:signups/visitors`) defined by the same division,
 * so that every rate goes through the one KPI engine and its coverage rules.
 */
export function funnelRateKpiKey(step: FunnelStepDefinition, above: FunnelStepDefinition): string {
  return step.rateKpiKey ?? `funnel_rate:${step.metricKey}/${above.metricKey}`;
}

/** The funnel's own rate KPIs (steps without a catalog KPI), to add to the agency's catalog when evaluating. */
export function funnelRateKpis(model: BusinessModel): CustomKpiDefinition[] {
  const steps = FUNNELS[model].steps;
  return steps.flatMap((step, index): CustomKpiDefinition[] => {
    const above = steps[index - 1];
    if (above === undefined || step.rateKpiKey !== null) return [];
    return [
      {
        key: funnelRateKpiKey(step, above),
        name: funnelRateKpiKey(step, above),
        description: '',
        stage: step.stage,
        category: 'conversion',
        unit: 'PERCENT',
        direction: 'HIGHER_IS_BETTER',
        aggregation: 'LEVEL',
        formula: funnelRateFormula(step, above),
        businessModels: [model],
      },
    ];
  });
}

/** The one revenue figure of a report: the plan's revenue KPI when it has one, otherwise the revenue metric, named. */
export type FunnelRevenueSource = { readonly kind: 'KPI'; readonly kpiKey: string } | { readonly kind: 'METRIC'; readonly metricKey: string };

export function funnelRevenueSource(model: BusinessModel, planKpiKeys: readonly string[]): FunnelRevenueSource {
  const definition = FUNNELS[model];
  const kpiKey = definition.revenueKpiKeys.find((key) => planKpiKeys.includes(key));
  return kpiKey === undefined ? { kind: 'METRIC', metricKey: definition.revenueMetricKey } : { kind: 'KPI', kpiKey };
}

/** A step's count over the period, with the days its data covers. */
export interface FunnelCountValue {
  readonly value: number | null;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
}

export interface FunnelStepValue {
  readonly stage: FunnelStage;
  readonly metricKey: string;
  /** null when the step has no data (missing is not zero). */
  readonly value: number | null;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
  /** The KPI the rate is: a catalog key, or the funnel's own (`funnel_rate:…`); null for the top step. */
  readonly rateKpiKey: string | null;
  /** Share of the step above that reached this one (a fraction; the plan's KPI value when the plan has `rateKpiKey`); null when either step is missing. */
  readonly conversionFromPrevious: number | null;
}

/**
 * The steps of a model's funnel from their counts and their rates' KPI values (`rates`, by
 * `funnelRateKpiKey`). A missing step stays null (never 0) and the rates into and out of it
 * are null: no rate divides across a gap.
 */
export function computeFunnel(
  model: BusinessModel,
  counts: (metricKey: string) => FunnelCountValue,
  rates: (rateKpiKey: string) => number | null,
): FunnelStepValue[] {
  const steps = FUNNELS[model].steps;
  const values = steps.map((step) => counts(step.metricKey));
  return steps.map((step, index) => {
    const above = steps[index - 1];
    const count = values[index];
    const rateKpiKey = above === undefined ? null : funnelRateKpiKey(step, above);
    const aboveValue = values[index - 1]?.value ?? null;
    const conversionFromPrevious = rateKpiKey === null || aboveValue === null || count.value === null ? null : rates(rateKpiKey);
    return { stage: step.stage, metricKey: step.metricKey, ...count, rateKpiKey, conversionFromPrevious };
  });
}
