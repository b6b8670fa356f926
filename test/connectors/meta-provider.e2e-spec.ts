import { loadAppConfig } from '@pilotage/config';
import { createPkcePair, META_GRAPH_API_VERSION, MetaAdsProvider, ProviderError, type ConnectionTokens, type PulledValue } from '@pilotage/connectors';
import { metricValueViolation } from '@pilotage/ingestion';
import { findMetric } from '@pilotage/kpi';
import { json, startFakePlatforms, type RunningFakes } from '../support/fakes/fake-server';
import { businessUseCaseUsage, metaErrorBody, metaUserLimitReached, type MetaFake, type MetaInsightRow } from '../support/fakes/meta.fake';
import { FAKE_META_APP, FAKE_OAUTH_REDIRECT_URL, startPlatformFakes, type PlatformFakes } from '../support/fakes/platform-fakes';
import { PEER_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const REDIRECT_URL = FAKE_OAUTH_REDIRECT_URL;
const ACCOUNT = 'act_1029384756';
const RANGE = { from: '2026-10-01', to: '2026-10-31' };

/** Cents as Meta's decimal text, normalized ("12.5", "3"). */
function centsText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const magnitude = Math.abs(cents);
  const fraction = String(magnitude % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(magnitude / 100)}${fraction === '' ? '' : `.${fraction}`}`;
}

const cents = (text: string): number => Math.round(Number(text) * 100);

/** What the provider must write for these rows, computed here from the fake's own rows: sums per metric, day and campaign name. */
function expectedValues(rows: readonly MetaInsightRow[]): Map<string, string> {
  const sums = new Map<string, { cents: boolean; total: number }>();
  const add = (metric: string, row: MetaInsightRow, total: number, isCents: boolean): void => {
    const key = `${metric}|${row.date}|${row.campaignName}`;
    const sum = sums.get(key) ?? { cents: isCents, total: 0 };
    sum.total += total;
    sums.set(key, sum);
  };
  for (const row of rows) {
    add('ad_spend', row, cents(row.spend), true);
    add('ad_impressions', row, Number(row.impressions), false);
    add('ad_clicks', row, Number(row.inlineLinkClicks), false);
    add('ad_conversions', row, Number(row.purchases7dClick) + Number(row.purchases1dView), false);
    add('ad_revenue', row, cents(row.purchaseValue7dClick) + cents(row.purchaseValue1dView), true);
  }
  return new Map([...sums].map(([key, sum]) => [key, sum.cents ? centsText(sum.total) : String(sum.total)]));
}

function byKey(values: readonly PulledValue[]): Map<string, string> {
  // Every value is decimal text the import path accepts for its metric's unit.
  for (const value of values) {
    const metric = findMetric(value.metricKey);
    expect({ value, violation: metric === undefined ? 'unknown metric' : metricValueViolation(value.valueText, metric.unit) }).toEqual({
      value,
      violation: null,
    });
  }
  return new Map(values.map((value) => [`${value.metricKey}|${value.date}|${value.campaign}`, value.valueText]));
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

describe(MetaAdsProvider.name, () => {
  let meta: MetaFake;
  let fakes: PlatformFakes;
  let foreign: RunningFakes;
  const foreignCalls: string[] = [];
  let provider: MetaAdsProvider;
  /** Every token the tests handled: none may appear in an error message. */
  const secrets = new Set<string>([FAKE_META_APP.appSecret]);

  beforeAll(async () => {
    fakes = await startPlatformFakes();
    meta = fakes.meta;
    // Another site a page could point at: it must never receive a call (nor the token).
    foreign = await startFakePlatforms({
      '/meta-graph': {
        handle: (request) => {
          foreignCalls.push(request.url.pathname);
          return json(200, { data: [] });
        },
      },
    });
    const config = loadAppConfig({ NODE_ENV: 'test', ...fakes.env }).connectors;
    provider = new MetaAdsProvider(config);
  }, PEER_TIMEOUT_MS);

  afterAll(async () => {
    await fakes.close();
    await foreign.close();
  }, TEARDOWN_TIMEOUT_MS);

  beforeEach(() => {
    meta.failures.clear();
    meta.pageSize = 25;
    meta.nextOrigin = null;
  });

  function token(): string {
    const { accessToken } = meta.issueTokens();
    secrets.add(accessToken);
    return accessToken;
  }

  async function failing(promise: Promise<unknown>): Promise<ProviderError> {
    const error = await failureOf(promise);
    // No token nor the app secret in an error message (it becomes the connection's last error).
    for (const secret of secrets) expect(error.message).not.toContain(secret);
    return error;
  }

  /** Opens the consent URL as a browser would and returns the code Meta sent back. */
  async function consent(challenge: string, state: string): Promise<string> {
    const url = provider.oauth.authorizationUrl({ state, codeChallenge: challenge, scopes: provider.scopes });
    const answer = await fetch(url, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URL);
    expect(back.searchParams.get('state')).toBe(state);
    return back.searchParams.get('code') ?? '';
  }

  describe('OAuth', () => {
    it('sends the consent to the versioned login dialog with ads_read, state and an S256 challenge', () => {
      const url = new URL(provider.oauth.authorizationUrl({ state: 'state-1', codeChallenge: 'challenge-1', scopes: provider.scopes }));
      expect(url.pathname).toBe(`/meta-web/${META_GRAPH_API_VERSION}/dialog/oauth`);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        client_id: FAKE_META_APP.appId,
        redirect_uri: REDIRECT_URL,
        state: 'state-1',
        response_type: 'code',
        scope: 'ads_read',
        code_challenge: 'challenge-1',
        code_challenge_method: 'S256',
      });
    });

    it('exchanges the code with the right verifier for a long-lived token, without a refresh token', async () => {
      const pkce = createPkcePair();
      const code = await consent(pkce.challenge, 'state-ok');
      const callsBefore = meta.graphCalls.length;
      const tokens = await provider.oauth.exchangeCode({ code, codeVerifier: pkce.verifier });
      secrets.add(tokens.accessToken);
      expect(tokens.refreshToken).toBeNull();
      expect(tokens.scopes).toContain('ads_read');
      expect(meta.isValid(tokens.accessToken)).toBe(true);
      // About 60 days: the long-lived token, not the hour-long one the code gave.
      const days = ((tokens.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(59);
      const calls = meta.graphCalls.slice(callsBefore);
      expect(calls.map((call) => `${call.method} ${call.url.pathname}`)).toEqual([
        `POST /${META_GRAPH_API_VERSION}/oauth/access_token`,
        `POST /${META_GRAPH_API_VERSION}/oauth/access_token`,
        `GET /${META_GRAPH_API_VERSION}/me/permissions`,
      ]);
      // The secret, the code and the tokens travel in bodies and headers, never in URLs.
      for (const call of calls) expect(call.url.search).toBe('');
      expect(meta.versionsSeen).toEqual(new Set([META_GRAPH_API_VERSION]));
    });

    it('refuses a wrong verifier and a code used twice as UNAUTHORIZED', async () => {
      const pkce = createPkcePair();
      const code = await consent(pkce.challenge, 'state-wrong');
      const wrong = await failing(provider.oauth.exchangeCode({ code, codeVerifier: createPkcePair().verifier }));
      expect(wrong.kind).toBe('UNAUTHORIZED');
      expect(wrong.message).toMatch(/^Meta refused the authorization/);
      // The fake burnt the code on the failed attempt, as an authorization server should.
      const reused = await failing(provider.oauth.exchangeCode({ code, codeVerifier: pkce.verifier }));
      expect(reused.kind).toBe('UNAUTHORIZED');
    });

    it('refuses an authorization where the user unticked ads_read', async () => {
      const pkce = createPkcePair();
      meta.declineNextPermission('ads_read');
      const code = await consent(pkce.challenge, 'state-declined');
      const error = await failing(provider.oauth.exchangeCode({ code, codeVerifier: pkce.verifier }));
      expect(error.kind).toBe('FORBIDDEN');
      expect(error.message).toContain('ads_read permission was not granted');
    });

    it('cannot refresh: asks to reconnect, naming the expiry date', async () => {
      const expiring: ConnectionTokens = { accessToken: token(), refreshToken: null, expiresAt: new Date('2027-01-31T10:00:00Z'), scopes: ['ads_read'] };
      const before = await failing(provider.oauth.refresh(expiring));
      expect(before.kind).toBe('UNAUTHORIZED');
      expect(before.message).toBe('Meta: the access token expires on 2027-01-31 and Meta issues no refresh token: reconnect the ad account before then');
      const after = await failing(provider.oauth.refresh({ ...expiring, expiresAt: new Date('2026-11-02T10:00:00Z') }));
      expect(after.message).toBe('Meta: the access token expired on 2026-11-02 and Meta issues no refresh token: reconnect the ad account');
    });

    it('revokes the grant with DELETE /me/permissions: the token stops working', async () => {
      const accessToken = token();
      await provider.oauth.revoke({ accessToken, refreshToken: null, expiresAt: null, scopes: ['ads_read'] });
      expect(meta.isValid(accessToken)).toBe(false);
      const error = await failing(provider.pull({ accountId: ACCOUNT, accessToken, range: RANGE }));
      expect(error.kind).toBe('UNAUTHORIZED');
    });
  });

  describe('insights', () => {
    it('writes the fake’s rows as raw counts summed per day and campaign name, over several pages', async () => {
      meta.pageSize = 7;
      const accessToken = token();
      const callsBefore = meta.graphCalls.length;
      const result = await provider.pull({ accountId: ACCOUNT, accessToken, range: RANGE });
      const rows = meta.rowsFor(ACCOUNT, RANGE.from, RANGE.to);
      expect(rows.length).toBeGreaterThan(50);
      expect(result.requests).toBe(Math.ceil(rows.length / 7));
      expect(byKey(result.values)).toEqual(expectedValues(rows));
      // Two campaigns share a name: one value per day and name, not two.
      expect(result.values).toHaveLength(byKey(result.values).size);
      expect(new Set(result.values.map((value) => value.channel))).toEqual(new Set(['PAID_SOCIAL']));
      expect(new Set(result.values.map((value) => value.metricKey))).toEqual(new Set(provider.metricKeys));
      const calls = meta.graphCalls.slice(callsBefore);
      expect(calls).toHaveLength(result.requests);
      for (const call of calls) {
        expect(call.url.searchParams.has('access_token')).toBe(false);
        expect(call.authorization).toBe(`Bearer ${accessToken}`);
        expect(call.url.pathname).toBe(`/${META_GRAPH_API_VERSION}/${ACCOUNT}/insights`);
        expect(JSON.parse(call.url.searchParams.get('action_attribution_windows') ?? '')).toEqual(['7d_click', '1d_view']);
      }
    });

    it('stores link clicks, not all clicks, and purchases of omni_purchase only', async () => {
      const range = { from: '2026-10-05', to: '2026-10-05' };
      const result = await provider.pull({ accountId: ACCOUNT, accessToken: token(), range });
      const rows = meta.rowsFor(ACCOUNT, range.from, range.to).filter((row) => row.campaignName === 'Retargeting');
      expect(rows).toHaveLength(1);
      const values = byKey(result.values);
      expect(values.get('ad_clicks|2026-10-05|Retargeting')).toBe(rows[0].inlineLinkClicks);
      expect(values.get('ad_clicks|2026-10-05|Retargeting')).not.toBe(rows[0].clicks);
      expect(values.get('ad_conversions|2026-10-05|Retargeting')).toBe(String(Number(rows[0].purchases7dClick) + Number(rows[0].purchases1dView)));
    });

    it('gives the restated figures of a day on a second pull, and drops a row Meta no longer serves', async () => {
      const accessToken = token();
      const range = { from: '2026-10-10', to: '2026-10-12' };
      const first = byKey((await provider.pull({ accountId: ACCOUNT, accessToken, range })).values);
      expect(first.get('ad_conversions|2026-10-11|Retargeting')).toBeDefined();
      meta.restate(ACCOUNT, '2026-10-11', '120210000000000002', {
        purchases7dClick: '40',
        purchaseValue7dClick: '4000.25',
        purchases1dView: '2',
        purchaseValue1dView: '99.5',
      });
      meta.restate(ACCOUNT, '2026-10-12', '120210000000000002', { drop: true });
      const second = byKey((await provider.pull({ accountId: ACCOUNT, accessToken, range })).values);
      expect(second.get('ad_conversions|2026-10-11|Retargeting')).toBe('42');
      expect(second.get('ad_revenue|2026-10-11|Retargeting')).toBe('4099.75');
      expect(second.has('ad_spend|2026-10-12|Retargeting')).toBe(false);
      expect(second).toEqual(expectedValues(meta.rowsFor(ACCOUNT, range.from, range.to)));
    });

    it('waits out Meta’s throttling (code 17, then a 429) as Retry-After asks, then completes', async () => {
      const givenBefore = meta.failures.given;
      meta.failures.add(metaUserLimitReached({ 'retry-after': '1' }));
      meta.failures.add(json(429, metaErrorBody(4, 'Application request limit reached'), { 'retry-after': '1' }));
      const started = Date.now();
      const result = await provider.pull({ accountId: ACCOUNT, accessToken: token(), range: RANGE });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(meta.failures.given - givenBefore).toBe(2);
      expect(byKey(result.values)).toEqual(expectedValues(meta.rowsFor(ACCOUNT, RANGE.from, RANGE.to)));
    });

    it('reads the wait from X-Business-Use-Case-Usage and leaves a long one to the queue', async () => {
      meta.failures.add(
        json(
          400,
          metaErrorBody(80000, 'There have been too many calls from this ad-account. Wait a bit and try again.', 2446079),
          businessUseCaseUsage(ACCOUNT, 5),
        ),
      );
      const started = Date.now();
      const error = await failing(provider.pull({ accountId: ACCOUNT, accessToken: token(), range: RANGE }));
      expect(error.kind).toBe('RATE_LIMITED');
      expect(error.retryAfterMs).toBe(5 * 60_000);
      expect(error.message).toContain('code 80000');
      // Five minutes is more than a worker waits for itself: the call fails at once for the job to be retried later.
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('retries past 5xx answers', async () => {
      const givenBefore = meta.failures.given;
      meta.failures.add(json(503, { error: { message: 'Service temporarily unavailable', code: 2, type: 'OAuthException' } }), 2);
      const result = await provider.pull({ accountId: ACCOUNT, accessToken: token(), range: RANGE });
      expect(meta.failures.given - givenBefore).toBe(2);
      expect(byKey(result.values)).toEqual(expectedValues(meta.rowsFor(ACCOUNT, RANGE.from, RANGE.to)));
    });

    it('fails an expired token as UNAUTHORIZED (code 190) without retrying', async () => {
      const accessToken = token();
      meta.expireAccessTokens();
      const callsBefore = meta.graphCalls.length;
      const error = await failing(provider.pull({ accountId: ACCOUNT, accessToken, range: RANGE }));
      expect(error.kind).toBe('UNAUTHORIZED');
      expect(error.message).toMatch(/^Meta Ads: the access token expired or was revoked \(Error validating access token: Session has expired/);
      expect(meta.graphCalls.length - callsBefore).toBe(1);
    });

    it('does not follow a paging.next to another site: it pages with the after cursor instead', async () => {
      meta.pageSize = 10;
      meta.nextOrigin = foreign.origin;
      const result = await provider.pull({ accountId: ACCOUNT, accessToken: token(), range: RANGE });
      const rows = meta.rowsFor(ACCOUNT, RANGE.from, RANGE.to);
      expect(result.requests).toBe(Math.ceil(rows.length / 10));
      expect(byKey(result.values)).toEqual(expectedValues(rows));
      expect(foreignCalls).toEqual([]);
    });

    it('accepts act_<digits> or bare digits as the account id', () => {
      expect(provider.normalizeAccountId(' 1029384756 ')).toEqual({ accountId: 'act_1029384756' });
      expect(provider.normalizeAccountId('act_1029384756')).toEqual({ accountId: 'act_1029384756' });
      expect(provider.normalizeAccountId('acct-12')).toEqual({ problem: expect.stringContaining('act_ followed by digits') as unknown });
      expect(provider.sourceOf('act_1029384756')).toBe('Meta Ads act_1029384756');
    });
  });
});
