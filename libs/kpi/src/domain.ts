/**
 * Shared vocabulary of the KPI domain. Pure TypeScript: no Nest, no database, no I/O.
 */

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in every language the catalog and the reports support. */
export interface LocalizedText {
  readonly fr: string;
  readonly en: string;
}

/** Funnel stages, tracked one after another as the seed articles advise. */
export const FUNNEL_STAGES = ['ACQUISITION', 'CONVERSION', 'ENGAGEMENT', 'REVENUE', 'REFERRAL'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export const BUSINESS_MODELS = ['ECOMMERCE', 'SAAS', 'MOBILE_APP', 'B2B_SERVICES', 'LEAD_GEN_LOCAL', 'MEDIA'] as const;
export type BusinessModel = (typeof BUSINESS_MODELS)[number];

/** Traits of a client's offer that add KPIs (freemium offer, lead magnet, ...). */
export const CLIENT_TRAITS = ['FREEMIUM', 'LEAD_MAGNET', 'SUBSCRIPTION', 'REFERRAL_PROGRAM', 'EMAIL_AUTOMATION', 'MOBILE_APP'] as const;
export type ClientTrait = (typeof CLIENT_TRAITS)[number];

export const MARKETING_CHANNELS = ['SEO', 'PAID_SEARCH', 'SOCIAL', 'EMAIL', 'CONTENT', 'WEBINARS', 'AFFILIATES'] as const;
export type MarketingChannel = (typeof MARKETING_CHANNELS)[number];

/**
 * The channel a metric value was earned through (a fixed list, as GA4's default channel groups
 * and the agencies' weekly reports cut traffic and spend). Not to be confused with the
 * MARKETING_CHANNELS a client declares at kickoff: these label data, those describe the offer.
 * OTHER also holds figures no platform attributes (a shop's orders typed by hand).
 */
export const CHANNELS = ['PAID_SEARCH', 'PAID_SOCIAL', 'ORGANIC_SEARCH', 'EMAIL', 'DIRECT', 'REFERRAL', 'MARKETPLACE', 'OTHER'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

export const CHANNEL_NAMES: Readonly<Record<Channel, LocalizedText>> = {
  PAID_SEARCH: { fr: 'Recherche payante', en: 'Paid search' },
  PAID_SOCIAL: { fr: 'Social payant', en: 'Paid social' },
  ORGANIC_SEARCH: { fr: 'Recherche naturelle', en: 'Organic search' },
  EMAIL: { fr: 'E-mail', en: 'E-mail' },
  DIRECT: { fr: 'Accès direct', en: 'Direct' },
  REFERRAL: { fr: 'Sites référents', en: 'Referral' },
  MARKETPLACE: { fr: 'Places de marché', en: 'Marketplace' },
  OTHER: { fr: 'Autres / non attribué', en: 'Other / unattributed' },
};

/** What a breakdown groups a client's values by: the channel, the source (platform and account) or the campaign. */
export const BREAKDOWN_DIMENSIONS = ['CHANNEL', 'SOURCE', 'CAMPAIGN'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

/** Unit of a raw metric. */
export const METRIC_UNITS = ['COUNT', 'CURRENCY', 'DURATION', 'PERCENT', 'SCORE'] as const;
export type MetricUnit = (typeof METRIC_UNITS)[number];

/**
 * How a metric aggregates over a period: flows SUM (sessions, orders, revenue), stocks take
 * the LAST value of the period (total customers, MRR, subscribers). Averages are never stored:
 * they are stored as their components (total duration + sessions) and divided at KPI level.
 */
export const METRIC_AGGREGATIONS = ['SUM', 'LAST'] as const;
export type MetricAggregation = (typeof METRIC_AGGREGATIONS)[number];

/**
 * Unit of a KPI value. PERCENT values are fractions (0.125 means 12.5 %) and their changes are
 * expressed in percentage points; RATIO is a plain multiple (ROAS 3.2); SCORE is e.g. NPS.
 */
export const KPI_UNITS = ['COUNT', 'CURRENCY', 'PERCENT', 'RATIO', 'DURATION', 'SCORE'] as const;
export type KpiUnit = (typeof KPI_UNITS)[number];

export const KPI_DIRECTIONS = ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER'] as const;
export type KpiDirection = (typeof KPI_DIRECTIONS)[number];

/**
 * How a client's reports write numbers, dates and money, apart from their language: an
 * American client reads English with "$468,153" and "October 5, 2026", a British one
 * "5 October 2026". French is written the French way ("1 234,5 €").
 */
export const FORMATTING_LOCALES = ['fr-FR', 'en-GB', 'en-US'] as const;
export type FormattingLocale = (typeof FORMATTING_LOCALES)[number];

/** The formatting locale a language implies when the client has none: the European reading. */
export function defaultFormattingLocale(locale: Locale): FormattingLocale {
  return locale === 'fr' ? 'fr-FR' : 'en-GB';
}

/**
 * The formatting locale of a report in `locale`: the client's own when it writes that language
 * (an American client's English report: en-US), else the language's default (the same client's
 * report requested in French is written the French way, not "$468,153" amid French words).
 */
export function formattingLocaleFor(locale: Locale, preferred: FormattingLocale | null | undefined): FormattingLocale {
  return preferred !== null && preferred !== undefined && preferred.startsWith(locale) ? preferred : defaultFormattingLocale(locale);
}
