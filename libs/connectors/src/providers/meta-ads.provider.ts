import type { ConnectorConfig } from '@pilotage/config';
import { MetaOAuth, META_ADS_SCOPES } from '../oauth/meta-oauth';
import { ProviderError } from '../provider-error';
import { ProviderHttp } from '../provider-http';
import type { DataProviderConnector, DataProviderFactory, PullRequest, PullResult } from '../provider.types';
import { decimalText } from './decimal-text';
import { META_GRAPH_API_VERSION, metaBearer, metaGraphClassifier } from './meta-graph';
import { PulledValueSums, storedCampaign } from './pulled-value-sums';

const PLATFORM = 'Meta Ads';

/**
 * The attribution named for the agency: a purchase counts when it happens within 7 days after a
 * click on the ad or 1 day after a view of it, Meta's default attribution setting and Ads
 * Manager's. Asked for explicitly (`action_attribution_windows`) rather than each ad set's own
 * setting (`use_unified_attribution_setting`), so one figure means the same thing across
 * campaigns and months. Meta credits a purchase to a click before a view, so the two windows
 * never count the same purchase and their sum is the "7-day click or 1-day view" total.
 */
export const META_ATTRIBUTION_WINDOWS = ['7d_click', '1d_view'] as const;

/**
 * The purchases counted: `omni_purchase`, Meta's deduplicated total of website (pixel and
 * Conversions API), app and offline purchases, the "Purchases" column of Ads Manager. The
 * per-source types (`offsite_conversion.fb_pixel_purchase`, `app_custom_event.fb_mobile_purchase`,
 * ...) are parts of it: adding them would count a purchase twice.
 */
export const META_PURCHASE_ACTION_TYPE = 'omni_purchase';

/**
 * Fields of the insights edge (Marketing API "Insights API", AdsInsights). Clicks are
 * `inline_link_clicks` (clicks on links to the advertiser's destination) rather than `clicks`
 * (every click: likes, comments, profile, "see more"), so that ad_clicks means the same thing
 * as Google Ads' clicks and cost per click compares across both.
 */
const INSIGHTS_FIELDS = ['campaign_id', 'campaign_name', 'spend', 'impressions', 'inline_link_clicks', 'actions', 'action_values'];

/** Rows asked per page; the Graph API may send fewer (its default is 25). */
const PAGE_LIMIT = 500;

/** A run-away guard: a 31-day chunk of thousands of campaigns is far below it. */
const MAX_PAGES = 10_000;

interface InsightsPage {
  readonly data: readonly unknown[];
  readonly next: string | null;
  readonly after: string | null;
}

function invalid(what: string): ProviderError {
  return new ProviderError('INVALID_RESPONSE', `${PLATFORM}: ${what}`);
}

function pageOf(body: unknown): InsightsPage {
  if (typeof body !== 'object' || body === null || !('data' in body) || !Array.isArray(body.data)) throw invalid('an insights page has no data list');
  let next: string | null = null;
  let after: string | null = null;
  if ('paging' in body && typeof body.paging === 'object' && body.paging !== null) {
    const paging = body.paging;
    if ('next' in paging && typeof paging.next === 'string') next = paging.next;
    if ('cursors' in paging && typeof paging.cursors === 'object' && paging.cursors !== null && 'after' in paging.cursors) {
      after = typeof paging.cursors.after === 'string' ? paging.cursors.after : null;
    }
  }
  return { data: body.data as unknown[], next, after };
}

/** A numeric string field of a row ("12.34", "1520"); Meta leaves out a field it has no value for: zero. */
function amount(row: Record<string, unknown>, field: string, date: string): string {
  const raw = row[field];
  return raw === undefined || raw === null ? '0' : decimalText(PLATFORM, `${field} of ${date}`, raw);
}

/** The purchases (or their value) of `actions` / `action_values`, `[{ action_type, value, "7d_click", "1d_view" }]`: one figure per window. */
function purchases(row: Record<string, unknown>, field: 'actions' | 'action_values', date: string): string[] {
  const list = row[field];
  if (list === undefined || list === null) return ['0'];
  if (!Array.isArray(list)) throw invalid(`${field} of ${date} is not a list`);
  const figures = ['0'];
  for (const stat of list as unknown[]) {
    if (typeof stat !== 'object' || stat === null || !('action_type' in stat) || stat.action_type !== META_PURCHASE_ACTION_TYPE) continue;
    const record = stat as Record<string, unknown>;
    for (const window of META_ATTRIBUTION_WINDOWS) figures.push(amount(record, window, date));
  }
  return figures;
}

/**
 * Meta Ads through the Marketing API insights edge of an ad account, one row per campaign and
 * day (`level=campaign`, `time_increment=1`). Writes raw counts only (spend, impressions, link
 * clicks, purchases and their value): CTR, CPC and ROAS are computed from them as ratios of sums.
 */
