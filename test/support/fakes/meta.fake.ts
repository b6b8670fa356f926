import { createHash, randomBytes } from 'node:crypto';
import { FailurePlan, bearerOf, formBody, json, type FakePlatform, type FakeRequest, type FakeResponse } from './fake-server';

/*
 * Meta's login dialog (www.facebook.com) and Graph API (graph.facebook.com) as documented:
 * Facebook Login "Manually Build a Login Flow" and "OIDC Code Flow with PKCE", "Long-Lived Access
 * Tokens", Graph API "User Permissions", "Paginated Results" and "Error Handling", Marketing API
 * "Insights API" (AdsInsights, AdsActionStats) and "Rate Limiting".
 */

/** One campaign's day as the fake serves it; numbers as Meta sends them (decimal strings). */
export interface MetaInsightRow {
  readonly accountId: string;
  readonly date: string;
  readonly campaignId: string;
  readonly campaignName: string;
  readonly spend: string;
  readonly impressions: string;
  readonly inlineLinkClicks: string;
  /** Every click (likes, comments, link clicks...): served as `clicks`, not what the provider should store. */
  readonly clicks: string;
  /** omni_purchase within 7 days after a click / 1 day after a view. */
  readonly purchases7dClick: string;
  readonly purchases1dView: string;
  readonly purchaseValue7dClick: string;
  readonly purchaseValue1dView: string;
}

export type MetaRowChange = Partial<Omit<MetaInsightRow, 'accountId' | 'date' | 'campaignId' | 'campaignName'>> | { readonly drop: true };

/**
 * The campaigns of every fake ad account. Two share a name (a duplicated campaign): the
 * provider sums them into one campaign of the day.
 */
export const META_FAKE_CAMPAIGNS: readonly { readonly id: string; readonly name: string }[] = [
  { id: '120210000000000001', name: 'Prospecting – Lookalike 1%' },
  { id: '120210000000000002', name: 'Retargeting' },
  { id: '120210000000000003', name: 'Prospecting – Lookalike 1%' },
];

interface IssuedToken {
  readonly userGrant: string;
  expiresAt: number;
  revoked: boolean;
}

interface PendingCode {
  readonly challenge: string;
  readonly redirectUri: string;
  used: boolean;
}

/** Meta's error body: `{ error: { message, type, code, error_subcode, fbtrace_id } }`. */
export function metaErrorBody(code: number, message: string, subcode?: number, type = 'OAuthException'): unknown {
  return { error: { message, type, code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: 'AbCdEfGhIjK' } };
}

/** The user request limit answer (code 17, subcode 2446079), HTTP 400 as Meta sends it. */
export function metaUserLimitReached(headers: Record<string, string> = {}): FakeResponse {
  return json(400, metaErrorBody(17, 'User request limit reached', 2446079), headers);
}

/** The X-Business-Use-Case-Usage header of a throttled ad account: wait `minutes` minutes. */
export function businessUseCaseUsage(accountId: string, minutes: number): Record<string, string> {
  const usage = {
    [accountId.replace(/^act_/, '')]: [{ type: 'ads_insights', call_count: 100, total_cputime: 40, total_time: 60, estimated_time_to_regain_access: minutes }],
  };
  return { 'x-business-use-case-usage': JSON.stringify(usage) };
}

function hashInt(...parts: string[]): number {
  return createHash('sha256').update(parts.join('|')).digest().readUInt32BE(0);
}

function decimal(cents: number): string {
  const text = (cents / 100).toFixed(2);
  return text.replace(/\.?0+$/, '');
}

function* days(from: string, to: string): Generator<string> {
  for (let day = new Date(`${from}T00:00:00Z`); day.toISOString().slice(0, 10) <= to; day = new Date(day.getTime() + 86_400_000)) {
    yield day.toISOString().slice(0, 10);
  }
}

const VERSIONED = /^\/(v\d+\.\d+)(\/.*)$/;
const REQUIRED_FIELDS = ['campaign_id', 'campaign_name', 'spend', 'impressions', 'actions', 'action_values'];

/**
 * Meta for the tests: `web` serves the login dialog under META_WEB_BASE_URL, `graph` the token
 * endpoint, /me/permissions and the insights edge under META_GRAPH_API_BASE_URL.
 */
