import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { ConnectionsService, TokenCipher } from '@pilotage/connectors';
import { newAgency, newClient, newClientViewer, type TestAgency, type TestClient } from '../support/factories';
import { FAKE_CONNECTOR_TOKEN_KEYS, FAKE_GOOGLE_CLIENT, startPlatformFakes, type PlatformFakes } from '../support/fakes/platform-fakes';
import { startTestApi, type GraphqlResponse, type TestApi } from '../support/test-api';
import { ownerPool } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

/** A time zone far from UTC: the backfill's window follows the client's own calendar. */
const TIME_ZONE = 'Pacific/Kiritimati';
const SITE = 'sc-domain:example.com';
/** The Search Console provider's documented choices (libs/connectors search-console.provider.ts). */
const LOOKBACK_DAYS = 3;
const CHUNK_DAYS = 366;
const BACKFILL_MONTHS = 25;

const CONNECTION_FIELDS = `id provider accountId accountName source status lastError dataThrough lastSyncedAt dataNote createdAt revokedAt client { id }
  runs(first: 10) { totalCount edges { node { id kind status windowStart windowEnd chunksTotal chunksDone progress rows inserted updated unchanged deleted attempts error queuedAt startedAt finishedAt durationMs } } }`;
const START = `mutation ($input: StartDataConnectionInput!) { startDataConnection(input: $input) { authorizationUrl connection { ${CONNECTION_FIELDS} } } }`;
const REAUTHORIZE = `mutation ($id: ID!) { reauthorizeDataConnection(id: $id) { authorizationUrl connection { ${CONNECTION_FIELDS} } } }`;
const REVOKE = `mutation ($id: ID!) { revokeDataConnection(id: $id) { ${CONNECTION_FIELDS} } }`;
const SYNC = `mutation ($id: ID!) { syncDataConnection(id: $id) { id kind status windowStart windowEnd chunksTotal progress } }`;
const GET = `query ($id: ID!) { dataConnection(id: $id) { ${CONNECTION_FIELDS} } }`;
const LIST = `query ($clientId: ID!) { dataConnections(clientId: $clientId, first: 10) { totalCount edges { node { id status source lastError runs(first: 5) { totalCount edges { node { kind status progress } } } } } } }`;

interface RunNode {
  id: string;
  kind: string;
  status: string;
  windowStart: string;
  windowEnd: string;
  chunksTotal: number;
  chunksDone: number;
  progress: number;
  durationMs: number | null;
}

interface ConnectionNode {
  id: string;
  provider: string;
  accountId: string;
  source: string;
  status: string;
  lastError: string | null;
  dataNote: string | null;
  revokedAt: string | null;
  client: { id: string };
  runs: { totalCount: number; edges: { node: RunNode }[] };
}

interface Started {
  authorizationUrl: string;
  connection: ConnectionNode;
}

interface CallbackPage {
  status: number;
  html: string;
  headers: Headers;
}

