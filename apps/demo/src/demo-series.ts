import { daysInMonth, isoWeekday, METRIC_CATALOG, type BusinessModel, type ClientTrait, type MarketingChannel, type ObjectiveKey } from '@pilotage/kpi';

/**
 * Simulated daily history of the demo clients: what their tools would have exported over two
 * years. Pure and deterministic (a seeded generator), so that every newcomer sees the same story
 * and the demo's end-to-end test can rely on it.
 */

/** Random draws a real export looks like: counts are Poisson or binomial, amounts log-normal. */
export class DemoNoise {
  private spare: number | null = null;

  constructor(private readonly uniform: () => number) {}

  next(): number {
    return this.uniform();
  }

  /** Standard normal (Box–Muller). */
  gaussian(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    const u = Math.max(this.uniform(), Number.MIN_VALUE);
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** A multiplicative factor of mean 1 (log-normal, sigma in log space). */
  factor(sigma: number): number {
    return Math.exp(sigma * this.gaussian() - (sigma * sigma) / 2);
  }

  /** Knuth's method for small means, the normal approximation above 30 (error far below the noise). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gaussian()));
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.uniform();
    while (product > limit) {
      count += 1;
      product *= this.uniform();
    }
    return count;
  }

  binomial(trials: number, probability: number): number {
    const p = Math.min(1, Math.max(0, probability));
    if (trials <= 0 || p === 0) return 0;
    if (trials > 60) {
      const mean = trials * p;
      return Math.min(trials, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * this.gaussian())));
    }
    let successes = 0;
    for (let trial = 0; trial < trials; trial += 1) if (this.uniform() < p) successes += 1;
    return successes;
  }
}

/** How a plan's target is drafted from last year's figures. */
export type DemoTargetKind =
  /** A flow (sessions, revenue): last year's total plus the ambition, split along last year's months. */
  | 'FLOW'
  /** A rate or an average: last year's monthly mean plus the ambition, held every month. */
  | 'LEVEL'
  /** A stock (subscribers, MRR): from last December's level to the year-end level, month by month. */
  | 'STOCK';

export interface DemoKpiPlan {
  readonly kpiKey: string;
  readonly objectiveKey: ObjectiveKey;
  readonly target: DemoTargetKind;
  /** Relative change on last year the plan asks for: 0.2 is 20 % more, −0.05 a cost 5 % lower. */
  readonly ambition: number;
}

/** Metrics whose export is missing for some days of the last complete month (`daysOfMonth`, 1-based). */
export interface DemoExportGap {
  readonly metricKeys: readonly string[];
  readonly daysOfMonth: readonly number[];
}

/**
 * A simulated history: one series per metric (the totals a tool would export), and `parts`, the
 * components some totals were made of (the newsletter's sends within all e-mails sent), which
 * the channel split reads so that each campaign's figure is the one that made the total.
 */
export interface DemoSimulation {
  readonly series: ReadonlyMap<string, readonly number[]>;
  readonly parts: ReadonlyMap<string, readonly number[]>;
}

export interface DemoProfile {
  readonly businessModel: BusinessModel;
  readonly seed: number;
  readonly traits: readonly ClientTrait[];
  readonly channels: readonly MarketingChannel[];
  readonly coreTarget: string;
  readonly objectiveKeys: readonly ObjectiveKey[];
  /** Plan order: the report follows it. */
  readonly kpis: readonly DemoKpiPlan[];
  /** The tool each metric is exported from (the values' source) when the channel split does not say otherwise. */
  readonly sources: Readonly<Record<string, string>>;
  /**
   * A KPI whose metrics have not been imported since the first day of the last complete month:
   * the report must say it has no data rather than show a zero.
   */
  readonly lateKpi: { readonly kpiKey: string; readonly metricKeys: readonly string[] } | null;
  readonly gaps: readonly DemoExportGap[];
  /** One value per metric and day of `days`, in the metric's unit (amounts in currency units). */
  simulate(days: readonly string[], noise: DemoNoise): DemoSimulation;
}

const METRIC_UNITS = new Map(METRIC_CATALOG.map((metric) => [metric.key, metric.unit]));

/** The text a metric value is recorded as: whole counts, cents for money, 4 decimals otherwise. */
export function formatMetricValue(metricKey: string, value: number): string {
  const unit = METRIC_UNITS.get(metricKey);
  if (unit === undefined) throw new Error(`Demo metric "${metricKey}" is not in the metric catalog`);
  if (unit === 'COUNT') return String(Math.round(value));
  if (unit === 'CURRENCY') return (Math.round(value * 100) / 100).toFixed(2);
  return (Math.round(value * 10_000) / 10_000).toFixed(4);
}

/**
 * A yearly curve given by its mid-month values (January first), interpolated linearly day by
 * day so that the daily charts have no step at the turn of a month.
 */
export function seasonal(midMonthValues: readonly number[], date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const position = month - 1 + (day - 0.5) / daysInMonth(year, month) - 0.5;
  const low = Math.floor(position);
  const fraction = position - low;
  const from = midMonthValues[(low + 12) % 12];
  const to = midMonthValues[(low + 13) % 12];
  return from + (to - from) * fraction;
}

/** Days from Black Friday (the day after the fourth Thursday of November); null outside November. */
function daysFromBlackFriday(date: string): number | null {
  if (date.slice(5, 7) !== '11') return null;
  const firstWeekday = isoWeekday(`${date.slice(0, 7)}-01`);
  const firstThursday = 1 + ((4 - firstWeekday + 7) % 7);
  return Number(date.slice(8, 10)) - (firstThursday + 22);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Collects one series per metric while a simulation walks the days. */
class SeriesRecorder {
  readonly series = new Map<string, number[]>();
  readonly parts = new Map<string, number[]>();

  put(metricKey: string, value: number): void {
    SeriesRecorder.push(this.series, metricKey, value);
  }

  /** A component of a total (recording it draws no random number: the story stays the same). */
  part(name: string, value: number): void {
    SeriesRecorder.push(this.parts, name, value);
  }

  get simulation(): DemoSimulation {
    return { series: this.series, parts: this.parts };
  }

  private static push(map: Map<string, number[]>, key: string, value: number): void {
    let values = map.get(key);
    if (!values) {
      values = [];
      map.set(key, values);
    }
    values.push(value);
  }
}

const DAYS_PER_YEAR = 365.25;

// ---- Maison Lumière: design lamps sold online, French market --------------------------------

/** Home decoration peaks with the gift season; August and February are quiet. */
const SHOP_TRAFFIC_SEASON = [0.97, 0.82, 0.88, 0.9, 0.94, 0.9, 0.86, 0.78, 0.92, 1.0, 1.22, 1.34];
const SHOP_CONVERSION_SEASON = [1.04, 0.95, 0.97, 0.98, 0.98, 1.0, 0.98, 0.94, 0.96, 0.98, 1.12, 1.16];
/** Gift baskets in December, sale baskets in January and July. */
const SHOP_BASKET_SEASON = [0.92, 0.98, 1.0, 1.0, 1.0, 0.98, 0.94, 0.98, 1.0, 1.02, 1.04, 1.12];
export const SHOP_ADS_SEASON = [0.9, 0.8, 0.9, 0.92, 0.95, 0.92, 0.82, 0.7, 0.95, 1.05, 1.55, 1.45];
/** Auctions are dearer when every shop bids for the same gift searches. */
const SHOP_ROAS_SEASON = [1.02, 1.0, 1.0, 1.0, 1.02, 1.0, 0.98, 0.96, 1.0, 0.98, 0.9, 1.04];
/** ISO weekday (Monday first): evenings and Sundays browsing, Fridays and Saturdays out. */
const SHOP_WEEKDAY = [1.07, 1.03, 1.0, 0.98, 0.9, 0.88, 1.14];
const RATINGS = [
  { rating: 5, share: 0.67 },
  { rating: 4, share: 0.2 },
  { rating: 3, share: 0.06 },
  { rating: 2, share: 0.03 },
  { rating: 1, share: 0.04 },
];

function cyberWeek(date: string): { traffic: number; conversion: number; ads: number } {
  const offset = daysFromBlackFriday(date);
  const boost: Record<number, number> = { [-1]: 1.25, 0: 2.1, 1: 1.6, 2: 1.45, 3: 1.75 };
  if (offset === null || boost[offset] === undefined) return { traffic: 1, conversion: 1, ads: 1 };
  return { traffic: boost[offset], conversion: 1 + (boost[offset] - 1) * 0.45, ads: boost[offset] };
}

function simulateShop(days: readonly string[], noise: DemoNoise): DemoSimulation {
  const out = new SeriesRecorder();
  let subscribers = 14_500;
  days.forEach((date, index) => {
    const years = index / DAYS_PER_YEAR;
    const weekday = isoWeekday(date);
    const month = Number(date.slice(5, 7));
    const peak = cyberWeek(date);

    const sessions = Math.round(2_100 * 1.22 ** years * seasonal(SHOP_TRAFFIC_SEASON, date) * SHOP_WEEKDAY[weekday - 1] * peak.traffic * noise.factor(0.07));
    const visitors = Math.round(sessions * 0.74 * noise.factor(0.02));
    // SEO work pays off slowly; sale days bring more paid and e-mail traffic.
    const organicShare = clamp((0.36 + 0.025 * years + 0.012 * noise.gaussian()) / Math.sqrt(peak.traffic), 0.15, 0.7);
    const organic = Math.round(sessions * organicShare);
    const conversion = 0.0152 * 1.06 ** years * seasonal(SHOP_CONVERSION_SEASON, date) * peak.conversion * noise.factor(0.1);
    const orders = Math.min(sessions, noise.poisson(sessions * conversion));
    const abandonment = clamp(0.715 - 0.012 * years + 0.02 * noise.gaussian(), 0.5, 0.9);
    const carts = Math.max(orders, Math.round(orders / (1 - abandonment)));
    const newCustomers = noise.binomial(orders, 0.58 + (month === 12 ? 0.07 : 0) + 0.03 * noise.gaussian());
    const basket = 74 * 1.045 ** years * seasonal(SHOP_BASKET_SEASON, date);
    const revenue = orders * basket * noise.factor(0.06);
    const adSpend = 320 * 1.15 ** years * seasonal(SHOP_ADS_SEASON, date) * peak.ads * noise.factor(0.05);
    const adRevenue = Math.min(revenue * 0.55, adSpend * 4.6 * 0.98 ** years * seasonal(SHOP_ROAS_SEASON, date) * noise.factor(0.18));
    // The agency's retainer and the tools are a monthly cost, booked day by day.
    const marketingCost = adSpend + 2_900 / daysInMonth(Number(date.slice(0, 4)), month);

    const campaignDay = weekday === 2 || weekday === 4 || (month >= 11 && weekday === 6) || peak.traffic > 1;
    const campaignSent = campaignDay ? Math.round(subscribers * 0.97) : 0;
    const optIns = noise.poisson(sessions * 0.0058);
    // Automated flows: welcome series, abandoned cart reminders, post-purchase e-mails.
    const automatedSent = noise.poisson(optIns + (carts - orders) * 0.35 + orders);
    // Two terms drawn in the order of the one expression they were written as before the split.
    const campaignOpens = campaignSent * 0.405 * 0.97 ** years * noise.factor(0.06);
    const automatedOpens = automatedSent * 0.52 * noise.factor(0.05);
    const opens = Math.round(campaignOpens + automatedOpens);
    const unsubscribes = noise.poisson(campaignSent * 0.0016 + automatedSent * 0.001);
    subscribers = Math.max(0, subscribers + optIns - unsubscribes);

    const reviews = noise.poisson(orders * 0.035);
    let ratingSum = 0;
    for (let review = 0; review < reviews; review += 1) {
      let draw = noise.next();
      const found = RATINGS.find((entry) => (draw -= entry.share) < 0) ?? RATINGS[0];
      ratingSum += found.rating;
    }

    out.put('sessions', sessions);
    out.put('visitors', visitors);
    out.put('organic_search_sessions', organic);
    out.put('orders', orders);
    out.put('carts_created', carts);
    out.put('new_customers', newCustomers);
    out.put('returning_customer_orders', orders - newCustomers);
    out.put('referral_customers', noise.binomial(newCustomers, 0.05));
    out.put('revenue', revenue);
    out.put('ad_spend', adSpend);
    out.put('ad_revenue', adRevenue);
    out.put('marketing_cost', marketingCost);
    out.put('emails_sent', campaignSent + automatedSent);
    out.put('email_opens', Math.min(opens, campaignSent + automatedSent));
    out.put('email_subscribers', subscribers);
    out.put('reviews_count', reviews);
    out.put('review_rating_sum', ratingSum);
    out.part('newsletter_sent', campaignSent);
    out.part('newsletter_opens', campaignOpens);
    out.part('automated_opens', automatedOpens);
  });
  return out.simulation;
}

export const SHOP_PROFILE: DemoProfile = {
  businessModel: 'ECOMMERCE',
  seed: 0x4d4c,
  traits: ['EMAIL_AUTOMATION'],
  channels: ['SEO', 'PAID_SEARCH', 'SOCIAL', 'EMAIL'],
  coreTarget: 'Urban homeowners aged 30–55 furnishing their home with designer lighting',
  objectiveKeys: ['INCREASE_SALES', 'RAISE_AVERAGE_BASKET'],
  kpis: [
    { kpiKey: 'sessions', objectiveKey: 'INCREASE_SALES', target: 'FLOW', ambition: 0.2 },
    { kpiKey: 'organic_traffic_share', objectiveKey: 'INCREASE_SALES', target: 'LEVEL', ambition: 0.07 },
    { kpiKey: 'customer_acquisition_cost', objectiveKey: 'INCREASE_SALES', target: 'LEVEL', ambition: -0.08 },
    { kpiKey: 'ecommerce_conversion_rate', objectiveKey: 'INCREASE_SALES', target: 'LEVEL', ambition: 0.08 },
    { kpiKey: 'cart_abandonment_rate', objectiveKey: 'INCREASE_SALES', target: 'LEVEL', ambition: -0.015 },
    { kpiKey: 'new_customers', objectiveKey: 'INCREASE_SALES', target: 'FLOW', ambition: 0.25 },
    { kpiKey: 'email_open_rate', objectiveKey: 'INCREASE_SALES', target: 'LEVEL', ambition: 0.08 },
    { kpiKey: 'email_subscribers', objectiveKey: 'INCREASE_SALES', target: 'STOCK', ambition: 0.15 },
    { kpiKey: 'revenue', objectiveKey: 'INCREASE_SALES', target: 'FLOW', ambition: 0.3 },
    { kpiKey: 'average_order_value', objectiveKey: 'RAISE_AVERAGE_BASKET', target: 'LEVEL', ambition: 0.05 },
    { kpiKey: 'roas', objectiveKey: 'INCREASE_SALES', target: 'LEVEL', ambition: 0.08 },
    { kpiKey: 'average_review_rating', objectiveKey: 'INCREASE_SALES', target: 'LEVEL', ambition: 0.02 },
  ],
  sources: {
    sessions: 'Google Analytics 4',
    visitors: 'Google Analytics 4',
    organic_search_sessions: 'Google Analytics 4',
    orders: 'Shopify',
    carts_created: 'Shopify',
    new_customers: 'Shopify',
    returning_customer_orders: 'Shopify',
    referral_customers: 'Shopify',
    revenue: 'Shopify',
    ad_spend: 'Google Ads',
    ad_revenue: 'Google Ads',
    marketing_cost: 'Accounting export',
    emails_sent: 'Brevo',
    email_opens: 'Brevo',
    email_subscribers: 'Brevo',
    reviews_count: 'Trustpilot',
    review_rating_sum: 'Trustpilot',
  },
  lateKpi: { kpiKey: 'average_review_rating', metricKeys: ['reviews_count', 'review_rating_sum'] },
  // A two-day outage of the analytics export: traffic KPIs are partial, and say so.
  gaps: [{ metricKeys: ['sessions', 'visitors', 'organic_search_sessions'], daysOfMonth: [11, 12] }],
  simulate: simulateShop,
};

// ---- Cloudly: B2B collaboration software, freemium, North America --------------------------

export const SAAS_TRAFFIC_SEASON = [1.08, 1.05, 1.06, 1.0, 0.98, 0.92, 0.86, 0.84, 1.05, 1.08, 1.0, 0.82];
/** Budgets are cut at the turn of the year: more cancellations in January. */
const SAAS_CHURN_SEASON = [1.18, 1.02, 1.0, 0.98, 0.98, 0.97, 0.96, 0.96, 1.0, 0.98, 0.98, 1.05];
/** Office software: weekdays busy, weekends quiet. */
export const SAAS_WEEKDAY = [1.16, 1.19, 1.16, 1.09, 0.95, 0.57, 0.62];
const MEAN_DAYS_PER_MONTH = DAYS_PER_YEAR / 12;
const ACTIVE_WINDOW_DAYS = 28;

function simulateSaas(days: readonly string[], noise: DemoNoise): DemoSimulation {
  const out = new SeriesRecorder();
  let customers = 3_200;
  // In cents, so that ending MRR − new − expansion + churned is exactly the starting MRR.
  let mrrCents = customers * 7_100;
  const recentSignups: number[] = [];
  let activeToday: number[] = [];
  days.forEach((date, index) => {
    const years = index / DAYS_PER_YEAR;
    const weekday = isoWeekday(date);
    const workday = weekday <= 5;

    const sessions = Math.round(4_200 * 1.32 ** years * seasonal(SAAS_TRAFFIC_SEASON, date) * SAAS_WEEKDAY[weekday - 1] * noise.factor(0.08));
    const visitors = Math.round(sessions * 0.68 * noise.factor(0.02));
    const organic = Math.round(sessions * clamp(0.41 + 0.04 * years + 0.015 * noise.gaussian(), 0.2, 0.8));
    const signups = noise.poisson(sessions * 0.021 * 1.03 ** years * noise.factor(0.08));
    // The onboarding was rebuilt some fourteen months in: activation steps up.
    const activationRate = 0.38 + 0.045 / (1 + Math.exp(-(years - 1.15) * 12));
    const activations = noise.binomial(signups, activationRate + 0.02 * noise.gaussian());
    const newCustomers = noise.poisson(signups * 0.06);
    const monthlyChurn = (0.031 - 0.0035 * years) * seasonal(SAAS_CHURN_SEASON, date);
    const lost = Math.min(customers, noise.poisson((customers * monthlyChurn) / MEAN_DAYS_PER_MONTH));
    customers += newCustomers - lost;

    const newMrr = Math.round(newCustomers * 6_400 * 1.04 ** years * noise.factor(0.15));
    const churnedMrr = Math.min(mrrCents, Math.round(lost * 5_800 * 1.04 ** years * noise.factor(0.2)));
    const expansionMrr = Math.round(((mrrCents * 0.008) / MEAN_DAYS_PER_MONTH) * noise.factor(0.5));
    mrrCents += newMrr + expansionMrr - churnedMrr;
    const recurringCents = Math.round((mrrCents * 12) / 365);
    // Onboarding packages, sold now and then on a workday.
    const servicesCents = workday && noise.next() < 0.12 ? 49_900 : 0;

    recentSignups.push(signups);
    if (recentSignups.length > ACTIVE_WINDOW_DAYS) recentSignups.shift();
    const monthlyActive = Math.round(customers * 2.9 * noise.factor(0.01) + 0.3 * recentSignups.reduce((sum, value) => sum + value, 0));
    const dailyActive = monthlyActive * clamp(0.265 + 0.03 * years, 0.1, 0.6) * (workday ? 1.18 : 0.55) * noise.factor(0.03);
    // Product analytics report daily actives as a 28-day average, read at the end of the period.
    activeToday.push(dailyActive);
    if (activeToday.length > ACTIVE_WINDOW_DAYS) activeToday = activeToday.slice(1);

    const responses = noise.poisson(workday ? 4.5 : 1.5);
    const promoterShare = 0.47 + 0.03 * years;
    const detractorShare = 0.17 - 0.015 * years;
    let promoters = 0;
    let detractors = 0;
    for (let response = 0; response < responses; response += 1) {
      const draw = noise.next();
      if (draw < promoterShare) promoters += 1;
      else if (draw > 1 - detractorShare) detractors += 1;
    }

    out.put('sessions', sessions);
    out.put('visitors', visitors);
    out.put('organic_search_sessions', organic);
    out.put('signups', signups);
    out.put('referral_signups', noise.binomial(signups, 0.07));
    out.put('activations', activations);
    out.put('new_customers', newCustomers);
    out.put('customers_lost', lost);
    out.put('customers_total', customers);
    out.put('mrr', mrrCents / 100);
    out.put('new_mrr', newMrr / 100);
    out.put('expansion_mrr', expansionMrr / 100);
    out.put('churned_mrr', churnedMrr / 100);
    out.put('recurring_revenue', recurringCents / 100);
    out.put('revenue', (recurringCents + servicesCents) / 100);
    out.put('monthly_active_users', monthlyActive);
    out.put('daily_active_users', Math.round(activeToday.reduce((sum, value) => sum + value, 0) / activeToday.length));
    out.put('nps_promoters', promoters);
    out.put('nps_passives', responses - promoters - detractors);
    out.put('nps_detractors', detractors);
  });
  return out.simulation;
}

export const SAAS_PROFILE: DemoProfile = {
  businessModel: 'SAAS',
  seed: 0xc10d,
  traits: ['FREEMIUM', 'SUBSCRIPTION'],
  channels: ['SEO', 'PAID_SEARCH', 'CONTENT', 'EMAIL'],
  coreTarget: 'Operations leads of 20–200 person companies who run projects across several offices',
  objectiveKeys: ['GROW_CUSTOMER_BASE', 'IMPROVE_RETENTION'],
  kpis: [
    { kpiKey: 'signups', objectiveKey: 'GROW_CUSTOMER_BASE', target: 'FLOW', ambition: 0.3 },
    { kpiKey: 'organic_traffic_share', objectiveKey: 'GROW_CUSTOMER_BASE', target: 'LEVEL', ambition: 0.12 },
    { kpiKey: 'new_customers', objectiveKey: 'GROW_CUSTOMER_BASE', target: 'FLOW', ambition: 0.4 },
    { kpiKey: 'activation_rate', objectiveKey: 'IMPROVE_RETENTION', target: 'LEVEL', ambition: 0.1 },
    { kpiKey: 'churn_rate', objectiveKey: 'IMPROVE_RETENTION', target: 'LEVEL', ambition: -0.15 },
    { kpiKey: 'net_revenue_retention', objectiveKey: 'IMPROVE_RETENTION', target: 'LEVEL', ambition: 0.003 },
    { kpiKey: 'stickiness', objectiveKey: 'IMPROVE_RETENTION', target: 'LEVEL', ambition: 0.12 },
    { kpiKey: 'total_customers', objectiveKey: 'GROW_CUSTOMER_BASE', target: 'STOCK', ambition: 0.35 },
    { kpiKey: 'mrr', objectiveKey: 'GROW_CUSTOMER_BASE', target: 'STOCK', ambition: 0.45 },
    { kpiKey: 'average_revenue_per_account', objectiveKey: 'IMPROVE_RETENTION', target: 'LEVEL', ambition: 0.08 },
    { kpiKey: 'customer_lifetime_value', objectiveKey: 'IMPROVE_RETENTION', target: 'LEVEL', ambition: 0.15 },
    { kpiKey: 'nps', objectiveKey: 'IMPROVE_RETENTION', target: 'LEVEL', ambition: 0.1 },
  ],
  sources: {
    sessions: 'Google Analytics 4',
    visitors: 'Google Analytics 4',
    organic_search_sessions: 'Google Analytics 4',
    signups: 'HubSpot',
    referral_signups: 'HubSpot',
    activations: 'Firebase Analytics',
    new_customers: 'Stripe',
    customers_lost: 'Stripe',
    customers_total: 'Stripe',
    mrr: 'Stripe',
    new_mrr: 'Stripe',
    expansion_mrr: 'Stripe',
    churned_mrr: 'Stripe',
    recurring_revenue: 'Stripe',
    revenue: 'Stripe',
    monthly_active_users: 'Firebase Analytics',
    daily_active_users: 'Firebase Analytics',
    nps_promoters: 'Hotjar',
    nps_passives: 'Hotjar',
    nps_detractors: 'Hotjar',
  },
  lateKpi: null,
  // The product analytics export skipped a day mid-month; stocks are read at month end, unaffected.
  gaps: [{ metricKeys: ['activations'], daysOfMonth: [17] }],
  simulate: simulateSaas,
};

export const DEMO_PROFILES: readonly DemoProfile[] = [SHOP_PROFILE, SAAS_PROFILE];