export class MetaAdsProvider implements DataProviderConnector {
  readonly provider = 'META_ADS' as const;
  readonly platform = PLATFORM;
  readonly scopes = META_ADS_SCOPES;
  readonly metricKeys = ['ad_spend', 'ad_impressions', 'ad_clicks', 'ad_conversions', 'ad_revenue'] as const;
  /**
   * 14 days: with the 7-day click window a purchase lands on its impression's day up to 7 days
   * later, and the Conversions API accepts events up to 7 days after they happened, so a day is
   * final about 14 days on; spend is also corrected for invalid traffic within that time.
   */
  readonly lookbackDays = 14;
  /** One month of daily campaign rows per pull: a bigger range makes the synchronous insights call time out (error 100/1504018). */
  readonly chunkDays = 31;
  readonly dataNote =
    'Conversions and revenue are purchases (Meta’s omni_purchase: website, app and offline, deduplicated) attributed 7-day click or 1-day view, counted on the day of the ad impression, as in Ads Manager’s default; clicks are link clicks.';
  readonly oauth: MetaOAuth;
  readonly http: ProviderHttp;

  constructor(private readonly config: ConnectorConfig) {
    this.oauth = new MetaOAuth(config);
    this.http = new ProviderHttp({
      platform: PLATFORM,
      // Meta throttles per app and ad account (Business Use Case limits) and says when to come back
      // (X-Business-Use-Case-Usage, honoured): this process-wide ceiling only stops a loop. At 25 a
      // second it was the pace of bench:sync itself (12 Meta backfills of 26 chunks: 12.5 s).
      rateLimit: { requests: 100, perSeconds: 1 },
      classify: metaGraphClassifier(PLATFORM),
    });
  }

  normalizeAccountId(input: string): { readonly accountId: string } | { readonly problem: string } {
    const match = /^(?:act_)?(\d{1,20})$/.exec(input.trim());
    if (match === null) return { problem: 'a Meta ad account id is act_ followed by digits (Ads Manager → account settings), e.g. act_1234567890' };
    return { accountId: `act_${match[1]}` };
  }

  sourceOf(accountId: string): string {
    return `${PLATFORM} ${accountId}`;
  }

  async pull(request: PullRequest): Promise<PullResult> {
    const base = this.config.baseUrls.metaGraphApi;
    const first = new URL(`${base}/${META_GRAPH_API_VERSION}/${request.accountId}/insights`);
    first.search = new URLSearchParams({
      level: 'campaign',
      time_increment: '1',
      time_range: JSON.stringify({ since: request.range.from, until: request.range.to }),
      fields: INSIGHTS_FIELDS.join(','),
      action_attribution_windows: JSON.stringify(META_ATTRIBUTION_WINDOWS),
      // Conversions on the day of the impression that led to them, as Ads Manager shows them.
      action_report_time: 'impression',
      limit: String(PAGE_LIMIT),
    }).toString();
    // Two campaigns may share a name (a duplicated campaign): their figures are added up.
    const sums = new PulledValueSums();
    let url: URL | null = first;
    let requests = 0;
    while (url !== null) {
      if (requests >= MAX_PAGES) throw invalid(`more than ${MAX_PAGES} pages of insights`);
      const page = pageOf(await this.http.json({ method: 'GET', url: url.toString(), headers: metaBearer(request.accessToken) }));
      requests += 1;
      for (const row of page.data) this.add(sums, row, request);
      url = this.nextPage(page, url);
    }
    const values = sums.values();
    return { values, requests };
  }

  /**
   * The next page: `paging.next` when it is a Graph API URL under the configured base (the
   * token is sent to it; a URL elsewhere, whatever put it there, is not followed), else the
   * current request with the `after` cursor. No `paging.next`: the last page (Graph API "Paginated Results").
   */
  private nextPage(page: InsightsPage, current: URL): URL | null {
    if (page.next === null) return null;
    const base = new URL(this.config.baseUrls.metaGraphApi);
    let next: URL | null = null;
    try {
      const candidate = new URL(page.next);
      const basePath = base.pathname.replace(/\/+$/, '');
      if (candidate.origin === base.origin && candidate.pathname.startsWith(`${basePath}/`)) next = candidate;
    } catch {
      next = null;
    }
    if (next === null) {
      if (page.after === null) throw invalid('a page links to another site and gives no cursor');
      next = new URL(current);
      next.searchParams.set('after', page.after);
    }
    // The token travels in the Authorization header, never in a URL.
    next.searchParams.delete('access_token');
    if (next.toString() === current.toString()) throw invalid('a page links to itself');
    return next;
  }

  private add(sums: PulledValueSums, item: unknown, request: PullRequest): void {
    if (typeof item !== 'object' || item === null) throw invalid('an insights row is not an object');
    const row = item as Record<string, unknown>;
    const date = row.date_start;
    if (typeof date !== 'string' || row.date_stop !== date) throw invalid('an insights row does not cover exactly one day');
    if (date < request.range.from || date > request.range.to) throw invalid(`a row of ${date} is outside ${request.range.from}–${request.range.to}`);
    const campaign = storedCampaign(typeof row.campaign_name === 'string' ? row.campaign_name : '');
    const figures: Record<string, readonly string[]> = {
      ad_spend: [amount(row, 'spend', date)],
      ad_impressions: [amount(row, 'impressions', date)],
      ad_clicks: [amount(row, 'inline_link_clicks', date)],
      ad_conversions: purchases(row, 'actions', date),
      ad_revenue: purchases(row, 'action_values', date),
    };
    for (const [metricKey, texts] of Object.entries(figures)) for (const text of texts) sums.add(metricKey, date, 'PAID_SOCIAL', campaign, text);
  }
}

export const metaAdsProvider: DataProviderFactory = (config) => new MetaAdsProvider(config);
