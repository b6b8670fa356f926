import type { ConnectorConfig } from '@pilotage/config';
import { googleAdsChannelOf, isIsoCalendarDate } from '@pilotage/ingestion';
import { GoogleOAuth } from '../oauth/google-oauth';
import { ProviderError } from '../provider-error';
import { platformMessage, ProviderHttp, type ProviderErrorClassifier } from '../provider-http';
import type { DataProviderConnector, DataProviderFactory, OAuthFlavor, PullRequest, PullResult } from '../provider.types';
import { decimalText, microsText, wholeText } from './decimal-text';
import { PulledValueSums, storedCampaign } from './pulled-value-sums';

const PLATFORM = 'Google Ads';
/**
 * The Google Ads API version called (one a year lasts about a year: v26 was released on
 * 2026-10-14, developers.google.com/google-ads/api/docs/sunset-dates). Move it forward before
 * its sunset date; the REST path carries it.
 */
export const GOOGLE_ADS_API_VERSION = 'v26';
export const GOOGLE_ADS_SCOPES = ['https://www.googleapis.com/auth/adwords'] as const;

const FIELDS = [
  'segments.date',
  'campaign.name',
  'campaign.advertising_channel_type',
  'metrics.cost_micros',
  'metrics.clicks',
  'metrics.impressions',
  'metrics.conversions',
  'metrics.conversions_value',
] as const;

/** GAQL of a day range; the dates are checked `YYYY-MM-DD` text (the sync window), never user input. */
function gaqlOf(range: PullRequest['range']): string {
  if (!isIsoCalendarDate(range.from) || !isIsoCalendarDate(range.to)) throw new RangeError(`Not a day range: ${range.from} – ${range.to}`);
  return `SELECT ${FIELDS.join(', ')} FROM campaign WHERE segments.date BETWEEN '${range.from}' AND '${range.to}'`;
}

/** The google.rpc.Status of an error answer: REST streaming calls wrap it in a one-element array. */
function statusOf(body: unknown): Record<string, unknown> | null {
  const first: unknown = Array.isArray(body) ? body[0] : body;
  if (typeof first !== 'object' || first === null || !('error' in first)) return null;
  return typeof first.error === 'object' && first.error !== null ? (first.error as Record<string, unknown>) : null;
}

/** The GoogleAdsFailure errors of a status: their codes (`DEVELOPER_TOKEN_NOT_APPROVED`), messages and quota retry delay. */
function failureOf(status: Record<string, unknown>): { codes: string[]; messages: string[]; retryDelayMs: number | null } {
  const codes: string[] = [];
  const messages: string[] = [];
  let retryDelayMs: number | null = null;
  const details = Array.isArray(status.details) ? (status.details as unknown[]) : [];
  for (const detail of details) {
    const errors: unknown = typeof detail === 'object' && detail !== null && 'errors' in detail ? detail.errors : null;
    if (!Array.isArray(errors)) continue;
    for (const error of errors as unknown[]) {
      if (typeof error !== 'object' || error === null) continue;
      const fields = error as Record<string, unknown>;
      if (typeof fields.errorCode === 'object' && fields.errorCode !== null) {
        codes.push(...Object.values(fields.errorCode).filter((code): code is string => typeof code === 'string'));
      }
      if (typeof fields.message === 'string') messages.push(fields.message);
      // QuotaErrorDetails.retry_delay, a Duration written "30s" in JSON.
      const quota: unknown =
        typeof fields.details === 'object' && fields.details !== null && 'quotaErrorDetails' in fields.details ? fields.details.quotaErrorDetails : null;
      const delay: unknown = typeof quota === 'object' && quota !== null && 'retryDelay' in quota ? quota.retryDelay : null;
      if (typeof delay === 'string' && /^\d+(\.\d+)?s$/.test(delay)) retryDelayMs = Math.ceil(Number(delay.slice(0, -1)) * 1000);
    }
  }
  return { codes, messages, retryDelayMs };
}

/**
 * Google Ads errors (developers.google.com/google-ads/api/docs/best-practices/understand-api-errors):
 * the GoogleAdsFailure's own message says more than the status ("The caller does not have
 * permission"). A refused developer token is the agency's configuration, not the client's
 * authorization: REJECTED, so that the connection is not sent to reauthorization for nothing.
 */
