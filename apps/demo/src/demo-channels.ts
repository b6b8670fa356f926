import { isoWeekday, METRIC_CATALOG, type BusinessModel, type Channel } from '@pilotage/kpi';
import { type DemoNoise, formatMetricValue, SAAS_TRAFFIC_SEASON, SAAS_WEEKDAY, seasonal, type DemoProfile, type DemoSimulation } from './demo-series';

/**
 * The demo clients' figures as their platforms export them: per channel and campaign. A total
 * the simulation drew (a day's sessions, ad spend, orders) is split over channels and
 * campaigns so that the parts add up exactly to the figure the demo recorded before it had
 * channels (same whole counts, same cents): the clients' story and KPIs do not change. Ad
 * delivery (clicks, impressions, conversions) is new: it has no total to respect.
 *
 * The split draws from its own random stream, so the totals' stream is untouched.
 */

/** One recorded value: a CSV line of the demo's import. */
export interface DemoChannelValue {
  readonly metricKey: string;
  readonly date: string;
  readonly value: string;
  readonly source: string;
  readonly channel: Channel;
  /** '' when the platform reports no campaign (GA4 channel groups, Shopify). */
  readonly campaign: string;
}

/** A campaign of an ad platform, with the economics its figures are drawn from. */
interface DemoCampaign {
  readonly channel: 'PAID_SEARCH' | 'PAID_SOCIAL';
  readonly source: string;
  readonly name: string;
  /** Mean share of the client's daily ad budget. */
  readonly budgetShare: number;
  /** Mean cost per click, in the client's currency. */
  readonly costPerClick: number;
  /** Mean click-through rate (clicks / impressions). */
  readonly clickThroughRate: number;
  /** Shop: relative return; brand and retargeting campaigns bring back more per unit spent than prospecting. */
  readonly returnFactor?: number;
  /** SaaS: conversions per click the platform counts (free-trial sign-ups). */
  readonly conversionRate?: number;
}

/** A part of a day's total, before formatting. */
interface DemoPart {
  readonly metricKey: string;
  readonly source: string;
  readonly channel: Channel;
  readonly campaign: string;
  /** In the metric's unit: whole counts, or an amount that is a whole number of cents. */
  readonly value: number;
}

/** What a day's split reads: each metric's simulated total and parts. */
interface DemoDay {
  readonly date: string;
  readonly years: number;
  total(metricKey: string): number;
  part(name: string): number;
}

/**
 * Splits a whole-number `total` in proportion to `weights` by largest remainder (Hamilton's
 * method): the parts are whole numbers that add up to the total exactly. Without any positive
 * weight the total goes to the first part.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`Only a non-negative whole total can be apportioned, not ${total}`);
  const positive = weights.map((weight) => (Number.isFinite(weight) && weight > 0 ? weight : 0));
  const sum = positive.reduce((acc, weight) => acc + weight, 0);
  if (positive.length === 0) throw new RangeError('Nothing to apportion a total to');
  if (sum === 0) return positive.map((_, index) => (index === 0 ? total : 0));
  const quotas = positive.map((weight) => (total * weight) / sum);
  const parts = quotas.map(Math.floor);
  let left = total - parts.reduce((acc, part) => acc + part, 0);
  const byRemainder = quotas
    .map((quota, index) => ({ index, remainder: quota - Math.floor(quota) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    parts[index] += 1;
    left -= 1;
  }
  return parts;
}

const CURRENCY_METRICS: ReadonlySet<string> = new Set(METRIC_CATALOG.filter((metric) => metric.unit === 'CURRENCY').map((metric) => metric.key));

/** A recorded total in whole units: cents for money (as formatMetricValue rounds it), counts otherwise. */
function units(metricKey: string, value: number): number {
  return CURRENCY_METRICS.has(metricKey) ? Math.round(value * 100) : Math.round(value);
}

function fromUnits(metricKey: string, whole: number): number {
  return CURRENCY_METRICS.has(metricKey) ? whole / 100 : whole;
}