export class MetaFake {
  readonly web: FakePlatform = { handle: (request) => this.handleWeb(request) };
  readonly graph: FakePlatform = { handle: (request) => this.handleGraph(request) };
  /** Failures given to insights calls before they answer normally. */
  readonly failures = new FailurePlan();
  /** Every Graph API call with its full URL and Authorization header (assert no token in URLs). */
  readonly graphCalls: { readonly method: string; readonly url: URL; readonly authorization: string | undefined }[] = [];
  /** The API versions the client named (`v27.0`). */
  readonly versionsSeen = new Set<string>();
  /** Rows per insights page: lowered by tests to force several pages. */
  pageSize = 25;
  /** When set, `paging.next` points at this origin instead of the fake's own (a test of where the token goes). */
  nextOrigin: string | null = null;
  /** Lifetime of short-lived tokens (seconds) and of long-lived ones. */
  shortLivedSeconds = 3600;
  longLivedSeconds = 5_184_000;

  private readonly codes = new Map<string, PendingCode>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly restated = new Map<string, MetaRowChange>();
  private denyConsent = false;
  private declinePermission: string | null = null;
  private readonly declinedGrants = new Map<string, string>();

  constructor(
    private readonly options: {
      /** The test Meta app (FAKE_META_APP of platform-fakes.ts). */
      readonly appId: string;
      readonly appSecret: string;
      /** The redirect URI registered with the app. */
      readonly redirectUri: string;
      /** Where the Graph API fake is mounted, for `paging.next` URLs. */
      readonly graphPrefix?: string;
    },
  ) {}

  denyNextConsent(): void {
    this.denyConsent = true;
  }

  /** The next consent grants every permission but this one (the user unticked it). */
  declineNextPermission(permission: string): void {
    this.declinePermission = permission;
  }

  /** A valid long-lived token without going through the dialog. */
  issueTokens(): { accessToken: string; expiresAt: Date } {
    const accessToken = this.issue(randomBytes(8).toString('hex'), this.longLivedSeconds);
    return { accessToken, expiresAt: new Date(this.tokens.get(accessToken)?.expiresAt ?? 0) };
  }

