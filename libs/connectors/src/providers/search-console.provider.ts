import type { ConnectorConfig } from '@pilotage/config';
import { isIsoCalendarDate, SOURCE_MAX_LENGTH } from '@pilotage/ingestion';
import { GoogleOAuth } from '../oauth/google-oauth';
import { ProviderError } from '../provider-error';
import { ProviderHttp } from '../provider-http';
import type { DataProviderConnector, DataProviderFactory, PullRequest, PullResult } from '../provider.types';
import { decimalText, productText } from './decimal-text';
import { PulledValueSums } from './pulled-value-sums';

const PLATFORM = 'Search Console';
const SOURCE_PREFIX = `${PLATFORM} `;
/** searchAnalytics.query: "rowLimit ... Valid range is 1–25,000". */
export const SEARCH_CONSOLE_MAX_ROW_LIMIT = 25_000;
export const SEARCH_CONSOLE_SCOPES = ['https://www.googleapis.com/auth/webmasters.readonly'] as const;

export interface SearchConsoleProviderOptions {
  /** Rows asked per request (at most {@link SEARCH_CONSOLE_MAX_ROW_LIMIT}); tests lower it to page. */
  readonly rowLimit?: number;
}

interface SearchAnalyticsRow {
  readonly keys: readonly unknown[];
  readonly clicks: unknown;
  readonly impressions: unknown;
  readonly position: unknown;
}

/** The `rows` of a searchAnalytics.query answer; the API leaves `rows` out when there are none. */
function rowsOf(body: unknown): readonly SearchAnalyticsRow[] {
  if (typeof body !== 'object' || body === null) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: the answer is not an object`);
  if (!('rows' in body)) return [];
  const { rows } = body;
  if (!Array.isArray(rows)) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: rows is not a list`);
  return rows.map((row: unknown) => {
    if (typeof row !== 'object' || row === null || !('keys' in row) || !Array.isArray(row.keys)) {
      throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: a row has no keys`);
    }
    const fields = row as Record<string, unknown>;
    return { keys: row.keys as unknown[], clicks: fields.clicks, impressions: fields.impressions, position: fields.position };
  });
}

/**
 * A Search Console property: `sc-domain:example.com` (a Domain property) or a URL-prefix
 * property written as Search Console lists it, with its scheme and a final slash.
 */
function normalizeSiteUrl(input: string): { accountId: string } | { problem: string } {
  const text = input.trim();
  const expected = 'a Search Console property: sc-domain:example.com or a URL prefix such as https://www.example.com/';
  let accountId: string;
  const domain = /^sc-domain:([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(text);
  if (domain !== null) accountId = `sc-domain:${domain[1].toLowerCase()}`;
  else {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { problem: `Expected ${expected}` };
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
      return { problem: `Expected ${expected}` };
    }
    if (!url.pathname.endsWith('/')) return { problem: 'A URL-prefix property ends with a slash, as Search Console lists it (https://www.example.com/blog/)' };
    accountId = url.href;
  }
  if (SOURCE_PREFIX.length + accountId.length > SOURCE_MAX_LENGTH)
    return { problem: `The property must have at most ${SOURCE_MAX_LENGTH - SOURCE_PREFIX.length} characters` };
  return { accountId };
}

/**
 * Google Search Console through `searchAnalytics.query` grouped by date
 * (developers.google.com/webmaster-tools/v1/searchanalytics/query), web search, final data
 * only. Writes clicks, impressions and position × impressions: the API's average position is a
 * ratio, and a period's position is Σ(position × impressions) / Σ impressions (catalog
 * `search_position_weighted`), as Search Console weights it. CTR is never stored.
 */
export function createSearchConsoleProvider(config: ConnectorConfig, options: SearchConsoleProviderOptions = {}): DataProviderConnector {
  const rowLimit = options.rowLimit ?? SEARCH_CONSOLE_MAX_ROW_LIMIT;
  if (!Number.isInteger(rowLimit) || rowLimit < 1 || rowLimit > SEARCH_CONSOLE_MAX_ROW_LIMIT) {
    throw new RangeError(`Search Console rowLimit must be an integer from 1 to ${SEARCH_CONSOLE_MAX_ROW_LIMIT}`);
  }
  // Usage limits (developers.google.com/webmaster-tools/limits): 1,200 queries a minute per
  // site and per user, 40,000 a minute and 30,000,000 a day per project. A connection's pull is
  // one request per year of days, so a site stays far under its limit; 100 a second (6,000 a
  // minute) keeps the whole process under the project's.
  const http = new ProviderHttp({ platform: PLATFORM, rateLimit: { requests: 100, perSeconds: 1 } });

  async function pull({ accountId, accessToken, range }: PullRequest): Promise<PullResult> {
    const url = `${config.baseUrls.searchConsoleApi}/webmasters/v3/sites/${encodeURIComponent(accountId)}/searchAnalytics/query`;
    const sums = new PulledValueSums();
    const seen = new Set<string>();
    let requests = 0;
    for (let startRow = 0; ; startRow += rowLimit) {
      const body = await http.json({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${accessToken}` },
        json: { startDate: range.from, endDate: range.to, dimensions: ['date'], type: 'web', dataState: 'final', rowLimit, startRow },
      });
      requests += 1;
      const rows = rowsOf(body);
      for (const row of rows) {
        const date = row.keys[0];
        if (typeof date !== 'string' || !isIsoCalendarDate(date) || date < range.from || date > range.to) {
          throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: a row's date is not a day of ${range.from} – ${range.to}`);
        }
        if (seen.has(date)) throw new ProviderError('INVALID_RESPONSE', `${PLATFORM}: ${date} came back twice`);
        seen.add(date);
        sums.add('search_clicks', date, 'ORGANIC_SEARCH', '', decimalText(PLATFORM, 'clicks', row.clicks));
        sums.add('search_impressions', date, 'ORGANIC_SEARCH', '', decimalText(PLATFORM, 'impressions', row.impressions));
        sums.add('search_position_weighted', date, 'ORGANIC_SEARCH', '', productText(PLATFORM, 'position × impressions', row.position, row.impressions));
      }
      // Paging as documented: a page shorter than rowLimit is the last one.
      if (rows.length < rowLimit) break;
    }
    return { values: sums.values(), requests };
  }

  return {
    provider: 'SEARCH_CONSOLE',
    platform: PLATFORM,
    oauth: new GoogleOAuth(config),
    scopes: SEARCH_CONSOLE_SCOPES,
    metricKeys: ['search_clicks', 'search_impressions', 'search_position_weighted'],
    // Search Console data is final after about 2–3 days; the days before are re-pulled once final.
    lookbackDays: 3,
    // One request per ≤ 25,000 dates: any chunk fits; a year keeps a backfill to a few calls.
    chunkDays: 366,
    dataNote: 'Google Search (web) results, final data only: the last two or three days appear once Google has finalized them.',
    http,
    normalizeAccountId: normalizeSiteUrl,
    sourceOf: (accountId) => `${SOURCE_PREFIX}${accountId}`,
    pull,
  };
}

export const searchConsoleProvider: DataProviderFactory = (config) => createSearchConsoleProvider(config);