/** Splits `metricKey`'s total of the day over `targets` in proportion to `weights`. */
function split(day: DemoDay, metricKey: string, targets: ReadonlyArray<Omit<DemoPart, 'metricKey' | 'value'>>, weights: readonly number[]): DemoPart[] {
  const parts = apportion(units(metricKey, day.total(metricKey)), weights);
  return targets.map((target, index) => ({ ...target, metricKey, value: fromUnits(metricKey, parts[index]) }));
}

interface CampaignDay {
  readonly campaign: DemoCampaign;
  readonly spend: number;
  readonly clicks: number;
}

/** Each campaign's spend, with the clicks it bought and the impressions they took. */
function adDelivery(campaigns: readonly CampaignDay[], noise: DemoNoise): DemoPart[] {
  const parts: DemoPart[] = [];
  for (const { campaign, spend, clicks } of campaigns) {
    const target = { source: campaign.source, channel: campaign.channel, campaign: campaign.name };
    parts.push({ ...target, metricKey: 'ad_spend', value: spend });
    parts.push({ ...target, metricKey: 'ad_clicks', value: clicks });
    parts.push({ ...target, metricKey: 'ad_impressions', value: Math.round(clicks / (campaign.clickThroughRate * noise.factor(0.1))) });
  }
  return parts;
}

/** Spend per campaign (in cents, adding up to `spendCents`) and the clicks it bought. */
function campaignDays(campaigns: readonly DemoCampaign[], spendCents: number, noise: DemoNoise): CampaignDay[] {
  const spend = apportion(
    spendCents,
    campaigns.map((campaign) => campaign.budgetShare * noise.factor(0.12)),
  );
  return campaigns.map((campaign, index) => ({
    campaign,
    spend: spend[index] / 100,
    clicks: noise.poisson(spend[index] / 100 / (campaign.costPerClick * noise.factor(0.08))),
  }));
}

const sumClicks = (days: readonly CampaignDay[], channel: DemoCampaign['channel']): number =>
  days.filter((day) => day.campaign.channel === channel).reduce((sum, day) => sum + day.clicks, 0);

// ---- Maison Lumière ---------------------------------------------------------------------------

const GA4 = 'Google Analytics 4';

/** Google Ads and Meta campaigns of a French design-lighting shop; names as the agency set them up. */
const SHOP_CAMPAIGNS: readonly DemoCampaign[] = [
  {
    channel: 'PAID_SEARCH',
    source: 'Google Ads',
    name: 'Shopping – Luminaires design',
    budgetShare: 0.42,
    costPerClick: 0.38,
    clickThroughRate: 0.011,
    returnFactor: 1.15,
  },
  {
    channel: 'PAID_SEARCH',
    source: 'Google Ads',
    name: 'Search – Marque Maison Lumière',
    budgetShare: 0.08,
    costPerClick: 0.22,
    clickThroughRate: 0.18,
    returnFactor: 2.6,
  },
  {
    channel: 'PAID_SEARCH',
    source: 'Google Ads',
    name: 'Search – Suspensions et appliques',
    budgetShare: 0.2,
    costPerClick: 0.61,
    clickThroughRate: 0.052,
    returnFactor: 0.85,
  },
  {
    channel: 'PAID_SOCIAL',
    source: 'Meta Ads',
    name: 'Instagram – Nouvelle collection',
    budgetShare: 0.18,
    costPerClick: 0.34,
    clickThroughRate: 0.009,
    returnFactor: 0.55,
  },
  {
    channel: 'PAID_SOCIAL',
    source: 'Meta Ads',
    name: 'Facebook – Retargeting paniers',
    budgetShare: 0.12,
    costPerClick: 0.29,
    clickThroughRate: 0.014,
    returnFactor: 1.2,
  },
];

/** Orders per session relative to the shop's average, by channel: e-mail and direct visitors already know the shop. */
const SHOP_ORDER_PROPENSITY: Readonly<Partial<Record<Channel, number>>> = {
  PAID_SEARCH: 1.15,
  PAID_SOCIAL: 0.55,
  ORGANIC_SEARCH: 1,
  EMAIL: 1.9,
  DIRECT: 1.35,
};

