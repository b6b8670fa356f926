import { loadAppConfig, type ConnectorConfig } from '@pilotage/config';
import { createPkcePair, createSearchConsoleProvider, GoogleOAuth, ProviderError, type ConnectionTokens, type PulledValue } from '@pilotage/connectors';
import { metricValueViolation } from '@pilotage/ingestion';
import { findMetric } from '@pilotage/kpi';
import { json } from '../support/fakes/fake-server';
import { GOOGLE_UNAUTHENTICATED, googleError } from '../support/fakes/google-identity.fake';
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