const classifyGoogleAdsError: ProviderErrorClassifier = (status, body, retryAfterMs) => {
  const rpcStatus = statusOf(body);
  if (rpcStatus === null) return null;
  const failure = failureOf(rpcStatus);
  const said = platformMessage({ error: { message: failure.messages[0] ?? rpcStatus.message } });
  const code = failure.codes[0];
  const message = `${PLATFORM}: HTTP ${status}${code === undefined ? '' : ` ${code}`}${said === null ? '' : ` (${said})`}`;
  if (failure.codes.some((known) => known.startsWith('DEVELOPER_TOKEN'))) {
    return new ProviderError('REJECTED', `${message}: check GOOGLE_ADS_DEVELOPER_TOKEN and its access level in the Google Ads API Center`, status);
  }
  if (status === 401) return new ProviderError('UNAUTHORIZED', message, status);
  if (status === 403) return new ProviderError('FORBIDDEN', message, status);
  if (status === 429) return new ProviderError('RATE_LIMITED', message, status, retryAfterMs ?? failure.retryDelayMs);
  if (status >= 500) return new ProviderError('UNAVAILABLE', message, status, retryAfterMs);
  return new ProviderError('REJECTED', message, status);
};

interface CampaignDay {
  readonly date: unknown;
  readonly name: unknown;
  readonly type: unknown;
  readonly metrics: Readonly<Record<string, unknown>>;
}