function splitShopDay(day: DemoDay, noise: DemoNoise): DemoPart[] {
  const ads = campaignDays(SHOP_CAMPAIGNS, units('ad_spend', day.total('ad_spend')), noise);
  const parts = adDelivery(ads, noise);
  const adRevenue = split(
    day,
    'ad_revenue',
    ads.map(({ campaign }) => ({ source: campaign.source, channel: campaign.channel, campaign: campaign.name })),
    ads.map(({ campaign, spend }) => spend * (campaign.returnFactor ?? 1) * noise.factor(0.25)),
  );
  parts.push(...adRevenue);
  // The platform counts an order for each ~basket of revenue it attributes to itself.
  const basket = day.total('orders') > 0 ? day.total('revenue') / day.total('orders') : 80;
  for (const revenue of adRevenue) {
    parts.push({ ...revenue, metricKey: 'ad_conversions', value: noise.poisson(revenue.value / basket) });
  }

  // GA4's default channel groups: organic search is recorded as such; the other sessions go to
  // the paid channels as their clicks land (some clicks never load the page), to e-mail as its
  // opens click through, and what is left is direct.
  const organic = day.total('organic_search_sessions');
  const nonOrganic = day.total('sessions') - organic;
  const paidSearch = sumClicks(ads, 'PAID_SEARCH') * 0.88;
  const paidSocial = sumClicks(ads, 'PAID_SOCIAL') * 0.72;
  const email = (day.part('newsletter_opens') * 0.09 + day.part('automated_opens') * 0.12) * noise.factor(0.1);
  const direct = Math.max(nonOrganic * 0.25, nonOrganic - paidSearch - paidSocial - email);
  const channels: Channel[] = ['PAID_SEARCH', 'PAID_SOCIAL', 'EMAIL', 'DIRECT'];
  const sessions = [
    { source: GA4, channel: 'ORGANIC_SEARCH' as Channel, campaign: '', metricKey: 'sessions', value: organic },
    ...split(
      { ...day, total: () => nonOrganic },
      'sessions',
      channels.map((channel) => ({ source: GA4, channel, campaign: '' })),
      [paidSearch, paidSocial, email, direct],
    ),
  ];
  parts.push(...sessions);
  parts.push({ source: GA4, channel: 'ORGANIC_SEARCH', campaign: '', metricKey: 'organic_search_sessions', value: organic });
  const byChannel = sessions.map(({ source, channel, campaign }) => ({ source, channel, campaign }));
  parts.push(
    ...split(
      day,
      'visitors',
      byChannel,
      sessions.map((part) => part.value),
    ),
  );

  // Shopify's sales attributed to marketing (last non-direct click, UTM parameters).
  const shopify = sessions.map(({ channel }) => ({ source: 'Shopify', channel, campaign: '' }));
  const orders = split(
    day,
    'orders',
    shopify,
    sessions.map((part) => part.value * (SHOP_ORDER_PROPENSITY[part.channel] ?? 1) * noise.factor(0.15)),
  );
  parts.push(...orders);
  const revenueWeights = day.total('orders') > 0 ? orders.map((part) => part.value * noise.factor(0.08)) : sessions.map((part) => part.value);
  parts.push(...split(day, 'revenue', shopify, revenueWeights));

  // Brevo reports each campaign: the newsletter on the days it is sent, the automated flows every day.
  const newsletterSent = day.part('newsletter_sent');
  const newsletter = { source: 'Brevo', channel: 'EMAIL' as Channel, campaign: 'Newsletter – Nouveautés & inspirations' };
  const automated = { source: 'Brevo', channel: 'EMAIL' as Channel, campaign: 'Automatisations – Bienvenue, panier, après-achat' };
  const sent = split(day, 'emails_sent', [newsletter, automated], [newsletterSent, day.total('emails_sent') - newsletterSent]);
  const opens = split(day, 'email_opens', [newsletter, automated], [day.part('newsletter_opens'), day.part('automated_opens')]);
  // A newsletter not sent that day is not in the day's campaign report (its opens are then 0 too).
  parts.push(...[...sent, ...opens].filter((part) => newsletterSent > 0 || part.campaign !== newsletter.campaign));
  return parts;
}

