import type { ConnectorConfig } from '@pilotage/config';
import { ga4CampaignOf, ga4ChannelOf, isIsoCalendarDate } from '@pilotage/ingestion';
import { GoogleOAuth } from '../oauth/google-oauth';
import { ProviderError } from '../provider-error';
import { ProviderHttp } from '../provider-http';
import type { DataProviderConnector, DataProviderFactory, PullRequest, PullResult } from '../provider.types';
import { decimalText } from './decimal-text';
import { PulledValueSums, storedCampaign } from './pulled-value-sums';

const PLATFORM = 'GA4';
/** runReport: "The API returns a maximum of 250,000 rows per request, no matter how many you ask for." */
export const GA4_MAX_LIMIT = 250_000;
export const GA4_SCOPES = ['https://www.googleapis.com/auth/analytics.readonly'] as const;

export interface Ga4ProviderOptions {
  /** Rows asked per request (at most {@link GA4_MAX_LIMIT}). */
  readonly limit?: number;
}

/** The report asked: only additive counts (engagement rate, bounce rate and users are not). */
const DIMENSIONS = ['date', 'sessionDefaultChannelGroup', 'sessionCampaignName'] as const;
const METRICS = ['sessions', 'engagedSessions', 'newUsers'] as const;

interface ReportPage {
  readonly rows: readonly (readonly string[])[];
  readonly rowCount: number;
}

function stringsOf(list: unknown, field: string): string[] {
  if (!Array.isArray(list)) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: a row has no ${field}`);
  return list.map((item: unknown) => {
    if (typeof item !== 'object' || item === null || !('value' in item) || typeof item.value !== 'string') {
      throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: a row's ${field} has no value`);
    }
    return item.value;
  });
}

/** A runReport answer's rows as [date, channel group, campaign, sessions, engaged sessions, new users]; `rows` and `rowCount` are left out when empty. */
function pageOf(body: unknown): ReportPage {
  if (typeof body !== 'object' || body === null) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: the answer is not an object`);
  const rowCount = 'rowCount' in body ? body.rowCount : 0;
  if (typeof rowCount !== 'number' || !Number.isInteger(rowCount) || rowCount < 0)
    throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: rowCount is not a count`);
  const rows = 'rows' in body ? body.rows : [];
  if (!Array.isArray(rows)) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: rows is not a list`);
  return {
    rowCount,
    rows: rows.map((row: unknown) => {
      if (typeof row !== 'object' || row === null) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: a row is not an object`);
      const cells = row as Record<string, unknown>;
      const values = [...stringsOf(cells.dimensionValues, 'dimensionValues'), ...stringsOf(cells.metricValues, 'metricValues')];
      if (values.length !== DIMENSIONS.length + METRICS.length)
        throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: a row does not have the columns asked for`);
      return values;
    }),
  };
}

/** GA4's `date` dimension, `YYYYMMDD` in the property's time zone, as `YYYY-MM-DD`. */
function isoDate(compact: string, range: PullRequest['range']): string {
  const date = /^\d{8}$/.test(compact) ? `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}` : '';
  if (!isIsoCalendarDate(date) || date < range.from || date > range.to) {
    throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: a row's date is not a day of ${range.from} – ${range.to}`);
  }
  return date;
}

/** A count as GA4 writes it (an integer in a string). */
function countText(value: string, field: string): string {
  if (!/^\d+$/.test(value)) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: ${field} is not a count`);
  return decimalText(PLATFORM, field, value);
}

function normalizePropertyId(input: string): { accountId: string } | { problem: string } {
  const match = /^(?:properties\/)?(\d{1,20})$/.exec(input.trim());
  if (match === null) return { problem: 'Expected the GA4 property ID: digits, as shown in Admin > Property details (e.g. 123456789)' };
  return { accountId: match[1] };
}

/**
 * Google Analytics 4 through the Data API `properties.runReport`
 * (developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/runReport):
 * sessions, new users and bounced sessions (sessions − engaged sessions, GA4's definition of a
 * bounce, as the GA4 export preset reads it) per day, default channel group and session campaign.
 * Rates are never stored, and users are not: a distinct count that days cannot add up.
 */
export function createGa4Provider(config: ConnectorConfig, options: Ga4ProviderOptions = {}): DataProviderConnector {
  const limit = options.limit ?? GA4_MAX_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > GA4_MAX_LIMIT) throw new RangeError(`GA4 limit must be an integer from 1 to ${GA4_MAX_LIMIT}`);
  // Data API quotas (developers.google.com/analytics/devguides/reporting/data/v1/quotas) are
  // per property: 10 concurrent requests, 40,000 tokens an hour, 200,000 a day on a standard
  // property, most requests costing under 10 tokens. A connection pulls one request at a time,
  // so it cannot reach the concurrency limit of its property; the process-wide ceiling of 50
  // requests a second keeps many properties synced at once from flooding the project, and a
  // 429 RESOURCE_EXHAUSTED is retried after its Retry-After.
  const http = new ProviderHttp({ platform: PLATFORM, rateLimit: { requests: 50, perSeconds: 1 } });

  async function pull({ accountId, accessToken, range }: PullRequest): Promise<PullResult> {
    const url = `${config.baseUrls.ga4DataApi}/v1beta/properties/${accountId}:runReport`;
    const sums = new PulledValueSums();
    let requests = 0;
    for (let offset = 0; ;) {
      const body = await http.json({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${accessToken}` },
        json: {
          dateRanges: [{ startDate: range.from, endDate: range.to }],
          dimensions: DIMENSIONS.map((name) => ({ name })),
          metrics: METRICS.map((name) => ({ name })),
          limit,
          offset,
        },
      });
      requests += 1;
      const page = pageOf(body);
      for (const [compactDate, channelGroup, campaignName, sessions, engaged, newUsers] of page.rows) {
        const date = isoDate(compactDate, range);
        const channel = ga4ChannelOf(channelGroup);
        const campaign = storedCampaign(ga4CampaignOf(campaignName));
        const sessionsText = countText(sessions, 'sessions');
        const bounced = BigInt(sessionsText) - BigInt(countText(engaged, 'engagedSessions'));
        if (bounced < 0n) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: engaged sessions exceed sessions on ${date}`);
        sums.add('sessions', date, channel, campaign, sessionsText);
        sums.add('bounced_sessions', date, channel, campaign, bounced.toString());
        sums.add('new_visitors', date, channel, campaign, countText(newUsers, 'newUsers'));
      }
      offset += page.rows.length;
      // Paging as documented: `rowCount` is the total; GA4 may answer fewer rows than the limit.
      if (offset >= page.rowCount) break;
      if (page.rows.length === 0) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: an empty page at row ${offset} of ${page.rowCount}`);
    }
    return { values: sums.values(), requests };
  }

  return {
    provider: 'GA4',
    platform: PLATFORM,
    oauth: new GoogleOAuth(config),
    scopes: GA4_SCOPES,
    metricKeys: ['sessions', 'bounced_sessions', 'new_visitors'],
    // GA4 processes data up to 72 hours late (Analytics Help "Data freshness").
    lookbackDays: 3,
    // A quarter per request: a few thousand rows, a handful of quota tokens, 9 requests for a 25-month backfill.
    chunkDays: 92,
    dataNote: 'Sessions by default channel group and session campaign; figures of the last three days are re-read as GA4 finishes processing them.',
    http,
    normalizeAccountId: normalizePropertyId,
    sourceOf: (accountId) => `GA4 ${accountId}`,
    pull,
  };
}

export const ga4Provider: DataProviderFactory = (config) => createGa4Provider(config);