/** The rows of every batch of a searchStream answer (a JSON array of SearchGoogleAdsStreamResponse). */
function rowsOf(body: unknown): CampaignDay[] {
  if (!Array.isArray(body)) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: the stream is not a list of batches`);
  return (body as unknown[]).flatMap((batch) => {
    if (typeof batch !== 'object' || batch === null) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: a batch is not an object`);
    // A stream that fails after it started ends with a batch holding the error instead of results.
    if ('error' in batch) {
      const code =
        typeof batch.error === 'object' && batch.error !== null && 'code' in batch.error && typeof batch.error.code === 'number' ? batch.error.code : 500;
      throw classifyGoogleAdsError(code, [batch], null) ?? new ProviderError('UNAVAILABLE', `${PLATFORM}: the stream failed`);
    }
    if (!('results' in batch)) return [];
    if (!Array.isArray(batch.results)) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: results is not a list`);
    return (batch.results as unknown[]).map((row) => {
      const record = (typeof row === 'object' && row !== null ? row : {}) as Record<string, Record<string, unknown> | undefined>;
      return {
        date: record.segments?.date,
        name: record.campaign?.name,
        type: record.campaign?.advertisingChannelType,
        // Metrics at zero are left out of the JSON (proto3 default values).
        metrics: record.metrics ?? {},
      };
    });
  });
}

function normalizeCustomerId(input: string): { accountId: string } | { problem: string } {
  const match = /^(\d{3})-?(\d{3})-?(\d{4})$/.exec(input.trim());
  if (match === null) return { problem: 'Expected the Google Ads customer ID: 10 digits, as shown at the top of Google Ads (123-456-7890)' };
  return { accountId: `${match[1]}${match[2]}${match[3]}` };
}

/**
 * Google Ads through `GoogleAdsService.SearchStream` (REST `customers/{id}/googleAds:searchStream`)
 * with GAQL on the campaign resource segmented by date: cost, clicks, impressions, conversions
 * and conversion value per day and campaign, in the account's currency. Cost comes as int64
 * micros and is divided by 10^6 exactly (decimal arithmetic, rounded half to even to 4 decimals).
 * Conversions may be fractional (data-driven attribution) while ad_conversions is a COUNT metric
 * (whole numbers, what the import validator accepts): each day and campaign's conversions are
 * rounded half to even to a whole number, the rounding said in the connection's data note.
 */
export function createGoogleAdsProvider(config: ConnectorConfig): DataProviderConnector {
  // Google Ads API limits: a searchStream counts as one operation whatever it returns
  // (developers.google.com/google-ads/api/docs/api-policy/rate-sheet), 15,000 a day with Basic
  // access, so a 25-month backfill in 31-day chunks costs 25. Requests per second are throttled
  // per customer and developer token without a published figure (best-practices/quotas: a 429
  // RESOURCE_TEMPORARILY_EXHAUSTED says when to retry): 20 a second for the whole process.
  const http = new ProviderHttp({ platform: PLATFORM, rateLimit: { requests: 20, perSeconds: 1 }, classify: classifyGoogleAdsError });
  const google = new GoogleOAuth(config);
  // Without a developer token the API refuses every call: connections to Google Ads are refused up front.
  const oauth: OAuthFlavor = {
    get configured() {
      return google.configured && config.googleAdsDeveloperToken !== null;
    },
    authorizationUrl: (input) => google.authorizationUrl(input),
    exchangeCode: (input) => google.exchangeCode(input),
    refresh: (tokens) => google.refresh(tokens),
    revoke: (tokens) => google.revoke(tokens),
  };

  async function pull({ accountId, accessToken, range }: PullRequest): Promise<PullResult> {
    const developerToken = config.googleAdsDeveloperToken;
    if (developerToken === null) throw new ProviderError('REJECTED', `${PLATFORM}: no developer token configured: set GOOGLE_ADS_DEVELOPER_TOKEN`);
    const body = await http.json({
      method: 'POST',
      url: `${config.baseUrls.googleAdsApi}/${GOOGLE_ADS_API_VERSION}/customers/${accountId}/googleAds:searchStream`,
      headers: {
        authorization: `Bearer ${accessToken}`,
        'developer-token': developerToken,
        // The manager account through which the user reaches the customer (an agency's MCC).
        ...(config.googleAdsLoginCustomerId === null ? {} : { 'login-customer-id': config.googleAdsLoginCustomerId }),
      },
      json: { query: gaqlOf(range) },
    });
    const sums = new PulledValueSums();
    for (const row of rowsOf(body)) {
      const { date, metrics } = row;
      if (typeof date !== 'string' || !isIsoCalendarDate(date) || date < range.from || date > range.to) {
        throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: a row's date is not a day of ${range.from} – ${range.to}`);
      }
      if (typeof row.name !== 'string' || typeof row.type !== 'string')
        throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: a row has no campaign name or type`);
      const channel = googleAdsChannelOf(row.type);
      const campaign = storedCampaign(row.name);
      sums.add('ad_spend', date, channel, campaign, microsText(PLATFORM, 'metrics.costMicros', metrics.costMicros ?? '0'));
      sums.add('ad_clicks', date, channel, campaign, decimalText(PLATFORM, 'metrics.clicks', metrics.clicks ?? '0'));
      sums.add('ad_impressions', date, channel, campaign, decimalText(PLATFORM, 'metrics.impressions', metrics.impressions ?? '0'));
      sums.add('ad_conversions', date, channel, campaign, wholeText(PLATFORM, 'metrics.conversions', metrics.conversions ?? 0));
      sums.add('ad_revenue', date, channel, campaign, decimalText(PLATFORM, 'metrics.conversionsValue', metrics.conversionsValue ?? 0));
    }
    return { values: sums.values(), requests: 1 };
  }

  return {
    provider: 'GOOGLE_ADS',
    platform: PLATFORM,
    oauth,
    scopes: GOOGLE_ADS_SCOPES,
    metricKeys: ['ad_spend', 'ad_clicks', 'ad_impressions', 'ad_conversions', 'ad_revenue'],
    // Conversions are attributed back to the day of the click, up to the conversion window
    // later; two weeks catch most of them (the conversion window itself can be 90 days).
    lookbackDays: 14,
    chunkDays: 31,
    dataNote:
      'Conversions as Google Ads attributes them to the day of the click (the account’s attribution models); fractional conversions are rounded to whole numbers per day and campaign. Amounts in the account’s currency.',
    http,
    normalizeAccountId: normalizeCustomerId,
    sourceOf: (accountId) => `${PLATFORM} ${accountId}`,
    pull,
  };
}

export const googleAdsProvider: DataProviderFactory = (config) => createGoogleAdsProvider(config);