/** Where the shop's other figures come from: one value a day each, the whole business. */
const SHOP_CHANNELS: Readonly<Record<string, Channel>> = {
  email_subscribers: 'EMAIL',
};

// ---- Cloudly ----------------------------------------------------------------------------------

/**
 * Google Ads and LinkedIn Ads campaigns of a B2B collaboration tool; conversions are free-trial
 * sign-ups as the platforms count them, some 1.5 times what HubSpot attributes to paid channels
 * (view-through and cross-device conversions), as agencies see in practice.
 */
const SAAS_CAMPAIGNS: readonly DemoCampaign[] = [
  {
    channel: 'PAID_SEARCH',
    source: 'Google Ads',
    name: 'Search – Project management software',
    budgetShare: 0.45,
    costPerClick: 3.1,
    clickThroughRate: 0.045,
    conversionRate: 0.032,
  },
  {
    channel: 'PAID_SEARCH',
    source: 'Google Ads',
    name: 'Search – Brand',
    budgetShare: 0.1,
    costPerClick: 1.2,
    clickThroughRate: 0.21,
    conversionRate: 0.055,
  },
  {
    channel: 'PAID_SEARCH',
    source: 'Google Ads',
    name: 'Search – Competitor alternatives',
    budgetShare: 0.15,
    costPerClick: 4.2,
    clickThroughRate: 0.03,
    conversionRate: 0.025,
  },
  {
    channel: 'PAID_SOCIAL',
    source: 'LinkedIn Ads',
    name: 'Ops leaders – Free trial',
    budgetShare: 0.18,
    costPerClick: 6.8,
    clickThroughRate: 0.006,
    conversionRate: 0.018,
  },
  {
    channel: 'PAID_SOCIAL',
    source: 'LinkedIn Ads',
    name: 'Retargeting – Pricing page visitors',
    budgetShare: 0.12,
    costPerClick: 4.9,
    clickThroughRate: 0.009,
    conversionRate: 0.035,
  },
];

/**
 * Value of a trial sign-up as Cloudly reports it to the ad platforms: ~6 % of trials become
 * customers paying ~64 $ a month, counted over a year (6 % × 64 × 12 ≈ 46 $).
 */
const SAAS_TRIAL_VALUE = 46;

/** Sign-ups per session relative to the average, by channel (HubSpot's original source). */
const SAAS_SIGNUP_PROPENSITY: Readonly<Partial<Record<Channel, number>>> = {
  PAID_SEARCH: 1.6,
  PAID_SOCIAL: 0.9,
  ORGANIC_SEARCH: 1,
  EMAIL: 1.6,
  REFERRAL: 1.5,
  DIRECT: 0.9,
};