  /** Every token issued so far has expired (code 190, subcode 463). */
  expireAccessTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = Date.now() - 1000;
  }

  /** Whether a token still works (not expired, not revoked). */
  isValid(accessToken: string): boolean {
    const token = this.tokens.get(accessToken);
    return token !== undefined && !token.revoked && token.expiresAt > Date.now();
  }

  /** Later pulls of `date` serve `change` for that campaign (or no row at all with `{ drop: true }`). */
  restate(accountId: string, date: string, campaignId: string, change: MetaRowChange): void {
    this.restated.set(`${accountId}|${date}|${campaignId}`, change);
  }

  /** The rows served for an account and an inclusive range, ordered by day then campaign id. */
  rowsFor(accountId: string, from: string, to: string): MetaInsightRow[] {
    const rows: MetaInsightRow[] = [];
    for (const date of days(from, to)) {
      for (const campaign of META_FAKE_CAMPAIGNS) {
        const row = this.row(accountId, date, campaign);
        if (row !== null) rows.push(row);
      }
    }
    return rows;
  }

  private row(accountId: string, date: string, campaign: { id: string; name: string }): MetaInsightRow | null {
    const seed = hashInt(accountId, date, campaign.id);
    // A campaign without delivery that day has no row (Meta leaves out empty rows).
    if (seed % 9 === 0) return null;
    const impressions = 500 + (seed % 9500);
    const inlineLinkClicks = Math.floor(impressions * (0.005 + ((seed >>> 8) % 20) / 1000));
    const purchases7dClick = (seed >>> 12) % 6;
    const purchases1dView = (seed >>> 16) % 3;
    const generated: MetaInsightRow = {
      accountId,
      date,
      campaignId: campaign.id,
      campaignName: campaign.name,
      spend: decimal(1000 + (seed % 45_000)),
      impressions: String(impressions),
      inlineLinkClicks: String(inlineLinkClicks),
      clicks: String(inlineLinkClicks + ((seed >>> 4) % 40)),
      purchases7dClick: String(purchases7dClick),
      purchases1dView: String(purchases1dView),
      purchaseValue7dClick: decimal(purchases7dClick * (2500 + ((seed >>> 20) % 5000))),
      purchaseValue1dView: decimal(purchases1dView * (1999 + ((seed >>> 24) % 3000))),
    };
    const change = this.restated.get(`${accountId}|${date}|${campaign.id}`);
    if (change === undefined) return generated;
    if ('drop' in change) return null;
    return { ...generated, ...change };
  }

  private issue(userGrant: string, seconds: number): string {
    const token = `EAAG${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { userGrant, expiresAt: Date.now() + seconds * 1000, revoked: false });
    return token;
  }

  private handleWeb(request: FakeRequest): FakeResponse | null {
    const match = VERSIONED.exec(request.url.pathname);
    if (match === null || match[2] !== '/dialog/oauth' || request.method !== 'GET') return null;
    this.versionsSeen.add(match[1]);
    const query = request.url.searchParams;
    if (query.get('client_id') !== this.options.appId) return json(400, { error: { message: 'Invalid App ID', code: 101 } });
    const redirectUri = query.get('redirect_uri');
    if (redirectUri !== this.options.redirectUri) return json(400, { error: { message: 'URL blocked: redirect_uri is not whitelisted', code: 191 } });
    const state = query.get('state') ?? '';
    const back = new URL(redirectUri);
    if (this.denyConsent) {
      this.denyConsent = false;
      // The documented answer when the person cancels the dialog.
      back.search = new URLSearchParams({ error_reason: 'user_denied', error: 'access_denied', error_description: 'Permissions error.', state }).toString();
      return { status: 302, headers: { location: back.toString() } };
    }
    const challenge = query.get('code_challenge');
    if (query.get('response_type') !== 'code' || challenge === null || query.get('code_challenge_method') !== 'S256') {
      return json(400, { error: { message: 'response_type=code, code_challenge and code_challenge_method=S256 are required', code: 100 } });
    }
    const code = `AQ${randomBytes(24).toString('base64url')}`;
    this.codes.set(code, { challenge, redirectUri, used: false });
    back.search = new URLSearchParams({ code, state }).toString();
    return { status: 302, headers: { location: back.toString() } };
  }

  private async handleGraph(request: FakeRequest): Promise<FakeResponse | null> {
    const match = VERSIONED.exec(request.url.pathname);
    if (match === null) return null;
    this.versionsSeen.add(match[1]);
    this.graphCalls.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
    const path = match[2];
    // The Graph API takes parameters in the query or (POST) in a form body.
    const params = new URLSearchParams(request.url.search);
    if (request.method === 'POST') for (const [name, value] of formBody(request)) params.set(name, value);
    if (path === '/oauth/access_token' && (request.method === 'GET' || request.method === 'POST')) return this.token(params);
    const token = bearerOf(request) ?? params.get('access_token');
    const unauthorized = this.checkToken(token);
    if (unauthorized !== null || token === null) return unauthorized;
    if (path === '/me/permissions') return this.permissions(request.method, token);
    const insights = /^\/(act_\d+)\/insights$/.exec(path);
    if (insights !== null && request.method === 'GET') {
      const failure = this.failures.take();
      if (failure !== null) return failure;
      return this.insights(request, insights[1], params, match[1]);
    }
    return null;
  }

  private checkToken(token: string | null): FakeResponse | null {
    if (token === null) return json(400, metaErrorBody(2500, 'An active access token must be used to query information about the current user.'));
    const issued = this.tokens.get(token);
    if (issued === undefined || issued.revoked) return json(400, metaErrorBody(190, 'Invalid OAuth access token - Cannot parse access token'));
    if (issued.expiresAt <= Date.now()) {
      return json(400, metaErrorBody(190, `Error validating access token: Session has expired on ${new Date(issued.expiresAt).toUTCString()}.`, 463));
    }
    return null;
  }

  private token(params: URLSearchParams): FakeResponse {
    if (params.get('client_id') !== this.options.appId || params.get('client_secret') !== this.options.appSecret) {
      return json(400, metaErrorBody(1, 'Error validating client secret.'));
    }
    if (params.get('grant_type') === 'fb_exchange_token') {
      const shortLived = params.get('fb_exchange_token') ?? '';
      const issued = this.tokens.get(shortLived);
      if (issued === undefined || issued.revoked || issued.expiresAt <= Date.now())
        return json(400, metaErrorBody(190, 'Error validating access token: The session is invalid.'));
      const accessToken = this.issue(issued.userGrant, this.longLivedSeconds);
      return json(200, { access_token: accessToken, token_type: 'bearer', expires_in: this.longLivedSeconds });
    }
    const pending = this.codes.get(params.get('code') ?? '');
    if (pending === undefined) return json(400, metaErrorBody(100, 'Invalid verification code format.', 36009));
    if (pending.used) return json(400, metaErrorBody(100, 'This authorization code has been used.', 36009));
    if (params.get('redirect_uri') !== pending.redirectUri)
      return json(400, metaErrorBody(100, 'Error validating verification code. Please make sure your redirect_uri is identical.', 36008));
    pending.used = true;
    const verifier = params.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) return json(400, metaErrorBody(100, 'Invalid code verifier.'));
    const grant = randomBytes(8).toString('hex');
    if (this.declinePermission !== null) {
      this.declinedGrants.set(grant, this.declinePermission);
      this.declinePermission = null;
    }
    return json(200, { access_token: this.issue(grant, this.shortLivedSeconds), token_type: 'bearer', expires_in: this.shortLivedSeconds });
  }

  private permissions(method: string, token: string): FakeResponse | null {
    const grant = this.tokens.get(token)?.userGrant ?? '';
    if (method === 'DELETE') {
      // Removing the app's permissions logs the person out of it: every token of the grant stops working.
      for (const issued of this.tokens.values()) if (issued.userGrant === grant) issued.revoked = true;
      return json(200, { success: true });
    }
    if (method !== 'GET') return null;
    const declined = this.declinedGrants.get(grant);
    const data = ['ads_read', 'public_profile'].map((permission) => ({ permission, status: permission === declined ? 'declined' : 'granted' }));
    return json(200, { data });
  }

  private insights(request: FakeRequest, accountId: string, params: URLSearchParams, version: string): FakeResponse {
    const fields = (params.get('fields') ?? '').split(',');
    const missing = REQUIRED_FIELDS.filter((field) => !fields.includes(field));
    if (params.get('level') !== 'campaign' || params.get('time_increment') !== '1' || missing.length > 0) {
      return json(400, metaErrorBody(100, `(#100) level=campaign, time_increment=1 and the fields ${REQUIRED_FIELDS.join(',')} are expected`));
    }
    let range: unknown;
    try {
      range = JSON.parse(params.get('time_range') ?? '');
    } catch {
      range = null;
    }
    if (
      typeof range !== 'object' ||
      range === null ||
      !('since' in range) ||
      !('until' in range) ||
      typeof range.since !== 'string' ||
      typeof range.until !== 'string'
    ) {
      return json(400, metaErrorBody(100, '(#100) time_range must be {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}'));
    }
    const windows: unknown = JSON.parse(params.get('action_attribution_windows') ?? '[]');
    const askedWindows = Array.isArray(windows) ? windows.filter((window): window is string => typeof window === 'string') : [];
    const rows = this.rowsFor(accountId, range.since, range.until);
    const offset = params.has('after') ? Number(Buffer.from(params.get('after') ?? '', 'base64url').toString('utf8')) : 0;
    const limit = Math.min(this.pageSize, Number(params.get('limit') ?? '25') || 25);
    const slice = rows.slice(offset, offset + limit);
    const data = slice.map((row) => this.served(row, fields, askedWindows));
    const cursor = (position: number): string => Buffer.from(String(position)).toString('base64url');
    const paging: Record<string, unknown> = { cursors: { before: cursor(offset), after: cursor(offset + slice.length) } };
    if (offset + slice.length < rows.length) {
      const origin = this.nextOrigin ?? `http://${request.headers.host ?? '127.0.0.1'}`;
      const next = new URL(`${origin}${this.options.graphPrefix ?? '/meta-graph'}/${version}/${accountId}/insights`);
      next.search = request.url.search;
      next.searchParams.set('after', cursor(offset + slice.length));
      paging.next = next.toString();
    }
    return json(200, { data, paging });
  }

  private served(row: MetaInsightRow, fields: readonly string[], windows: readonly string[]): Record<string, unknown> {
    const stat = (actionType: string, click: string, view: string): Record<string, string> => {
      const total = decimal(Math.round((Number(click) + Number(view)) * 100));
      const windowed: Record<string, string> = { action_type: actionType, value: total };
      if (windows.includes('7d_click')) windowed['7d_click'] = click;
      if (windows.includes('1d_view')) windowed['1d_view'] = view;
      return windowed;
    };
    const purchasing = Number(row.purchases7dClick) + Number(row.purchases1dView) > 0;
    const all: Record<string, unknown> = {
      campaign_id: row.campaignId,
      campaign_name: row.campaignName,
      spend: row.spend,
      impressions: row.impressions,
      clicks: row.clicks,
      inline_link_clicks: row.inlineLinkClicks,
      actions: [
        { action_type: 'link_click', value: row.inlineLinkClicks },
        // The per-source types are parts of omni_purchase: a client adding them counts twice.
        ...(purchasing ? [stat('offsite_conversion.fb_pixel_purchase', row.purchases7dClick, row.purchases1dView)] : []),
        ...(purchasing ? [stat('omni_purchase', row.purchases7dClick, row.purchases1dView)] : []),
      ],
      action_values: purchasing
        ? [
            stat('offsite_conversion.fb_pixel_purchase', row.purchaseValue7dClick, row.purchaseValue1dView),
            stat('omni_purchase', row.purchaseValue7dClick, row.purchaseValue1dView),
          ]
        : undefined,
    };
    const served: Record<string, unknown> = {};
    for (const field of fields) if (all[field] !== undefined) served[field] = all[field];
    return { ...served, date_start: row.date, date_stop: row.date };
  }
}