/** `YYYY-MM-DD` shifted by whole days / months (computed here, apart from the code under test). */
function shiftDays(date: string, days: number): string {
  const time = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

function firstOfMonthsBefore(date: string, months: number): string {
  const index = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function daysInclusive(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
}

function errorOf(response: GraphqlResponse<unknown>): { code: string | undefined; message: string } {
  return { code: response.errors?.[0]?.extensions?.code, message: response.errors?.[0]?.message ?? '' };
}

describe(ConnectionsService.name, () => {
  let fakes: PlatformFakes;
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;
  let other: TestAgency;
  /** Every GraphQL answer and callback page, for the final scan for tokens. */
  const seen: string[] = [];
  /** Tokens the fake issued to the API, read back from the sealed rows. */
  const issuedTokens: string[] = [];

  async function gql<T>(query: string, variables: Record<string, unknown>, token = agency.token): Promise<GraphqlResponse<T>> {
    const response = await api.gql<T>(query, variables, token);
    seen.push(JSON.stringify(response));
    return response;
  }

  async function gqlOk<T>(query: string, variables: Record<string, unknown>, token = agency.token): Promise<T> {
    const response = await gql<T>(query, variables, token);
    if (response.errors?.length || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    return response.data;
  }

  async function start(client: TestClient, accountId = SITE, token = agency.token): Promise<Started> {
    return (await gqlOk<{ startDataConnection: Started }>(START, { input: { clientId: client.id, provider: 'SEARCH_CONSOLE', accountId } }, token))
      .startDataConnection;
  }

  async function connection(id: string): Promise<ConnectionNode> {
    return (await gqlOk<{ dataConnection: ConnectionNode }>(GET, { id })).dataConnection;
  }

  /** Opens the connect link as the account owner's browser would, up to the platform's redirect (not followed). */
  async function consent(authorizationUrl: string): Promise<URL> {
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location') ?? '');
  }

  /** The browser lands on our callback (the redirect URL's path and query, on the test API's port). */
  async function land(redirect: URL): Promise<CallbackPage> {
    const response = await fetch(`${api.baseUrl}${redirect.pathname}${redirect.search}`, { redirect: 'manual' });
    const page = { status: response.status, html: await response.text(), headers: response.headers };
    seen.push(page.html);
    return page;
  }

  async function connect(authorizationUrl: string): Promise<CallbackPage> {
    return land(await consent(authorizationUrl));
  }

  const tokenRequests = (): number => fakes.requests.filter((request) => request.prefix === '/google-oauth2' && request.path === '/token').length;

  /** The tokens sealed in the connection's row, opened with the test key (as the worker would). */
  async function sealedTokens(connectionId: string): Promise<{ a: string; r: string | null }> {
    const { rows } = await owner.query<{ agency_id: string; token_ciphertext: Buffer; token_key_id: string }>(
      `SELECT agency_id, token_ciphertext, token_key_id FROM data_connections WHERE id = $1`,
      [connectionId],
    );
    const [id, key] = FAKE_CONNECTOR_TOKEN_KEYS.split(':');
    const cipher = new TokenCipher([{ id, key: Buffer.from(key, 'base64') }]);
    const text = cipher.open({ ciphertext: rows[0].token_ciphertext, keyId: rows[0].token_key_id }, `connection:${rows[0].agency_id}:${connectionId}`);
    return JSON.parse(text) as { a: string; r: string | null };
  }

  /** What the sync worker would do with a run, written directly (the worker is not part of this test). */
  async function finishQueuedRuns(connectionId: string, dataThrough: string): Promise<void> {
    await owner.query(
      `UPDATE sync_runs SET status = 'SUCCEEDED', chunks_done = chunks_total, attempts = 1, started_at = queued_at, finished_at = queued_at + interval '4 seconds'
        WHERE id = ANY (SELECT id FROM sync_runs WHERE connection_id = $1 AND status IN ('QUEUED', 'RUNNING'))`,
      [connectionId],
    );
    await owner.query(`UPDATE data_connections SET data_through = $2, last_synced_at = now() WHERE id = $1`, [connectionId, dataThrough]);
    await owner.query(
      `UPDATE pgboss.job SET state = 'completed', completed_on = now() WHERE name = 'connection.sync' AND singleton_key = $1 AND state < 'completed'`,
      [connectionId],
    );
  }

  beforeAll(async () => {
    fakes = await startPlatformFakes();
    api = await startTestApi({ ...fakes.env });
    owner = ownerPool();
    agency = await newAgency(api);
    other = await newAgency(api);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api?.close();
    await fakes?.close();
    await owner?.end();
  }, TEARDOWN_TIMEOUT_MS);

  describe('the OAuth round trip', () => {
    let client: TestClient;
    let connectionId: string;
    let connectLink: string;
    let today: string;

    beforeAll(async () => {
      client = await newClient(api, agency, { timeZone: TIME_ZONE });
    });

    it('starts a PENDING connection with a connect link to the platform carrying state and an S256 PKCE challenge', async () => {
      const started = await start(client, '  sc-domain:example.com ');
      connectionId = started.connection.id;
      connectLink = started.authorizationUrl;
      expect(started.connection).toMatchObject({
        provider: 'SEARCH_CONSOLE',
        accountId: SITE,
        source: `Search Console ${SITE}`,
        status: 'PENDING',
        lastError: null,
        client: { id: client.id },
        runs: { totalCount: 0 },
      });
      expect(started.connection.dataNote).toMatch(/final data/);
      const url = new URL(started.authorizationUrl);
      expect(`${url.origin}${url.pathname}`).toBe(`${fakes.origin}/google-accounts/o/oauth2/v2/auth`);
      expect(url.searchParams.get('client_id')).toBe(FAKE_GOOGLE_CLIENT.clientId);
      expect(url.searchParams.get('redirect_uri')).toBe(fakes.env.OAUTH_REDIRECT_URL);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(url.searchParams.get('state')).toMatch(new RegExp(`^${agency.agencyId}\\.[A-Za-z0-9_-]{43}$`));
      // Only hashes and ciphertexts are kept of the flow's secrets.
      const { rows } = await owner.query<{ state_hash: string; expires_in_minutes: number }>(
        `SELECT state_hash, round(extract(epoch FROM expires_at - created_at) / 60)::int AS expires_in_minutes FROM data_connection_authorizations WHERE connection_id = $1`,
        [connectionId],
      );
      expect(rows).toEqual([
        {
          state_hash: createHash('sha256')
            .update(url.searchParams.get('state') ?? '')
            .digest('hex'),
          expires_in_minutes: 30,
        },
      ]);
    });

    it('completes on the callback: the page says so in French and English, the connection is ACTIVE and its backfill QUEUED over the client’s calendar', async () => {
      const redirect = await consent(connectLink);
      expect(`${redirect.origin}${redirect.pathname}`).toBe(fakes.env.OAUTH_REDIRECT_URL);
      const code = redirect.searchParams.get('code') ?? '';
      const state = redirect.searchParams.get('state') ?? '';
      expect(code).not.toBe('');
      today = todayIn(TIME_ZONE);
      const page = await land(redirect);

      expect(page.status).toBe(200);
      expect(page.html).toContain('Account connected, you can close this window');
      expect(page.html).toContain('Compte connecté, vous pouvez fermer cette fenêtre');
      expect(page.html).not.toContain(code);
      expect(page.html).not.toContain(state);
      expect(page.html).not.toMatch(/<script/i);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');

      const connected = await connection(connectionId);
      expect(connected).toMatchObject({ status: 'ACTIVE', lastError: null });
      const windowStart = firstOfMonthsBefore(today, BACKFILL_MONTHS);
      const windowEnd = shiftDays(today, -1);
      expect(connected.runs.edges.map((edge) => edge.node)).toEqual([
        expect.objectContaining({
          kind: 'BACKFILL',
          status: 'QUEUED',
          windowStart,
          windowEnd,
          chunksTotal: Math.ceil(daysInclusive(windowStart, windowEnd) / CHUNK_DAYS),
          chunksDone: 0,
          progress: 0,
          durationMs: null,
        }),
      ]);
      const job = await owner.query(`SELECT data FROM pgboss.job WHERE name = 'connection.sync' AND singleton_key = $1`, [connectionId]);
      expect(job.rows).toEqual([{ data: { agencyId: agency.agencyId, runId: connected.runs.edges[0].node.id } }]);

      const tokens = await sealedTokens(connectionId);
      expect(tokens.a).toMatch(/^ya29\.fake-/);
      expect(tokens.r).toMatch(/^1\/\/fake-refresh-/);
      issuedTokens.push(tokens.a, tokens.r ?? '', code);
    });

    it('refuses a replayed callback without calling the platform again', async () => {
      const started = await start(await newClient(api, agency));
      const redirect = await consent(started.authorizationUrl);
      expect((await land(redirect)).status).toBe(200);
      const before = tokenRequests();
      const replay = await land(redirect);
      expect(replay.status).toBe(400);
      expect(replay.html).toContain('This connect link was already used');
      expect(tokenRequests()).toBe(before);
      expect((await connection(started.connection.id)).status).toBe('ACTIVE');
    });

    it('shows sync runs with their progress, newest first', async () => {
      await owner.query(`UPDATE sync_runs SET status = 'RUNNING', chunks_done = 1, attempts = 1, started_at = now() WHERE connection_id = $1`, [connectionId]);
      const running = (await connection(connectionId)).runs.edges[0].node;
      expect(running).toMatchObject({ status: 'RUNNING', chunksDone: 1 });
      expect(running.progress).toBeCloseTo(1 / running.chunksTotal, 6);
      await finishQueuedRuns(connectionId, shiftDays(today, -1));
      expect((await connection(connectionId)).runs.edges[0].node).toMatchObject({ status: 'SUCCEEDED', progress: 1, durationMs: 4000 });
    });

    it('queues a MANUAL sync of the lookback window, once at a time', async () => {
      const run = (await gqlOk<{ syncDataConnection: RunNode }>(SYNC, { id: connectionId })).syncDataConnection;
      expect(run).toMatchObject({
        kind: 'MANUAL',
        status: 'QUEUED',
        windowStart: shiftDays(today, -1 - LOOKBACK_DAYS),
        windowEnd: shiftDays(today, -1),
        progress: 0,
      });
      const again = await gql(SYNC, { id: connectionId });
      expect(errorOf(again)).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining('already queued or running') });
      expect((await connection(connectionId)).runs.totalCount).toBe(2);
      await finishQueuedRuns(connectionId, shiftDays(today, -1));
    });

    it('reauthorizes: earlier links stop working, and consent queues a DAILY catch-up from the last day pulled', async () => {
      const dataThrough = shiftDays(today, -20);
      await owner.query(
        `UPDATE data_connections SET status = 'NEEDS_REAUTHORIZATION', last_error = 'Google refused the authorization', data_through = $2 WHERE id = $1`,
        [connectionId, dataThrough],
      );
      const first = (await gqlOk<{ reauthorizeDataConnection: Started }>(REAUTHORIZE, { id: connectionId })).reauthorizeDataConnection;
      expect(first.connection.status).toBe('NEEDS_REAUTHORIZATION');
      const second = (await gqlOk<{ reauthorizeDataConnection: Started }>(REAUTHORIZE, { id: connectionId })).reauthorizeDataConnection;
      const stale = await connect(first.authorizationUrl);
      expect(stale.status).toBe(400);
      expect((await connection(connectionId)).status).toBe('NEEDS_REAUTHORIZATION');

      const page = await connect(second.authorizationUrl);
      expect(page.status).toBe(200);
      const reconnected = await connection(connectionId);
      expect(reconnected).toMatchObject({ status: 'ACTIVE', lastError: null });
      expect(reconnected.runs.edges[0].node).toMatchObject({
        kind: 'DAILY',
        status: 'QUEUED',
        windowStart: shiftDays(dataThrough, -LOOKBACK_DAYS),
        windowEnd: shiftDays(today, -1),
      });
      const tokens = await sealedTokens(connectionId);
      issuedTokens.push(tokens.a, tokens.r ?? '');
    });

    it('revokes: tokens gone from the row, the grant revoked at the platform, values kept, REVOKED for good', async () => {
      const tokens = await sealedTokens(connectionId);
      const revokesBefore = fakes.requests.filter((request) => request.path === '/revoke').length;
      const revoked = (await gqlOk<{ revokeDataConnection: ConnectionNode }>(REVOKE, { id: connectionId })).revokeDataConnection;
      expect(revoked.status).toBe('REVOKED');
      expect(revoked.revokedAt).not.toBeNull();
      expect(fakes.requests.filter((request) => request.prefix === '/google-oauth2' && request.path === '/revoke')).toHaveLength(revokesBefore + 1);
      const { rows } = await owner.query(`SELECT token_ciphertext, token_key_id, token_expires_at, scopes FROM data_connections WHERE id = $1`, [connectionId]);
      expect(rows).toEqual([{ token_ciphertext: null, token_key_id: null, token_expires_at: null, scopes: [] }]);
      // The platform no longer honours the refresh token.
      const refresh = await fetch(`${fakes.origin}/google-oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: tokens.r ?? '',
          client_id: FAKE_GOOGLE_CLIENT.clientId,
          client_secret: FAKE_GOOGLE_CLIENT.clientSecret,
        }),
      });
      expect(refresh.status).toBe(400);

      expect(errorOf(await gql(REAUTHORIZE, { id: connectionId }))).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(errorOf(await gql(SYNC, { id: connectionId }))).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect((await gqlOk<{ revokeDataConnection: ConnectionNode }>(REVOKE, { id: connectionId })).revokeDataConnection.revokedAt).toBe(revoked.revokedAt);
      const audit = await owner.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY created_at, action`, [connectionId]);
      expect(new Set(audit.rows.map((row) => row.action))).toEqual(
        new Set([
          'data_connection.created',
          'data_connection.authorization_requested',
          'data_connection.authorized',
          'data_connection.sync_requested',
          'data_connection.revoked',
        ]),
      );
      // The same account can be connected again, as a new connection; the revoked one stays listed.
      const again = await start(client);
      const listed = (
        await gqlOk<{ dataConnections: { totalCount: number; edges: { node: { id: string; status: string } }[] } }>(LIST, { clientId: client.id })
      ).dataConnections;
      expect(listed.totalCount).toBe(2);
      expect(listed.edges.map((edge) => edge.node)).toEqual([
        { ...listed.edges[0].node, id: again.connection.id, status: 'PENDING' },
        { ...listed.edges[1].node, id: connectionId, status: 'REVOKED' },
      ]);
    });
  });

  describe('refusals', () => {
    it('enforces PKCE: a code obtained with another challenge cannot be exchanged with the stored verifier', async () => {
      const started = await start(await newClient(api, agency));
      const url = new URL(started.authorizationUrl);
      url.searchParams.set('code_challenge', createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'));
      const before = tokenRequests();
      const page = await connect(url.toString());
      expect(tokenRequests()).toBe(before + 1);
      expect(page.status).toBe(400);
      expect(page.html).toContain('Google refused the authorization');
      expect(await connection(started.connection.id)).toMatchObject({ status: 'PENDING', lastError: expect.stringContaining('Google refused') });
      // Used once, even though it failed.
      expect((await connect(started.authorizationUrl)).html).toContain('already used');
    });

    it('refuses an expired connect link without calling the platform', async () => {
      const started = await start(await newClient(api, agency));
      await owner.query(`UPDATE data_connection_authorizations SET expires_at = now() - interval '1 minute' WHERE connection_id = $1`, [started.connection.id]);
      const before = tokenRequests();
      const page = await connect(started.authorizationUrl);
      expect(page.status).toBe(400);
      expect(page.html).toContain('This connect link has expired');
      expect(tokenRequests()).toBe(before);
      expect((await connection(started.connection.id)).status).toBe('PENDING');
    });

    it('records a declined consent in words and leaves the connection as it was', async () => {
      const started = await start(await newClient(api, agency));
      fakes.google.identity.denyNextConsent();
      const page = await connect(started.authorizationUrl);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Accès refusé');
      expect(page.html).toContain('The account owner declined access');
      expect(await connection(started.connection.id)).toMatchObject({ status: 'PENDING', lastError: 'The account owner declined access' });
    });

    it('refuses a malformed account id, an account already connected, and unknown states', async () => {
      const client = await newClient(api, agency);
      const malformed = await gql(START, { input: { clientId: client.id, provider: 'SEARCH_CONSOLE', accountId: 'example' } });
      expect(errorOf(malformed)).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^accountId: .*sc-domain:/) });
      await start(client);
      const twice = await gql(START, { input: { clientId: client.id, provider: 'SEARCH_CONSOLE', accountId: SITE } });
      expect(errorOf(twice)).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining('already connected') });
      for (const query of ['', '?state=nonsense&code=x', `?state=${agency.agencyId}.${randomBytes(32).toString('base64url')}&code=x`]) {
        const page = await fetch(`${api.baseUrl}/oauth/callback${query}`);
        expect(page.status).toBe(400);
        expect(await page.text()).toContain('This connect link is not valid');
      }
    });

    it('caps a client at 20 live connections', async () => {
      const client = await newClient(api, agency);
      for (let index = 0; index < 20; index += 1) await start(client, `sc-domain:site-${index}.example.com`);
      const over = await gql(START, { input: { clientId: client.id, provider: 'SEARCH_CONSOLE', accountId: 'sc-domain:one-more.example.com' } });
      expect(errorOf(over)).toEqual({ code: 'CONFLICT', message: expect.stringContaining('at most 20 connections') });
    });

    it(
      'names the settings a platform needs when the server lacks its OAuth client',
      async () => {
        const { GOOGLE_OAUTH_CLIENT_ID: _id, GOOGLE_OAUTH_CLIENT_SECRET: _secret, ...withoutGoogle } = fakes.env;
        const bare = await startTestApi(withoutGoogle);
        try {
          const owner2 = await newAgency(bare);
          const client = await newClient(bare, owner2);
          const response = await bare.gql(START, { input: { clientId: client.id, provider: 'SEARCH_CONSOLE', accountId: SITE } }, owner2.token);
          expect(errorOf(response)).toEqual({
            code: 'BAD_USER_INPUT',
            message: 'provider: Search Console is not configured on this server: set GOOGLE_OAUTH_CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET',
          });
        } finally {
          await bare.close();
        }
      },
      APP_BOOT_TIMEOUT_MS,
    );

    it('refuses client viewers and API keys', async () => {
      const client = await newClient(api, agency);
      const viewer = await newClientViewer(api, agency, client.id);
      const input = { input: { clientId: client.id, provider: 'SEARCH_CONSOLE', accountId: SITE } };
      expect(errorOf(await gql(START, input, viewer.token)).code).toBe('FORBIDDEN');
      expect(errorOf(await gql(LIST, { clientId: client.id }, viewer.token)).code).toBe('FORBIDDEN');
      const key = await gqlOk<{ createApiKey: { secret: string } }>(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, {
        input: { name: 'ETL', scopes: ['METRICS_WRITE', 'ANALYTICS_READ'] },
      });
      expect(errorOf(await gql(START, input, key.createApiKey.secret)).code).toBe('FORBIDDEN');
      expect((await gqlOk<{ dataConnections: { totalCount: number } }>(LIST, { clientId: client.id })).dataConnections.totalCount).toBe(0);
    });
  });

  describe('another agency', () => {
    let started: Started;

    beforeAll(async () => {
      const client = await newClient(api, agency);
      started = await start(client);
      const redirect = await consent(started.authorizationUrl);
      // Before its own callback: another agency's state cannot complete it, nor use it up.
      const state = redirect.searchParams.get('state') ?? '';
      const forged = new URL(redirect);
      forged.searchParams.set('state', `${other.agencyId}${state.slice(state.indexOf('.'))}`);
      const page = await land(forged);
      expect(page.status).toBe(400);
      expect((await connection(started.connection.id)).status).toBe('PENDING');
      expect((await land(redirect)).status).toBe(200);
    });

    it('cannot read, reauthorize, sync or revoke the connection, nor see its runs or list the client’s connections', async () => {
      const id = started.connection.id;
      for (const [query, variables] of [
        [GET, { id }],
        [REAUTHORIZE, { id }],
        [SYNC, { id }],
        [REVOKE, { id }],
        [LIST, { clientId: started.connection.client.id }],
      ] as const) {
        const response = await gql(query, variables, other.token);
        expect({ query, code: errorOf(response).code, data: response.data ?? null }).toEqual({ query, code: 'NOT_FOUND', data: null });
      }
      // Untouched for its own agency.
      expect(await connection(id)).toMatchObject({ status: 'ACTIVE', revokedAt: null, runs: { totalCount: 1 } });
    });
  });

  it('never shows the platform’s tokens or codes: not in GraphQL answers, callback pages, nor in clear in the database', async () => {
    const secrets = issuedTokens.filter((token) => token !== '');
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const tables = ['data_connections', 'data_connection_authorizations', 'sync_runs', 'audit_log', 'metric_imports'];
    const rows: string[] = [];
    for (const table of tables) {
      const { rows: found } = await owner.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
      rows.push(...found.map((row) => row.row));
    }
    const { rows: jobs } = await owner.query<{ row: string }>(`SELECT row_to_json(j)::text AS row FROM pgboss.job j WHERE name = 'connection.sync'`);
    rows.push(...jobs.map((row) => row.row));
    expect(rows.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect({ secret, inAnswers: seen.filter((text) => text.includes(secret)).length, inRows: rows.filter((row) => row.includes(secret)).length }).toEqual({
        secret,
        inAnswers: 0,
        inRows: 0,
      });
    }
    // Nor any token of the fake's shapes at all.
    expect([...seen, ...rows].filter((text) => /ya29\.fake-|1\/\/fake-refresh-/.test(text))).toEqual([]);
  });
});