function splitSaasDay(day: DemoDay, noise: DemoNoise): DemoPart[] {
  // Cloudly buys ads on workdays mostly, more as it grows; the budget follows the traffic's seasons.
  const weekday = isoWeekday(day.date);
  const budget = 1_450 * 1.2 ** day.years * seasonal(SAAS_TRAFFIC_SEASON, day.date) * SAAS_WEEKDAY[weekday - 1] * noise.factor(0.06);
  const ads = campaignDays(SAAS_CAMPAIGNS, Math.round(budget * 100), noise);
  const parts = adDelivery(ads, noise);
  for (const { campaign, clicks } of ads) {
    const conversions = noise.binomial(clicks, campaign.conversionRate ?? 0);
    const target = { source: campaign.source, channel: campaign.channel, campaign: campaign.name };
    parts.push({ ...target, metricKey: 'ad_conversions', value: conversions });
    parts.push({ ...target, metricKey: 'ad_revenue', value: Math.round(conversions * SAAS_TRIAL_VALUE * noise.factor(0.2) * 100) / 100 });
  }

  const organic = day.total('organic_search_sessions');
  const nonOrganic = day.total('sessions') - organic;
  const paidSearch = sumClicks(ads, 'PAID_SEARCH') * 0.9;
  const paidSocial = sumClicks(ads, 'PAID_SOCIAL') * 0.75;
  const email = nonOrganic * 0.07 * noise.factor(0.15);
  const referral = nonOrganic * 0.12 * noise.factor(0.1);
  const direct = Math.max(nonOrganic * 0.2, nonOrganic - paidSearch - paidSocial - email - referral);
  const channels: Channel[] = ['PAID_SEARCH', 'PAID_SOCIAL', 'EMAIL', 'REFERRAL', 'DIRECT'];
  const sessions = [
    { source: GA4, channel: 'ORGANIC_SEARCH' as Channel, campaign: '', metricKey: 'sessions', value: organic },
    ...split(
      { ...day, total: () => nonOrganic },
      'sessions',
      channels.map((channel) => ({ source: GA4, channel, campaign: '' })),
      [paidSearch, paidSocial, email, referral, direct],
    ),
  ];
  parts.push(...sessions);
  parts.push({ source: GA4, channel: 'ORGANIC_SEARCH', campaign: '', metricKey: 'organic_search_sessions', value: organic });
  const byChannel = sessions.map(({ source, channel, campaign }) => ({ source, channel, campaign }));
  parts.push(
    ...split(
      day,
      'visitors',
      byChannel,
      sessions.map((part) => part.value),
    ),
  );
  parts.push(
    ...split(
      day,
      'signups',
      sessions.map(({ channel }) => ({ source: 'HubSpot', channel, campaign: '' })),
      sessions.map((part) => part.value * (SAAS_SIGNUP_PROPENSITY[part.channel] ?? 1) * noise.factor(0.15)),
    ),
  );
  return parts;
}

const SAAS_CHANNELS: Readonly<Record<string, Channel>> = {};

interface DemoChannelSplit {
  /** The day's figures of the metrics it splits (and of the ad delivery it adds). */
  readonly splitDay: (day: DemoDay, noise: DemoNoise) => DemoPart[];
  /** The channel of the metrics recorded whole; OTHER when absent (the business's own totals). */
  readonly channels: Readonly<Record<string, Channel>>;
}

const SPLITS: Readonly<Partial<Record<BusinessModel, DemoChannelSplit>>> = {
  ECOMMERCE: { splitDay: splitShopDay, channels: SHOP_CHANNELS },
  SAAS: { splitDay: splitSaasDay, channels: SAAS_CHANNELS },
};

const DAYS_PER_YEAR = 365.25;

/**
 * Every value of a simulated history, with its channel and campaign: the profile's split metrics
 * per channel and campaign (adding up to the simulated totals), the others whole in the
 * channel of the tool they come from.
 */
export function demoChannelValues(profile: DemoProfile, days: readonly string[], simulation: DemoSimulation, noise: DemoNoise): DemoChannelValue[] {
  const splitter = SPLITS[profile.businessModel];
  if (splitter === undefined) throw new Error(`No channel split for the demo's ${profile.businessModel} profile`);
  const values: DemoChannelValue[] = [];
  days.forEach((date, index) => {
    const read = (map: ReadonlyMap<string, readonly number[]>, key: string): number => {
      const value = map.get(key)?.[index];
      if (value === undefined) throw new Error(`The demo's ${profile.businessModel} simulation has no "${key}" on ${date}`);
      return value;
    };
    const day: DemoDay = {
      date,
      years: index / DAYS_PER_YEAR,
      total: (metricKey) => read(simulation.series, metricKey),
      part: (name) => read(simulation.parts, name),
    };
    const parts = splitter.splitDay(day, noise);
    const split = new Set(parts.map((part) => part.metricKey));
    for (const part of parts) values.push({ ...part, date, value: formatMetricValue(part.metricKey, part.value) });
    for (const [metricKey, series] of simulation.series) {
      if (split.has(metricKey)) continue;
      const source = profile.sources[metricKey];
      if (source === undefined) throw new Error(`Demo metric "${metricKey}" has no source`);
      values.push({
        metricKey,
        date,
        value: formatMetricValue(metricKey, series[index]),
        source,
        channel: splitter.channels[metricKey] ?? 'OTHER',
        campaign: '',
      });
    }
  });
  return values;
}
