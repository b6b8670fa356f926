import { loadAppConfig, type ConnectorConfig } from '@pilotage/config';
import {
  createGa4Provider,
  createGoogleAdsProvider,
  createPkcePair,
  createSearchConsoleProvider,
  GOOGLE_ADS_API_VERSION,
  GoogleOAuth,
  ProviderError,
  ProviderRegistry,
  type ConnectionTokens,
  type PulledValue,
} from '@pilotage/connectors';
import { metricValueViolation } from '@pilotage/ingestion';
import { findMetric } from '@pilotage/kpi';
import { json } from '../support/fakes/fake-server';
import { GA4_SCOPE, type Ga4Row } from '../support/fakes/ga4.fake';
import { GOOGLE_ADS_SCOPE, googleAdsError, type GoogleAdsFakeRow } from '../support/fakes/google-ads.fake';
import { GOOGLE_READ_SCOPES, GOOGLE_UNAUTHENTICATED, googleError } from '../support/fakes/google-identity.fake';
import { FAKE_OAUTH_REDIRECT_URL, startPlatformFakes, type PlatformFakes } from '../support/fakes/platform-fakes';
import { SEARCH_CONSOLE_SCOPE } from '../support/fakes/search-console.fake';
import { PEER_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const SITE = 'sc-domain:example.com';
const RANGE = { from: '2026-10-01', to: '2026-10-12' };

/** position × impressions exactly, rounded half to even to 4 decimals, computed apart from the provider's code. */
function weighted(position: number, impressions: number): string {
  const [integer, fraction = ''] = String(position).split('.');
  const product = BigInt(`${integer}${fraction}`) * BigInt(impressions);
  const scale = fraction.length;
  let units = product;
  if (scale > 4) {
    const divisor = 10n ** BigInt(scale - 4);
    units = product / divisor;
    const twice = (product % divisor) * 2n;
    if (twice > divisor || (twice === divisor && units % 2n === 1n)) units += 1n;
  }
  const digits = Math.min(scale, 4);
  const text = units.toString().padStart(digits + 1, '0');
  const fractionText = text.slice(text.length - digits).replace(/0+$/, '');
  return `${text.slice(0, text.length - digits)}${fractionText === '' ? '' : `.${fractionText}`}`;
}

const byKey = (values: readonly PulledValue[]): Map<string, string> =>
  new Map(values.map((value) => [`${value.metricKey}|${value.date}|${value.channel}|${value.campaign}`, value.valueText]));

/** Every value is decimal text the import path accepts for its metric's unit. */
function expectValidValues(values: readonly PulledValue[]): void {
  for (const value of values) {
    const metric = findMetric(value.metricKey);
    expect(metric).toBeDefined();
    expect({ value, violation: metric === undefined ? 'unknown metric' : metricValueViolation(value.valueText, metric.unit) }).toEqual({
      value,
      violation: null,
    });
  }
}

describe('Google providers against the fakes', () => {
  let fakes: PlatformFakes;
  let config: ConnectorConfig;

  beforeAll(async () => {
    fakes = await startPlatformFakes();
    config = loadAppConfig({ NODE_ENV: 'test', ...fakes.env }).connectors;
  }, PEER_TIMEOUT_MS);

  afterAll(async () => {
    await fakes.close();
  }, TEARDOWN_TIMEOUT_MS);

  afterEach(() => {
    fakes.google.searchConsole.failures.clear();
    fakes.google.ga4.failures.clear();
    fakes.google.ads.failures.clear();
    fakes.google.ga4.pageSize = 250_000;
    fakes.google.ads.batchSize = 10_000;
    fakes.google.ads.developerTokenApproved = true;
  });

  const requestsTo = (prefix: string): number => fakes.requests.filter((request) => request.prefix === prefix).length;

  describe('Search Console', () => {
    let tokens: ConnectionTokens;

    beforeEach(() => {
      tokens = fakes.google.identity.issueTokens([SEARCH_CONSOLE_SCOPE]);
    });

    it('pulls clicks, impressions and position × impressions per day over several pages', async () => {
      const provider = createSearchConsoleProvider(config, { rowLimit: 5 });
      const rows = fakes.google.searchConsole.rowsFor(SITE, RANGE.from, RANGE.to);
      const before = requestsTo('/search-console');

      const result = await provider.pull({ accountId: SITE, accessToken: tokens.accessToken, range: RANGE });

      // 12 days by 5 rows a page: 5 + 5 + 2.
      expect(result.requests).toBe(3);
      expect(requestsTo('/search-console') - before).toBe(3);
      const expected = new Map(
        rows.flatMap((row) => [
          [`search_clicks|${row.keys[0]}|ORGANIC_SEARCH|`, String(row.clicks)],
          [`search_impressions|${row.keys[0]}|ORGANIC_SEARCH|`, String(row.impressions)],
          [`search_position_weighted|${row.keys[0]}|ORGANIC_SEARCH|`, weighted(row.position, row.impressions)],
        ]),
      );
      expect(expected.size).toBe(36);
      expect(byKey(result.values)).toEqual(expected);
      expectValidValues(result.values);
    });

    it('stops after one request when the first page is short, and reads an answer without rows as no data', async () => {
      const provider = createSearchConsoleProvider(config, { rowLimit: 5 });
      const three = await provider.pull({ accountId: SITE, accessToken: tokens.accessToken, range: { from: '2026-10-01', to: '2026-10-03' } });
      expect(three.requests).toBe(1);
      expect(three.values).toHaveLength(9);
      fakes.google.searchConsole.restate(SITE, '2026-09-01', () => null);
      const none = await provider.pull({ accountId: SITE, accessToken: tokens.accessToken, range: { from: '2026-09-01', to: '2026-09-01' } });
      expect(none).toEqual({ values: [], requests: 1 });
    });

    it('sees a restated day on the second pull', async () => {
      const provider = createSearchConsoleProvider(config);
      const range = { from: '2026-08-01', to: '2026-08-03' };
      const first = byKey((await provider.pull({ accountId: SITE, accessToken: tokens.accessToken, range })).values);
      fakes.google.searchConsole.restate(SITE, '2026-08-02', (row) => ({ ...row, clicks: row.clicks + 7, impressions: row.impressions + 100 }));
      const second = byKey((await provider.pull({ accountId: SITE, accessToken: tokens.accessToken, range })).values);
      const [restated] = fakes.google.searchConsole.rowsFor(SITE, '2026-08-02', '2026-08-02');
      expect(second.get('search_clicks|2026-08-02|ORGANIC_SEARCH|')).toBe(String(restated.clicks));
      expect(Number(second.get('search_clicks|2026-08-02|ORGANIC_SEARCH|'))).toBe(Number(first.get('search_clicks|2026-08-02|ORGANIC_SEARCH|')) + 7);
      expect(second.get('search_position_weighted|2026-08-02|ORGANIC_SEARCH|')).toBe(weighted(restated.position, restated.impressions));
      expect(second.get('search_clicks|2026-08-01|ORGANIC_SEARCH|')).toBe(first.get('search_clicks|2026-08-01|ORGANIC_SEARCH|'));
    });

    it('answers 401 UNAUTHENTICATED for an expired token: UNAUTHORIZED, without the token in the message', async () => {
      const provider = createSearchConsoleProvider(config);
      fakes.google.identity.expireAccessTokens();
      const error = await provider.pull({ accountId: SITE, accessToken: tokens.accessToken, range: RANGE }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: 'UNAUTHORIZED', status: 401 });
      expect((error as ProviderError).message).toContain('Search Console');
      expect((error as ProviderError).message).not.toContain(tokens.accessToken);
    });

    it('normalizes Domain and URL-prefix properties and explains a wrong one', () => {
      const provider = createSearchConsoleProvider(config);
      expect(provider.normalizeAccountId(' sc-domain:Example.com ')).toEqual({ accountId: 'sc-domain:example.com' });
      expect(provider.normalizeAccountId('https://www.example.com')).toEqual({ accountId: 'https://www.example.com/' });
      expect(provider.normalizeAccountId('example.com')).toEqual({ problem: expect.stringContaining('sc-domain:example.com') });
      expect(provider.normalizeAccountId('https://www.example.com/blog')).toEqual({ problem: expect.stringContaining('slash') });
    });

    it('pulls a URL-prefix property (its URL encoded in the path)', async () => {
      const provider = createSearchConsoleProvider(config);
      const result = await provider.pull({
        accountId: 'https://www.example.com/',
        accessToken: tokens.accessToken,
        range: { from: '2026-10-01', to: '2026-10-01' },
      });
      const [row] = fakes.google.searchConsole.rowsFor('https://www.example.com/', '2026-10-01', '2026-10-01');
      expect(byKey(result.values).get('search_impressions|2026-10-01|ORGANIC_SEARCH|')).toBe(String(row.impressions));
    });

    it('is refused a site the user cannot read: FORBIDDEN', async () => {
      const provider = createSearchConsoleProvider(config);
      await expect(provider.pull({ accountId: 'sc-domain:other.org', accessToken: tokens.accessToken, range: RANGE })).rejects.toMatchObject({
        kind: 'FORBIDDEN',
      });
    });
  });

  describe('GA4', () => {
    const PROPERTY = '123456789';
    /** The fake's channel groups as our channels, written out here rather than taken from the code under test. */
    const CHANNEL_OF: Readonly<Record<string, string>> = {
      'Organic Search': 'ORGANIC_SEARCH',
      Direct: 'DIRECT',
      'Paid Search': 'PAID_SEARCH',
      Email: 'EMAIL',
      Referral: 'REFERRAL',
      'Organic Social': 'OTHER',
      Unassigned: 'OTHER',
    };
    const campaignOf = (name: string): string => (['(not set)', '(direct)', '(organic)', '(referral)'].includes(name) ? '' : name);

    function expectedOf(rows: readonly Ga4Row[]): Map<string, string> {
      const sums = new Map<string, number>();
      const add = (metric: string, row: Ga4Row, value: number): void => {
        const key = `${metric}|${row.date}|${CHANNEL_OF[row.sessionDefaultChannelGroup]}|${campaignOf(row.sessionCampaignName)}`;
        sums.set(key, (sums.get(key) ?? 0) + value);
      };
      for (const row of rows) {
        add('sessions', row, row.sessions);
        add('bounced_sessions', row, row.sessions - row.engagedSessions);
        add('new_visitors', row, row.newUsers);
      }
      return new Map([...sums].map(([key, value]) => [key, String(value)]));
    }

    it('pulls sessions, bounced sessions and new visitors per day, channel and campaign over several pages', async () => {
      fakes.google.ga4.pageSize = 10;
      const tokens = fakes.google.identity.issueTokens([GA4_SCOPE]);
      const range = { from: '2026-10-01', to: '2026-10-03' };
      const rows = fakes.google.ga4.rowsFor(PROPERTY, range.from, range.to);
      expect(rows).toHaveLength(24);
      const before = requestsTo('/ga4');

      const result = await createGa4Provider(config).pull({ accountId: PROPERTY, accessToken: tokens.accessToken, range });

      // 24 rows in pages of 10: 10 + 10 + 4.
      expect(result.requests).toBe(3);
      expect(requestsTo('/ga4') - before).toBe(3);
      const expected = expectedOf(rows);
      // Organic Social and Unassigned, both "(not set)", are one OTHER series: 7 series a day.
      expect(expected.size).toBe(3 * 7 * 3);
      expect(byKey(result.values)).toEqual(expected);
      expectValidValues(result.values);
    });

    it('sees a restated day on the second pull', async () => {
      const tokens = fakes.google.identity.issueTokens([GA4_SCOPE]);
      const range = { from: '2026-09-10', to: '2026-09-11' };
      const provider = createGa4Provider(config);
      const first = byKey((await provider.pull({ accountId: PROPERTY, accessToken: tokens.accessToken, range })).values);
      fakes.google.ga4.restate(PROPERTY, '2026-09-11', (row) => (row.sessionDefaultChannelGroup === 'Direct' ? { ...row, sessions: row.sessions + 40 } : row));
      fakes.google.ga4.restate(PROPERTY, '2026-09-11', (row) => (row.sessionDefaultChannelGroup === 'Email' ? null : row));
      const second = byKey((await provider.pull({ accountId: PROPERTY, accessToken: tokens.accessToken, range })).values);
      expect(second).toEqual(expectedOf(fakes.google.ga4.rowsFor(PROPERTY, range.from, range.to)));
      expect(Number(second.get('sessions|2026-09-11|DIRECT|'))).toBe(Number(first.get('sessions|2026-09-11|DIRECT|')) + 40);
      expect(first.has('sessions|2026-09-11|EMAIL|newsletter_2026_10')).toBe(true);
      expect(second.has('sessions|2026-09-11|EMAIL|newsletter_2026_10')).toBe(false);
    });

    it('waits out 429 RESOURCE_EXHAUSTED with Retry-After', async () => {
      const tokens = fakes.google.identity.issueTokens([GA4_SCOPE]);
      fakes.google.ga4.failures.add(
        json(429, { error: { code: 429, message: 'Exhausted concurrent requests quota.', status: 'RESOURCE_EXHAUSTED' } }, { 'retry-after': '1' }),
        2,
      );
      const before = requestsTo('/ga4');
      const started = Date.now();
      const result = await createGa4Provider(config).pull({
        accountId: PROPERTY,
        accessToken: tokens.accessToken,
        range: { from: '2026-10-01', to: '2026-10-01' },
      });
      expect(result.values.length).toBeGreaterThan(0);
      expect(requestsTo('/ga4') - before).toBe(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    });

    it('reads property ids and refuses a property the user cannot read', async () => {
      const provider = createGa4Provider(config);
      expect(provider.normalizeAccountId('properties/123456789')).toEqual({ accountId: '123456789' });
      expect(provider.normalizeAccountId('G-ABC123')).toEqual({ problem: expect.stringContaining('property ID') });
      const tokens = fakes.google.identity.issueTokens([GA4_SCOPE]);
      await expect(provider.pull({ accountId: '555', accessToken: tokens.accessToken, range: RANGE })).rejects.toMatchObject({
        kind: 'FORBIDDEN',
        status: 403,
      });
      // A token granted for another API only.
      const searchOnly = fakes.google.identity.issueTokens([SEARCH_CONSOLE_SCOPE]);
      await expect(provider.pull({ accountId: PROPERTY, accessToken: searchOnly.accessToken, range: RANGE })).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    });

    it('the fake answers a malformed report request with GA4’s 400 INVALID_ARGUMENT', async () => {
      const tokens = fakes.google.identity.issueTokens([GA4_SCOPE]);
      const response = await fetch(`${fakes.origin}/ga4/v1beta/properties/${PROPERTY}:runReport`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          dateRanges: [{ startDate: '2026-10-01', endDate: '2026-10-02' }],
          dimensions: [{ name: 'date' }],
          metrics: [{ name: 'bounceRate' }],
        }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    });
  });

  describe('Google Ads', () => {
    const CUSTOMER = '1234567890';
    const CHANNEL_OF: Readonly<Record<string, string>> = {
      SEARCH: 'PAID_SEARCH',
      SHOPPING: 'PAID_SEARCH',
      PERFORMANCE_MAX: 'PAID_SEARCH',
      DISPLAY: 'OTHER',
      VIDEO: 'OTHER',
    };

    /** micros / 10^6 to 4 decimals, half to even, with integers only. */
    function spendOf(micros: number): string {
      let hundreds = BigInt(Math.floor(micros / 100));
      const remainder = micros % 100;
      if (remainder > 50 || (remainder === 50 && hundreds % 2n === 1n)) hundreds += 1n;
      const text = hundreds.toString().padStart(5, '0');
      const fraction = text.slice(-4).replace(/0+$/, '');
      return `${text.slice(0, -4)}${fraction === '' ? '' : `.${fraction}`}`;
    }

    /** Conversions (multiples of 0.25 in the fake) to a whole number, half to even. */
    function wholeOf(conversions: number): string {
      const floor = Math.floor(conversions);
      const fraction = conversions - floor;
      return String(fraction > 0.5 || (fraction === 0.5 && floor % 2 === 1) ? floor + 1 : floor);
    }

    function expectedOf(rows: readonly GoogleAdsFakeRow[]): Map<string, string> {
      return new Map(
        rows.flatMap((row) => {
          const key = (metric: string): string => `${metric}|${row.date}|${CHANNEL_OF[row.advertisingChannelType]}|${row.campaignName}`;
          return [
            [key('ad_spend'), spendOf(row.costMicros)],
            [key('ad_clicks'), String(row.clicks)],
            [key('ad_impressions'), String(row.impressions)],
            [key('ad_conversions'), wholeOf(row.conversions)],
            [key('ad_revenue'), String(row.conversionsValue)],
          ];
        }),
      );
    }

    it('pulls cost, clicks, impressions, conversions and value per day and campaign from a stream of several batches', async () => {
      fakes.google.ads.batchSize = 4;
      const tokens = fakes.google.identity.issueTokens([GOOGLE_ADS_SCOPE]);
      const range = { from: '2026-10-01', to: '2026-10-03' };
      const rows = fakes.google.ads.rowsFor(CUSTOMER, range.from, range.to);
      const before = requestsTo('/google-ads');

      const result = await createGoogleAdsProvider(config).pull({ accountId: CUSTOMER, accessToken: tokens.accessToken, range });

      expect(result.requests).toBe(1);
      expect(requestsTo('/google-ads') - before).toBe(1);
      expect(fakes.requests.at(-1)?.path).toBe(`/${GOOGLE_ADS_API_VERSION}/customers/${CUSTOMER}/googleAds:searchStream`);
      const expected = expectedOf(rows);
      expect(expected.size).toBe(3 * 5 * 5);
      expect(byKey(result.values)).toEqual(expected);
      expectValidValues(result.values);
      // The fixtures do exercise the roundings: fractional conversions and micros beyond 4 decimals.
      expect(rows.some((row) => row.conversions % 1 !== 0)).toBe(true);
      expect(rows.some((row) => row.costMicros % 100 !== 0)).toBe(true);
    });

    it('sees a restated day (changed cost, a campaign removed) on the second pull', async () => {
      const tokens = fakes.google.identity.issueTokens([GOOGLE_ADS_SCOPE]);
      const range = { from: '2026-09-20', to: '2026-09-21' };
      const provider = createGoogleAdsProvider(config);
      await provider.pull({ accountId: CUSTOMER, accessToken: tokens.accessToken, range });
      fakes.google.ads.restate(CUSTOMER, '2026-09-21', (row) => (row.campaignId === '1001' ? { ...row, costMicros: 12_345_650, conversions: 2.5 } : row));
      fakes.google.ads.restate(CUSTOMER, '2026-09-21', (row) => (row.campaignId === '1004' ? null : row));
      const second = byKey((await provider.pull({ accountId: CUSTOMER, accessToken: tokens.accessToken, range })).values);
      expect(second).toEqual(expectedOf(fakes.google.ads.rowsFor(CUSTOMER, range.from, range.to)));
      expect(second.get('ad_spend|2026-09-21|PAID_SEARCH|Brand | Search FR')).toBe('12.3456');
      expect(second.get('ad_conversions|2026-09-21|PAID_SEARCH|Brand | Search FR')).toBe('2');
      expect(second.has('ad_spend|2026-09-21|OTHER|Remarketing display')).toBe(false);
    });

    it('sends login-customer-id for a customer reached through a manager account', async () => {
      const tokens = fakes.google.identity.issueTokens([GOOGLE_ADS_SCOPE]);
      const range = { from: '2026-10-01', to: '2026-10-01' };
      const direct = await createGoogleAdsProvider(config)
        .pull({ accountId: '2345678901', accessToken: tokens.accessToken, range })
        .catch((caught: unknown) => caught);
      expect(direct).toMatchObject({ kind: 'FORBIDDEN', message: expect.stringContaining('USER_PERMISSION_DENIED') });
      const managed = loadAppConfig({ NODE_ENV: 'test', ...fakes.env, GOOGLE_ADS_LOGIN_CUSTOMER_ID: '9999999999' }).connectors;
      const result = await createGoogleAdsProvider(managed).pull({ accountId: '2345678901', accessToken: tokens.accessToken, range });
      expect(byKey(result.values)).toEqual(expectedOf(fakes.google.ads.rowsFor('2345678901', range.from, range.to)));
    });

    it('says a developer token that is not approved is the agency’s configuration (REJECTED), not a reauthorization', async () => {
      fakes.google.ads.developerTokenApproved = false;
      const tokens = fakes.google.identity.issueTokens([GOOGLE_ADS_SCOPE]);
      const error = await createGoogleAdsProvider(config)
        .pull({ accountId: CUSTOMER, accessToken: tokens.accessToken, range: RANGE })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: 'REJECTED', status: 403, message: expect.stringContaining('DEVELOPER_TOKEN_NOT_APPROVED') });
      expect((error as ProviderError).message).toContain('GOOGLE_ADS_DEVELOPER_TOKEN');
      expect((error as ProviderError).message).not.toContain(tokens.accessToken);
    });

    it('waits out 429 RESOURCE_EXHAUSTED, by Retry-After or by the quota error’s retryDelay', async () => {
      const tokens = fakes.google.identity.issueTokens([GOOGLE_ADS_SCOPE]);
      const exhausted = googleAdsError(
        429,
        'RESOURCE_EXHAUSTED',
        'Resource has been exhausted (e.g. check quota).',
        { quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' },
        'Too many requests.',
      );
      fakes.google.ads.failures.add({ ...exhausted, headers: { 'retry-after': '1' } }, 1);
      const [status] = (exhausted.body as { error: { details: { errors: Record<string, unknown>[] }[] } }[]).map((item) => item.error);
      status.details[0].errors[0].details = { quotaErrorDetails: { rateScope: 'DEVELOPER', rateName: 'Requests per developer token', retryDelay: '1s' } };
      fakes.google.ads.failures.add(exhausted, 1);
      const before = requestsTo('/google-ads');
      const started = Date.now();
      const result = await createGoogleAdsProvider(config).pull({
        accountId: CUSTOMER,
        accessToken: tokens.accessToken,
        range: { from: '2026-10-01', to: '2026-10-01' },
      });
      expect(result.values).toHaveLength(25);
      expect(requestsTo('/google-ads') - before).toBe(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    });

    it('an expired token is UNAUTHORIZED; a 500 is retried', async () => {
      const tokens = fakes.google.identity.issueTokens([GOOGLE_ADS_SCOPE]);
      fakes.google.ads.failures.add(
        googleAdsError(500, 'INTERNAL', 'Internal error encountered.', { internalError: 'INTERNAL_ERROR' }, 'An internal error has occurred.'),
        1,
      );
      const range = { from: '2026-10-01', to: '2026-10-01' };
      expect((await createGoogleAdsProvider(config).pull({ accountId: CUSTOMER, accessToken: tokens.accessToken, range })).values).toHaveLength(25);
      fakes.google.identity.expireAccessTokens();
      const error = await createGoogleAdsProvider(config)
        .pull({ accountId: CUSTOMER, accessToken: tokens.accessToken, range })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'UNAUTHORIZED', status: 401 });
      expect((error as ProviderError).message).not.toContain(tokens.accessToken);
    });

    it('reads customer ids with or without dashes', () => {
      const provider = createGoogleAdsProvider(config);
      expect(provider.normalizeAccountId('123-456-7890')).toEqual({ accountId: '1234567890' });
      expect(provider.normalizeAccountId('1234567890')).toEqual({ accountId: '1234567890' });
      expect(provider.normalizeAccountId('123-456-789')).toEqual({ problem: expect.stringContaining('10 digits') });
      expect(provider.sourceOf('1234567890')).toBe('Google Ads 1234567890');
    });

    it('the fake answers a malformed GAQL query with a 400 GoogleAdsFailure', async () => {
      const tokens = fakes.google.identity.issueTokens([GOOGLE_ADS_SCOPE]);
      const response = await fetch(`${fakes.origin}/google-ads/${GOOGLE_ADS_API_VERSION}/customers/${CUSTOMER}/googleAds:searchStream`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.accessToken}`, 'developer-token': fakes.env.GOOGLE_ADS_DEVELOPER_TOKEN, 'content-type': 'application/json' },
        body: JSON.stringify({ query: "SELECT metrics.ctr FROM campaign WHERE segments.date BETWEEN '2026-10-01' AND '2026-10-02'" }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject([
        { error: { status: 'INVALID_ARGUMENT', details: [{ errors: [{ errorCode: { queryError: 'UNRECOGNIZED_FIELD' } }] }] } },
      ]);
    });
  });

  it('registers the three Google providers, asking for the scopes their APIs require', () => {
    const registry = new ProviderRegistry(loadAppConfig({ NODE_ENV: 'test', ...fakes.env }));
    expect(registry.get('GA4').scopes).toEqual([GA4_SCOPE]);
    expect(registry.get('GOOGLE_ADS').scopes).toEqual([GOOGLE_ADS_SCOPE]);
    expect(registry.get('SEARCH_CONSOLE').scopes).toEqual([SEARCH_CONSOLE_SCOPE]);
    expect([GA4_SCOPE, GOOGLE_ADS_SCOPE, SEARCH_CONSOLE_SCOPE].sort()).toEqual([...GOOGLE_READ_SCOPES].sort());
    expect(registry.get('GOOGLE_ADS').oauth.configured).toBe(true);
    const withoutDeveloperToken = loadAppConfig({ NODE_ENV: 'test', ...fakes.env, GOOGLE_ADS_DEVELOPER_TOKEN: '' }).connectors;
    expect(createGoogleAdsProvider(withoutDeveloperToken).oauth.configured).toBe(false);
    expect(createGa4Provider(withoutDeveloperToken).oauth.configured).toBe(true);
  });

  describe('Google OAuth', () => {
    function consent(oauth: GoogleOAuth, challenge: string, state = 'state-1'): Promise<URL> {
      const url = oauth.authorizationUrl({ state, codeChallenge: challenge, scopes: [SEARCH_CONSOLE_SCOPE] });
      return fetch(url, { redirect: 'manual' }).then((response) => {
        expect(response.status).toBe(302);
        return new URL(response.headers.get('location') ?? '');
      });
    }

    it('exchanges a code with the right PKCE verifier, and refuses a wrong one', async () => {
      const oauth = new GoogleOAuth(config);
      const pair = createPkcePair();
      const back = await consent(oauth, pair.challenge, 'state-abc');
      expect(`${back.origin}${back.pathname}`).toBe(FAKE_OAUTH_REDIRECT_URL);
      expect(back.searchParams.get('state')).toBe('state-abc');
      const code = back.searchParams.get('code') ?? '';

      const tokens = await oauth.exchangeCode({ code, codeVerifier: pair.verifier });
      expect(tokens.scopes).toEqual([SEARCH_CONSOLE_SCOPE]);
      expect(tokens.refreshToken).toEqual(expect.any(String));
      expect(tokens.expiresAt?.getTime()).toBeGreaterThan(Date.now());
      const pulled = await createSearchConsoleProvider(config).pull({
        accountId: SITE,
        accessToken: tokens.accessToken,
        range: { from: '2026-10-01', to: '2026-10-01' },
      });
      expect(pulled.values).toHaveLength(3);

      const other = createPkcePair();
      const second = await consent(oauth, other.challenge);
      const refused = await oauth.exchangeCode({ code: second.searchParams.get('code') ?? '', codeVerifier: pair.verifier }).catch((caught: unknown) => caught);
      expect(refused).toMatchObject({ kind: 'UNAUTHORIZED' });
      // A code is single-use: the right verifier after a refused attempt is refused too.
      await expect(oauth.exchangeCode({ code: second.searchParams.get('code') ?? '', codeVerifier: other.verifier })).rejects.toMatchObject({
        kind: 'UNAUTHORIZED',
      });
    });

    it('shows an error page, and sends no code, for a redirect URI the client did not register', async () => {
      const url = new URL(new GoogleOAuth(config).authorizationUrl({ state: 's', codeChallenge: createPkcePair().challenge, scopes: [SEARCH_CONSOLE_SCOPE] }));
      url.searchParams.set('redirect_uri', 'https://attacker.example/callback');
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('redirect_uri_mismatch');
    });

    it('sends the user back with error=access_denied when they refuse', async () => {
      fakes.google.identity.denyNextConsent();
      const back = await consent(new GoogleOAuth(config), createPkcePair().challenge, 'state-denied');
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('state')).toBe('state-denied');
      expect(back.searchParams.has('code')).toBe(false);
    });

    it('refreshes an expired access token; after revocation the refresh is UNAUTHORIZED', async () => {
      const oauth = new GoogleOAuth(config);
      const provider = createSearchConsoleProvider(config);
      const tokens = fakes.google.identity.issueTokens([SEARCH_CONSOLE_SCOPE]);
      fakes.google.identity.expireAccessTokens();
      const range = { from: '2026-10-01', to: '2026-10-01' };
      await expect(provider.pull({ accountId: SITE, accessToken: tokens.accessToken, range })).rejects.toMatchObject({ kind: 'UNAUTHORIZED' });

      const refreshed = await oauth.refresh(tokens);
      expect(refreshed.accessToken).not.toBe(tokens.accessToken);
      expect(refreshed.refreshToken).toBe(tokens.refreshToken);
      expect((await provider.pull({ accountId: SITE, accessToken: refreshed.accessToken, range })).values).toHaveLength(3);

      await oauth.revoke(refreshed);
      await expect(provider.pull({ accountId: SITE, accessToken: refreshed.accessToken, range })).rejects.toMatchObject({ kind: 'UNAUTHORIZED' });
      const error = await oauth.refresh(refreshed).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: 'UNAUTHORIZED' });
      for (const secret of [tokens.accessToken, refreshed.accessToken, refreshed.refreshToken ?? ''])
        expect((error as ProviderError).message).not.toContain(secret);
    });
  });

  describe('retries', () => {
    it('honours Retry-After through a 429 storm', async () => {
      const provider = createSearchConsoleProvider(config);
      const tokens = fakes.google.identity.issueTokens([SEARCH_CONSOLE_SCOPE]);
      fakes.google.searchConsole.failures.add(
        json(429, { error: { code: 429, message: 'Search Analytics load quota exceeded.', status: 'RESOURCE_EXHAUSTED' } }, { 'retry-after': '1' }),
        3,
      );
      const before = requestsTo('/search-console');
      const started = Date.now();
      const result = await provider.pull({ accountId: SITE, accessToken: tokens.accessToken, range: { from: '2026-10-01', to: '2026-10-02' } });
      expect(result.values).toHaveLength(6);
      expect(requestsTo('/search-console') - before).toBe(4);
      // Three waits of Retry-After: 1 second each.
      expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    });

    it('retries a 503 then succeeds; an outage that lasts is UNAVAILABLE', async () => {
      const provider = createSearchConsoleProvider(config);
      const tokens = fakes.google.identity.issueTokens([SEARCH_CONSOLE_SCOPE]);
      const range = { from: '2026-10-01', to: '2026-10-01' };
      fakes.google.searchConsole.failures.add(googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'), 1);
      expect((await provider.pull({ accountId: SITE, accessToken: tokens.accessToken, range })).values).toHaveLength(3);

      fakes.google.searchConsole.failures.add(json(503, { error: { code: 503, message: 'Backend Error', status: 'UNAVAILABLE' } }, { 'retry-after': '0' }), 5);
      const before = requestsTo('/search-console');
      await expect(provider.pull({ accountId: SITE, accessToken: tokens.accessToken, range })).rejects.toMatchObject({ kind: 'UNAVAILABLE', status: 503 });
      expect(requestsTo('/search-console') - before).toBe(5);
    });

    it('says 401 in Google’s documented body, not the token', async () => {
      const provider = createSearchConsoleProvider(config);
      fakes.google.searchConsole.failures.add(json(401, GOOGLE_UNAUTHENTICATED), 1);
      const secret = fakes.google.identity.issueTokens([SEARCH_CONSOLE_SCOPE]).accessToken;
      const error = await provider.pull({ accountId: SITE, accessToken: secret, range: RANGE }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'UNAUTHORIZED', message: expect.stringContaining('invalid authentication credentials') });
      expect((error as ProviderError).message).not.toContain(secret);
    });
  });
});
