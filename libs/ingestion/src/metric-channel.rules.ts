import { findControlCharacter, stripAccents } from '@pilotage/common';
import type { MetricValueColumns, MetricGranularity } from '@pilotage/database';
import { CHANNEL_NAMES, CHANNELS, type Channel } from '@pilotage/kpi';

/*
 * The channel and campaign of a metric value, whichever way it comes in (a CSV file of ours, a
 * platform export, a recordMetricValues call). A value's channel is, in this order: its own
 * (a channel cell, a channel argument), the client's choice for its source
 * (client_source_channels), then a default guessed from the source's name.
 */

/** Campaign names of Google Ads and Meta stay well under this; longer is a pasted paragraph. */
export const CAMPAIGN_MAX_LENGTH = 200;

/** Letters and digits only, without accents or case: "Paid search", "PAID_SEARCH" and "paid-search" meet. */
function channelLookupKey(text: string): string {
  return stripAccents(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

const CHANNEL_BY_NAME: ReadonlyMap<string, Channel> = new Map(
  CHANNELS.flatMap((channel) => [channel, CHANNEL_NAMES[channel].fr, CHANNEL_NAMES[channel].en].map((name) => [channelLookupKey(name), channel] as const)),
);

/** The accepted spellings, for error messages: the keys, then the English and French names. */
export const ACCEPTED_CHANNEL_NAMES = CHANNELS.map((channel) => `${channel} (${CHANNEL_NAMES[channel].en}, ${CHANNEL_NAMES[channel].fr})`).join(', ');

/**
 * Reads a channel written as its key (`PAID_SEARCH`) or its French or English name
 * ("Recherche payante", "paid search"), without regard to case, accents, spaces or
 * punctuation. Null when it names none of them.
 */
export function parseChannel(text: string): Channel | null {
  return CHANNEL_BY_NAME.get(channelLookupKey(text)) ?? null;
}

/** Why a campaign name cannot be stored (words to follow "The campaign"), or null. Expects trimmed text. */
export function campaignProblem(campaign: string): string | null {
  if (campaign.length > CAMPAIGN_MAX_LENGTH) return `must have at most ${CAMPAIGN_MAX_LENGTH} characters (it has ${campaign.length})`;
  const control = findControlCharacter(campaign, 'SINGLE_LINE');
  if (control !== null) return `must not contain control characters (found ${control})`;
  return null;
}

/** Lower-case words without accents: "Google Ads – Compte FR" → "google ads compte fr". */
function sourceWords(source: string): string {
  return ` ${stripAccents(source)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

/*
 * Platforms whose whole traffic or spend is one channel, by words of the source's name. The
 * channel groups are GA4's default ones (support.google.com/analytics/answer/9756891): ad
 * platforms of search engines are Paid Search, of social networks Paid Social, e-mail tools
 * E-mail, shopping marketplaces Marketplace. Sources reporting several channels (GA4, Shopify,
 * Stripe) stay OTHER unless their rows say otherwise. Checked in order: the first match wins.
 */
const SOURCE_CHANNEL_RULES: readonly { readonly channel: Channel; readonly pattern: RegExp }[] = [
  { channel: 'ORGANIC_SEARCH', pattern: / (search console|gsc|google search console|bing webmaster tools?) / },
  { channel: 'PAID_SEARCH', pattern: / (google ?ads|adwords|microsoft ?ads|bing ?ads|search ads) / },
  { channel: 'PAID_SOCIAL', pattern: / (meta|facebook|instagram|fb|linkedin ads|tiktok ads|pinterest ads|snapchat ads|x ads|twitter ads) / },
  { channel: 'EMAIL', pattern: / (mailchimp|brevo|sendinblue|klaviyo|mailjet|sendgrid|activecampaign) / },
  { channel: 'MARKETPLACE', pattern: / (amazon|cdiscount|etsy|manomano|fnac|rakuten|ebay|zalando) / },
];

/**
 * The channel a source's values go to when neither they nor the client say: guessed from the
 * platform's name ("Google Ads 123-456-7890" → PAID_SEARCH, "Brevo" → EMAIL), OTHER otherwise.
 */
export function defaultChannelOfSource(source: string): Channel {
  const words = sourceWords(source);
  for (const rule of SOURCE_CHANNEL_RULES) {
    if (rule.pattern.test(words)) return rule.channel;
  }
  return 'OTHER';
}

/**
 * The channel of a source's values that carry none of their own: the client's choice
 * (client_source_channels) or the default guessed from its name. One per import; it caches
 * each source it resolved, since an import repeats a handful of sources a million times.
 */
export class SourceChannelResolver {
  private readonly cache = new Map<string, Channel>();

  constructor(private readonly clientChoices: ReadonlyMap<string, Channel> = new Map()) {}

  channelOf(source: string): Channel {
    let channel = this.cache.get(source);
    if (channel === undefined) {
      channel = this.clientChoices.get(source) ?? defaultChannelOfSource(source);
      this.cache.set(source, channel);
    }
    return channel;
  }

  /** Where {@link channelOf} gets its answer: the client's choice or the default. */
  isClientChoice(source: string): boolean {
    return this.clientChoices.has(source);
  }
}

/** One metric value on its way to metric_values; channel and campaign may still be unknown. */
export interface MetricValueDraft {
  readonly metricKey: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly granularity: MetricGranularity;
  /** Normalized decimal text (see normalizeDecimal). */
  readonly valueText: string;
  /** Trimmed, non-empty, validated. */
  readonly source: string;
  /** The value's own channel; null or absent: the source's. */
  readonly channel?: Channel | null;
  /** Trimmed and validated ({@link campaignProblem}); null, absent or '' for none. */
  readonly campaign?: string | null;
}

/**
 * Appends a value to the columns an upsert writes, with its channel resolved: the one way every
 * ingestion path (our CSV layout, platform export presets, the API) turns a source, channel and
 * campaign into stored columns. Returns the channel written. The caller still guarantees that
 * no (metric, date, source, channel, campaign) appears twice in one batch.
 */
export function appendMetricValue(columns: MetricValueColumns, value: MetricValueDraft, resolver: SourceChannelResolver): Channel {
  const channel = value.channel ?? resolver.channelOf(value.source);
  columns.metricKeys.push(value.metricKey);
  columns.dates.push(value.date);
  columns.sources.push(value.source);
  columns.channels.push(channel);
  columns.campaigns.push(value.campaign ?? '');
  columns.granularities.push(value.granularity);
  columns.values.push(value.valueText);
  return channel;
}
