import { randomUUID } from 'node:crypto';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import {
  ConnectionTokenVault,
  ConnectorsModule,
  ProviderRegistry,
  queueSyncRun,
  SyncJobHandlers,
  SyncJobQueue,
  SyncRetryError,
  SyncRunner,
  syncChunks,
  syncWindow,
  type ConnectionTokens,
  type DataProviderConnector,
  type DayRange,
} from '@pilotage/connectors';
import { EventsModule } from '@pilotage/events';
import { DatabaseModule, DataConnectionEntity, runWithTenant, SyncRunEntity, systemContext, TenantDatabase, type SyncRunKind } from '@pilotage/database';
import { addDays, addMonths, localDate } from '@pilotage/kpi';
import { json, type FakeResponse } from '../support/fakes/fake-server';
import { GOOGLE_ADS_SCOPE, type GoogleAdsFakeRow } from '../support/fakes/google-ads.fake';
import type { MetaInsightRow } from '../support/fakes/meta.fake';
import { startPlatformFakes, type PlatformFakes } from '../support/fakes/platform-fakes';
import { SEARCH_CONSOLE_SCOPE, type SearchConsoleRow } from '../support/fakes/search-console.fake';
import { approvePlan, newAgency, newClient } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool, testDatabase } from '../support/test-database';
import { trackUntilClosed } from '../support/test-resources';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const TIME_ZONE = 'Europe/Paris';
const SITE = 'sc-domain:example.com';
const GOOGLE_ADS_CUSTOMER = '1234567890';
const META_ACCOUNT = 'act_1029384756';

/** The sync engine's part of the worker (its handlers on the real pg-boss, no Chromium), polling every half second. */
async function startSyncWorker(config: AppConfig): Promise<{ app: INestApplicationContext; close: () => Promise<void> }> {
  @Module({})
  class SyncWorkerConfigModule {}
  @Module({})
  class SyncWorkerTestModule {}
  const database = testDatabase();
  const root: DynamicModule = {
    module: SyncWorkerTestModule,
    imports: [
      { module: SyncWorkerConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
      DatabaseModule.forRoot({ url: database.appUrl, poolSize: 4, applicationName: 'pilotage-test-sync' }),
      // The sync runner announces what it wrote (DomainEvents): global in the worker, imported here.
      EventsModule.forRoot(),
      ConnectorsModule.forWorker({ queueUrl: database.queueUrl, concurrency: 2, schedule: false, pollingIntervalSeconds: 0.5 }),
    ],
  };
  const booting = NestFactory.createApplicationContext(root, { logger: false }).then(async (created) => {
    await created.init();
    return created;
  });
  const close = trackUntilClosed(booting, (started) => started.close());
  return { app: await booting, close };
}

interface RunRow {
  status: string;
  kind: string;
  window_start: string;
  window_end: string;
  chunks_total: number;
  chunks_done: number;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  attempts: number;
  error: string | null;
  finished_at: Date | null;
}

interface ConnectionRow {
  status: string;
  last_error: string | null;
  data_through: string | null;
  backfill_from: string | null;
  last_synced_at: Date | null;
  token_ciphertext: Buffer | null;
}

/** Sums of the fake's rows by metric and month (`search_clicks|2026-11-01`), as the database should hold them. */
function expectedMonthlySums(rows: readonly SearchConsoleRow[]): Map<string, number> {
  const sums = new Map<string, number>();
  const add = (key: string, value: number): void => {
    sums.set(key, (sums.get(key) ?? 0) + value);
  };
  for (const row of rows) {
    const month = `${row.keys[0].slice(0, 7)}-01`;
    add(`search_clicks|${month}`, row.clicks);
    add(`search_impressions|${month}`, row.impressions);
  }
  return sums;
}

/** A decimal text as an exact count of 10^-4 (the storage's scale). */
function tenThousandths(text: string): number {
  return Math.round(Number(text) * 10_000);
}

/** Google Ads cost_micros in 10^-4, rounded half to even as the provider rounds it to 4 decimals. */
function microsToTenThousandths(micros: number): number {
  const quotient = Math.floor(micros / 100);
  const remainder = micros % 100;
  return remainder > 50 || (remainder === 50 && quotient % 2 === 1) ? quotient + 1 : quotient;
}

describe(SyncRunner.name, () => {
  let fakes: PlatformFakes;
  let api: TestApi;
  let worker: { app: INestApplicationContext; close: () => Promise<void> };
  let owner: Pool;
  let db: TenantDatabase;
  let vault: ConnectionTokenVault;
  let queue: SyncJobQueue;
  let runner: SyncRunner;
  let provider: DataProviderConnector;
  let today: string;
  let yesterday: string;

  beforeAll(async () => {
    fakes = await startPlatformFakes();
    api = await startTestApi({
      ...fakes.env,
      // Daily syncs due at any hour: the tick's test does not depend on the time it runs.
      CONNECTOR_DAILY_SYNC_HOUR: '0',
    });
    worker = await startSyncWorker(api.config);
    owner = ownerPool();
    db = worker.app.get(TenantDatabase);
    vault = worker.app.get(ConnectionTokenVault);
    queue = worker.app.get(SyncJobQueue);
    runner = worker.app.get(SyncRunner);
    provider = worker.app.get(ProviderRegistry).get('SEARCH_CONSOLE');
    today = localDate(new Date(), TIME_ZONE);
    yesterday = addDays(today, -1);
  }, APP_BOOT_TIMEOUT_MS * 2);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await fakes?.close();
    await owner?.end();
  }, TEARDOWN_TIMEOUT_MS);

  interface TestConnection {
    readonly agencyId: string;
    readonly entity: DataConnectionEntity;
    readonly tokens: ConnectionTokens;
    /** The agency owner's session. */
    readonly ownerToken: string;
  }

  /** A fresh agency and client with an ACTIVE Search Console connection, its tokens issued by the fake Google and sealed by the vault. */
  async function newConnection(
    overrides: { site?: string; tokens?: ConnectionTokens; dataThrough?: string; backfillFrom?: string; status?: 'ACTIVE' | 'FAILING' } = {},
  ) {
    const site = overrides.site ?? SITE;
    const agency = await newAgency(api);
    const client = await newClient(api, agency, { timeZone: TIME_ZONE });
    const tokens = overrides.tokens ?? fakes.google.identity.issueTokens([SEARCH_CONSOLE_SCOPE]);
    const id = randomUUID();
    const sealed = vault.sealTokens(agency.agencyId, id, tokens);
    const entity = await runWithTenant(systemContext(agency.agencyId), () =>
      db.run(async (manager) => {
        await manager.insert(DataConnectionEntity, {
          agencyId: agency.agencyId,
          id,
          clientId: client.id,
          provider: 'SEARCH_CONSOLE',
          accountId: site,
          source: provider.sourceOf(site),
          status: overrides.status ?? 'ACTIVE',
          tokenCiphertext: sealed.ciphertext,
          tokenKeyId: sealed.keyId,
          tokenExpiresAt: sealed.expiresAt,
          scopes: sealed.scopes,
          dataThrough: overrides.dataThrough ?? null,
          backfillFrom: overrides.backfillFrom ?? null,
        });
        return manager.findOneByOrFail(DataConnectionEntity, { agencyId: agency.agencyId, id });
      }),
    );
    return { agencyId: agency.agencyId, entity, tokens, ownerToken: agency.token } satisfies TestConnection;
  }

  /** An endpoint of the connection's agency subscribed to `import.completed` (nothing is sent: this worker runs no deliverer). */
  async function subscribeToImports(connection: TestConnection): Promise<void> {
    await api.gqlOk(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      { input: { url: 'https://example.com/hooks', events: ['IMPORT_COMPLETED'] } },
      connection.ownerToken,
    );
  }

  /** The `import.completed` deliveries of the agency: one per committed chunk. */
  async function importEvents(connection: TestConnection): Promise<{ importId: string; kind: string; connectionId: string }[]> {
    const { rows } = await owner.query<{ data: { importId: string; kind: string; connectionId: string } }>(
      `SELECT payload->'data' AS data FROM webhook_deliveries WHERE agency_id = $1 AND event_type = 'import.completed' ORDER BY created_at`,
      [connection.agencyId],
    );
    return rows.map((row) => row.data);
  }

  async function importIds(connection: TestConnection): Promise<string[]> {
    const { rows } = await owner.query<{ id: string }>(`SELECT id FROM metric_imports WHERE agency_id = $1`, [connection.agencyId]);
    return rows.map((row) => row.id);
  }

  /** Queues a run through the production path (the worker picks it up). */
  async function queueRun(connection: TestConnection, kind: SyncRunKind, window: DayRange): Promise<string> {
    const run = await runWithTenant(systemContext(connection.agencyId), () =>
      db.run((manager) => queueSyncRun(manager, queue, connection.entity, kind, window, provider.chunkDays)),
    );
    if (run === null) throw new Error('the run was not queued');
    return run.id;
  }

  /** Records a QUEUED run without a job, for tests that drive the runner's attempts themselves. */
  async function unqueuedRun(connection: TestConnection, kind: SyncRunKind, window: DayRange): Promise<string> {
    const id = randomUUID();
    await runWithTenant(systemContext(connection.agencyId), () =>
      db.run((manager) =>
        manager.insert(SyncRunEntity, {
          agencyId: connection.agencyId,
          id,
          connectionId: connection.entity.id,
          clientId: connection.entity.clientId,
          kind,
          status: 'QUEUED',
          windowStart: window.from,
          windowEnd: window.to,
          chunksTotal: syncChunks(window, provider.chunkDays).length,
        }),
      ),
    );
    return id;
  }

  async function runRow(runId: string): Promise<RunRow> {
    const { rows } = await owner.query<RunRow>(
      `SELECT status, kind, window_start::text, window_end::text, chunks_total, chunks_done, rows, inserted, updated, unchanged, deleted, attempts, error, finished_at
         FROM sync_runs WHERE id = $1`,
      [runId],
    );
    return rows[0];
  }

  async function finishedRun(runId: string): Promise<RunRow> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const row = await runRow(runId);
      if (row.status === 'SUCCEEDED' || row.status === 'FAILED') return row;
      if (Date.now() > deadline) throw new Error(`run ${runId} still ${row.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The pg-boss job of a run once its handler returned (the run is settled a moment before the job). */
  async function settledJob(runId: string): Promise<{ state: string; retry_count: number }> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await owner.query<{ state: string; retry_count: number }>(
        `SELECT state, retry_count FROM pgboss.job WHERE name = 'connection.sync' AND data->>'runId' = $1`,
        [runId],
      );
      if (rows.length === 1 && rows[0].state !== 'active') return rows[0];
      if (Date.now() > deadline) throw new Error(`job of run ${runId} still ${rows[0]?.state ?? 'missing'}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function connectionRow(connection: TestConnection): Promise<ConnectionRow> {
    const { rows } = await owner.query<ConnectionRow>(
      `SELECT status, last_error, data_through::text, backfill_from::text, last_synced_at, token_ciphertext FROM data_connections WHERE agency_id = $1 AND id = $2`,
      [connection.agencyId, connection.entity.id],
    );
    return rows[0];
  }

  /** The connection's stored values: count and per metric × month sums, from metric_values and from metric_monthly. */
  async function storedFigures(connection: TestConnection): Promise<{ values: number; daily: Map<string, number>; monthly: Map<string, number> }> {
    const source = connection.entity.source;
    const count = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM metric_values WHERE agency_id = $1 AND client_id = $2 AND source = $3`, [
      connection.agencyId,
      connection.entity.clientId,
      source,
    ]);
    const daily = await owner.query<{ key: string; total: string }>(
      `SELECT metric_key || '|' || to_char(date_trunc('month', date), 'YYYY-MM-DD') AS key, sum(value)::text AS total
         FROM metric_values WHERE agency_id = $1 AND client_id = $2 AND source = $3 AND metric_key IN ('search_clicks', 'search_impressions') GROUP BY 1`,
      [connection.agencyId, connection.entity.clientId, source],
    );
    const monthly = await owner.query<{ key: string; total: string }>(
      `SELECT metric_key || '|' || month::text AS key, sum(sum_value)::text AS total
         FROM metric_monthly WHERE agency_id = $1 AND client_id = $2 AND source = $3 AND metric_key IN ('search_clicks', 'search_impressions') GROUP BY 1`,
      [connection.agencyId, connection.entity.clientId, source],
    );
    const asMap = (rows: { key: string; total: string }[]): Map<string, number> => new Map(rows.map((row) => [row.key, Number(row.total)]));
    return { values: count.rows[0].n, daily: asMap(daily.rows), monthly: asMap(monthly.rows) };
  }

  async function storedValue(connection: TestConnection, metricKey: string, date: string): Promise<number | null> {
    const { rows } = await owner.query<{ value: string }>(
      `SELECT value::text FROM metric_values WHERE agency_id = $1 AND client_id = $2 AND source = $3 AND metric_key = $4 AND date = $5`,
      [connection.agencyId, connection.entity.clientId, connection.entity.source, metricKey, date],
    );
    return rows.length === 0 ? null : Number(rows[0].value);
  }

  const searchRequests = (): number => fakes.requests.filter((request) => request.prefix === '/search-console').length;
  const tokenRequests = (): number => fakes.requests.filter((request) => request.prefix === '/google-oauth2' && request.path === '/token').length;
  const googleQuotaError = (retryAfter: string): FakeResponse =>
    json(
      429,
      { error: { code: 429, message: 'Quota exceeded for quota metric of service searchconsole.googleapis.com.', status: 'RESOURCE_EXHAUSTED' } },
      { 'retry-after': retryAfter },
    );
  const googleUnavailable: FakeResponse = json(
    503,
    { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } },
    { 'retry-after': '0' },
  );

  it('backfills 25 months in chunks through the worker: every day once, progress and roll-up exact', async () => {
    const connection = await newConnection();
    await subscribeToImports(connection);
    const window = syncWindow('BACKFILL', today, provider, api.config.connectors.backfillMonths);
    const chunks = syncChunks(window, provider.chunkDays);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const runId = await queueRun(connection, 'BACKFILL', window);

    const run = await finishedRun(runId);
    const expected = fakes.google.searchConsole.rowsFor(SITE, window.from, window.to);
    const values = expected.length * provider.metricKeys.length;
    expect(run).toMatchObject({ status: 'SUCCEEDED', error: null, chunks_total: chunks.length, chunks_done: chunks.length, attempts: 1 });
    expect(run).toMatchObject({ rows: values, inserted: values, updated: 0, unchanged: 0, deleted: 0 });
    expect(run.finished_at).not.toBeNull();

    const stored = await storedFigures(connection);
    expect(stored.values).toBe(values);
    const sums = expectedMonthlySums(expected);
    expect(stored.daily).toEqual(sums);
    expect(stored.monthly).toEqual(sums);

    const state = await connectionRow(connection);
    expect(state).toMatchObject({ status: 'ACTIVE', last_error: null, data_through: window.to, backfill_from: window.from });
    expect(state.last_synced_at).not.toBeNull();
    // Tokens only sealed: neither the access nor the refresh token in clear in the row.
    expect(state.token_ciphertext?.includes(Buffer.from(connection.tokens.accessToken))).toBe(false);
    expect(state.token_ciphertext?.includes(Buffer.from(connection.tokens.refreshToken ?? 'none'))).toBe(false);

    const imports = await owner.query<{ kind: string; rows: number; connection_id: string }>(
      `SELECT kind, rows, connection_id FROM metric_imports WHERE agency_id = $1 AND client_id = $2 ORDER BY created_at`,
      [connection.agencyId, connection.entity.clientId],
    );
    expect(imports.rows).toHaveLength(chunks.length);
    expect(imports.rows.every((row) => row.kind === 'SYNC' && row.connection_id === connection.entity.id)).toBe(true);
    expect(imports.rows.reduce((total, row) => total + row.rows, 0)).toBe(values);
    const audits = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE agency_id = $1 AND action = 'metric_values.imported'`, [
      connection.agencyId,
    ]);
    expect(audits.rows[0].n).toBe(chunks.length);
    // Each chunk announced itself in its own transaction: one import.completed per committed chunk, naming its import.
    const events = await importEvents(connection);
    expect(events.map((event) => event.importId).sort()).toEqual((await importIds(connection)).sort());
    expect(events.every((event) => event.kind === 'SYNC' && event.connectionId === connection.entity.id)).toBe(true);
  });

  it('re-pulls a restated day in the daily sync: value replaced, dropped day deleted, totals not doubled; a second sync writes nothing', async () => {
    const connection = await newConnection();
    const history = { from: addDays(today, -12), to: yesterday };
    await finishedRun(await queueRun(connection, 'BACKFILL', history));

    const restated = addDays(yesterday, -1);
    const dropped = addDays(yesterday, -2);
    const before = fakes.google.searchConsole.rowsFor(SITE, restated, restated)[0];
    fakes.google.searchConsole.restate(SITE, restated, (row) => ({ ...row, clicks: row.clicks + 7 }));
    fakes.google.searchConsole.restate(SITE, dropped, () => null);

    const daily = syncWindow('DAILY', today, provider, 0);
    const first = await finishedRun(await queueRun(connection, 'DAILY', daily));
    const dailyRows = fakes.google.searchConsole.rowsFor(SITE, daily.from, daily.to).length * provider.metricKeys.length;
    expect(first).toMatchObject({ status: 'SUCCEEDED', rows: dailyRows, inserted: 0, updated: 1, unchanged: dailyRows - 1, deleted: 3 });
    expect(await storedValue(connection, 'search_clicks', restated)).toBe(before.clicks + 7);
    expect(await storedValue(connection, 'search_clicks', dropped)).toBeNull();
    expect(await storedValue(connection, 'search_impressions', dropped)).toBeNull();

    const expected = fakes.google.searchConsole.rowsFor(SITE, history.from, history.to);
    const stored = await storedFigures(connection);
    expect(stored.values).toBe(expected.length * provider.metricKeys.length);
    expect(stored.daily).toEqual(expectedMonthlySums(expected));
    expect(stored.monthly).toEqual(expectedMonthlySums(expected));

    const second = await finishedRun(await queueRun(connection, 'DAILY', daily));
    expect(second).toMatchObject({ status: 'SUCCEEDED', rows: dailyRows, inserted: 0, updated: 0, unchanged: dailyRows, deleted: 0 });
    expect((await storedFigures(connection)).monthly).toEqual(expectedMonthlySums(expected));
  });

  it('waits out a 429 storm with Retry-After and succeeds in one attempt, every retry made', async () => {
    const connection = await newConnection();
    const before = searchRequests();
    fakes.google.searchConsole.failures.add(googleQuotaError('1'), 3);
    const run = await finishedRun(await queueRun(connection, 'DAILY', syncWindow('DAILY', today, provider, 0)));
    expect(run).toMatchObject({ status: 'SUCCEEDED', attempts: 1, error: null });
    expect(searchRequests() - before).toBe(4);
    expect(await connectionRow(connection)).toMatchObject({ status: 'ACTIVE', last_error: null });
  });

  it('requeues a run whose 429s outlast the HTTP client, marks the connection FAILING, and the retry succeeds', async () => {
    const connection = await newConnection();
    const runId = await unqueuedRun(connection, 'DAILY', syncWindow('DAILY', today, provider, 0));
    fakes.google.searchConsole.failures.add(googleQuotaError('0'), 5);
    await expect(runner.run({ agencyId: connection.agencyId, runId }, { lastAttempt: false })).rejects.toThrow(SyncRetryError);
    const waiting = await runRow(runId);
    expect(waiting).toMatchObject({ status: 'QUEUED', attempts: 1, chunks_done: 0, finished_at: null });
    expect(waiting.error).toMatch(/^Search Console: HTTP 429 \(Quota exceeded/);
    expect(await connectionRow(connection)).toMatchObject({ status: 'FAILING', last_error: waiting.error });

    expect(await runner.run({ agencyId: connection.agencyId, runId }, { lastAttempt: false })).toMatchObject({ status: 'SUCCEEDED' });
    expect(await runRow(runId)).toMatchObject({ status: 'SUCCEEDED', attempts: 2, error: null });
    expect(await connectionRow(connection)).toMatchObject({ status: 'ACTIVE', last_error: null });
  });

  it('refreshes an expired access token transparently, before the pull and after a 401, and saves the new one sealed', async () => {
    const expiring = fakes.google.identity.issueTokens([SEARCH_CONSOLE_SCOPE]);
    const connection = await newConnection({ tokens: { ...expiring, expiresAt: new Date(Date.now() - 60_000) } });
    const sealedBefore = (await connectionRow(connection)).token_ciphertext;
    let refreshes = tokenRequests();
    const first = await finishedRun(await queueRun(connection, 'DAILY', syncWindow('DAILY', today, provider, 0)));
    expect(first).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(tokenRequests() - refreshes).toBe(1);
    const sealedAfter = (await connectionRow(connection)).token_ciphertext;
    expect(sealedAfter?.equals(sealedBefore ?? Buffer.alloc(0))).toBe(false);

    // Google answers 401 to a token it expired early: one refresh, one more try.
    fakes.google.identity.expireAccessTokens();
    refreshes = tokenRequests();
    const second = await finishedRun(await queueRun(connection, 'DAILY', syncWindow('DAILY', today, provider, 0)));
    expect(second).toMatchObject({ status: 'SUCCEEDED', attempts: 1, error: null });
    expect(tokenRequests() - refreshes).toBe(1);
    expect(await connectionRow(connection)).toMatchObject({ status: 'ACTIVE', last_error: null });
  });

  it('marks a connection whose grant was revoked NEEDS_REAUTHORIZATION with a clear message, and fails the run without retry', async () => {
    const connection = await newConnection();
    fakes.google.identity.revokeGrantOf(connection.tokens.refreshToken ?? '');
    const first = await queueRun(connection, 'DAILY', syncWindow('DAILY', today, provider, 0));
    const run = await finishedRun(first);
    expect(run).toMatchObject({ status: 'FAILED', attempts: 1, chunks_done: 0, rows: 0 });
    expect(run.error).toBe('Google refused the authorization (revoked, expired or granted to another app): reconnect the account');
    const state = await connectionRow(connection);
    expect(state).toMatchObject({ status: 'NEEDS_REAUTHORIZATION', last_error: run.error });
    expect(state.last_error).not.toContain(connection.tokens.accessToken);

    // No retry by the queue, and a later run fails at once without calling Google.
    const requests = fakes.requests.length;
    const again = await unqueuedRun(connection, 'MANUAL', syncWindow('DAILY', today, provider, 0));
    expect(await runner.run({ agencyId: connection.agencyId, runId: again }, { lastAttempt: false })).toMatchObject({ status: 'FAILED' });
    expect((await runRow(again)).error).toBe('The connection must be authorized again (the platform refused its tokens): open a new connect link');
    expect(fakes.requests.length).toBe(requests);
    expect(await settledJob(first)).toEqual({ state: 'completed', retry_count: 0 });
  });

  it('leaves a connection FAILING when 5xx answers last until the retries are exhausted', async () => {
    const connection = await newConnection();
    const runId = await unqueuedRun(connection, 'DAILY', syncWindow('DAILY', today, provider, 0));
    fakes.google.searchConsole.failures.add(googleUnavailable, 10);
    await expect(runner.run({ agencyId: connection.agencyId, runId }, { lastAttempt: false })).rejects.toThrow(SyncRetryError);
    expect(await runRow(runId)).toMatchObject({ status: 'QUEUED', attempts: 1 });
    expect(await runner.run({ agencyId: connection.agencyId, runId }, { lastAttempt: true })).toMatchObject({ status: 'FAILED' });
    const run = await runRow(runId);
    expect(run).toMatchObject({ status: 'FAILED', attempts: 2, chunks_done: 0, rows: 0 });
    expect(run.error).toBe('Search Console: HTTP 503 (The service is currently unavailable.) (gave up after 2 attempts)');
    expect(run.finished_at).not.toBeNull();
    expect(await connectionRow(connection)).toMatchObject({ status: 'FAILING', last_error: run.error, data_through: null });
    expect((await storedFigures(connection)).values).toBe(0);
  });

  it('fails a run on a value storage cannot hold, naming it, without retry and without writing any of its chunk', async () => {
    // Another site of the fake: the other tests keep pulling sound figures of SITE.
    const site = 'https://www.example.com/';
    const connection = await newConnection({ site });
    const window = syncWindow('DAILY', today, provider, 0);
    const bad = addDays(yesterday, -1);
    fakes.google.searchConsole.restate(site, bad, (row) => ({ ...row, clicks: -3 }));
    const run = await finishedRun(await queueRun(connection, 'DAILY', window));
    expect(run).toMatchObject({ status: 'FAILED', attempts: 1, chunks_done: 0, rows: 0, inserted: 0 });
    expect(run.error).toBe(`Search Console: the value of search_clicks on ${bad} (-3) cannot be stored: it must not be negative for a count metric`);
    expect(await connectionRow(connection)).toMatchObject({ status: 'FAILING', last_error: run.error, data_through: null });
    expect((await storedFigures(connection)).values).toBe(0);
    const imports = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM metric_imports WHERE agency_id = $1`, [connection.agencyId]);
    expect(imports.rows[0].n).toBe(0);
  });

  it('resumes a backfill after a failure mid-way without redoing the chunks already committed', async () => {
    const connection = await newConnection();
    const window = syncWindow('BACKFILL', today, provider, api.config.connectors.backfillMonths);
    const chunks = syncChunks(window, provider.chunkDays);
    const runId = await unqueuedRun(connection, 'BACKFILL', window);
    // The first pull of a day of the second chunk fails, then 4 more 503s: the HTTP client gives up on that chunk.
    let armed = true;
    fakes.google.searchConsole.restate(SITE, chunks[1].from, (row) => {
      if (!armed) return row;
      armed = false;
      fakes.google.searchConsole.failures.add(googleUnavailable, 4);
      throw new Error('backend error');
    });
    await expect(runner.run({ agencyId: connection.agencyId, runId }, { lastAttempt: false })).rejects.toThrow(SyncRetryError);
    const firstChunkValues = fakes.google.searchConsole.rowsFor(SITE, chunks[0].from, chunks[0].to).length * provider.metricKeys.length;
    expect(await runRow(runId)).toMatchObject({ status: 'QUEUED', chunks_done: 1, rows: firstChunkValues, inserted: firstChunkValues });
    expect(await connectionRow(connection)).toMatchObject({ status: 'FAILING', data_through: chunks[0].to, backfill_from: chunks[0].from });

    const before = searchRequests();
    expect(await runner.run({ agencyId: connection.agencyId, runId }, { lastAttempt: false })).toMatchObject({ status: 'SUCCEEDED' });
    expect(searchRequests() - before).toBe(chunks.length - 1);
    const expected = fakes.google.searchConsole.rowsFor(SITE, window.from, window.to);
    const values = expected.length * provider.metricKeys.length;
    expect(await runRow(runId)).toMatchObject({ status: 'SUCCEEDED', attempts: 2, chunks_done: chunks.length, rows: values, inserted: values, unchanged: 0 });
    const imports = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM metric_imports WHERE agency_id = $1`, [connection.agencyId]);
    expect(imports.rows[0].n).toBe(chunks.length);
    expect((await storedFigures(connection)).monthly).toEqual(expectedMonthlySums(expected));
  });

  it('counts each chunk once when two attempts of one run overlap (a worker presumed dead that was not)', async () => {
    const connection = await newConnection();
    const window = syncWindow('BACKFILL', today, provider, api.config.connectors.backfillMonths);
    const chunks = syncChunks(window, provider.chunkDays);
    await subscribeToImports(connection);
    const runId = await unqueuedRun(connection, 'BACKFILL', window);
    const job = { agencyId: connection.agencyId, runId };
    const outcomes = await Promise.all([runner.run(job, { lastAttempt: false }), runner.run(job, { lastAttempt: false })]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['SKIPPED', 'SUCCEEDED']);
    const values = fakes.google.searchConsole.rowsFor(SITE, window.from, window.to).length * provider.metricKeys.length;
    expect(await runRow(runId)).toMatchObject({ status: 'SUCCEEDED', attempts: 2, chunks_done: chunks.length, rows: values, inserted: values, unchanged: 0 });
    const imports = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM metric_imports WHERE agency_id = $1`, [connection.agencyId]);
    expect(imports.rows[0].n).toBe(chunks.length);
    expect((await storedFigures(connection)).values).toBe(values);
    // The chunk a second attempt rolled back announced nothing: one event per chunk.
    expect(await importEvents(connection)).toHaveLength(chunks.length);
  });

  it('queues the daily sync of a connection that fell behind from the day after its last one, once', async () => {
    const connection = await newConnection({ status: 'FAILING', dataThrough: addDays(today, -6), backfillFrom: addDays(today, -40) });
    const handlers = worker.app.get(SyncJobHandlers);
    expect(await handlers.queueDailySyncsOf(connection.agencyId, new Date())).toBe(1);
    const { rows } = await owner.query<{ id: string; kind: string; window_start: string; window_end: string }>(
      `SELECT id, kind, window_start::text, window_end::text FROM sync_runs WHERE agency_id = $1`,
      [connection.agencyId],
    );
    expect(rows).toEqual([{ id: expect.any(String), kind: 'DAILY', window_start: addDays(today, -5), window_end: yesterday }]);
    // Queued or already run, it is not queued twice.
    expect(await handlers.queueDailySyncsOf(connection.agencyId, new Date())).toBe(0);
    expect(await finishedRun(rows[0].id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await connectionRow(connection)).toMatchObject({ status: 'ACTIVE', last_error: null, data_through: yesterday });
    expect(await handlers.queueDailySyncsOf(connection.agencyId, new Date())).toBe(0);
  });

  it('does nothing for a job that names another agency than its run’s (the run is invisible under that tenant)', async () => {
    const victim = await newConnection();
    const intruder = await newConnection();
    const runId = await unqueuedRun(victim, 'MANUAL', syncWindow('DAILY', today, provider, 0));
    const requests = fakes.requests.length;
    expect(await runner.run({ agencyId: intruder.agencyId, runId }, { lastAttempt: true })).toEqual({ runId, status: 'SKIPPED', error: null });
    expect(await runRow(runId)).toMatchObject({ status: 'QUEUED', attempts: 0 });
    expect(fakes.requests.length).toBe(requests);
  });

  it('computes the KPIs of a client fed by Google Ads and Meta from both platforms’ figures (cost per click, ROAS)', async () => {
    const agency = await newAgency(api);
    const client = await newClient(api, agency, { timeZone: TIME_ZONE });
    const registry = worker.app.get(ProviderRegistry);
    const month = addMonths(`${today.slice(0, 7)}-01`, -1);
    const window = { from: month, to: addDays(`${today.slice(0, 7)}-01`, -1) };

    const connect = async (providerKey: 'GOOGLE_ADS' | 'META_ADS', accountId: string, tokens: ConnectionTokens): Promise<string> => {
      const connector = registry.get(providerKey);
      const id = randomUUID();
      const sealed = vault.sealTokens(agency.agencyId, id, tokens);
      return runWithTenant(systemContext(agency.agencyId), () =>
        db.run(async (manager) => {
          await manager.insert(DataConnectionEntity, {
            agencyId: agency.agencyId,
            id,
            clientId: client.id,
            provider: providerKey,
            accountId,
            source: connector.sourceOf(accountId),
            status: 'ACTIVE',
            tokenCiphertext: sealed.ciphertext,
            tokenKeyId: sealed.keyId,
            tokenExpiresAt: sealed.expiresAt,
            scopes: sealed.scopes,
          });
          const entity = await manager.findOneByOrFail(DataConnectionEntity, { agencyId: agency.agencyId, id });
          const run = await queueSyncRun(manager, queue, entity, 'MANUAL', window, connector.chunkDays);
          if (run === null) throw new Error('the run was not queued');
          return run.id;
        }),
      );
    };
    const metaTokens = fakes.meta.issueTokens();
    const runs = await Promise.all([
      connect('GOOGLE_ADS', GOOGLE_ADS_CUSTOMER, fakes.google.identity.issueTokens([GOOGLE_ADS_SCOPE])),
      connect('META_ADS', META_ACCOUNT, {
        accessToken: metaTokens.accessToken,
        refreshToken: null,
        expiresAt: metaTokens.expiresAt,
        scopes: [...registry.get('META_ADS').scopes],
      }),
    ]);
    for (const runId of runs) expect(await finishedRun(runId)).toMatchObject({ status: 'SUCCEEDED', error: null });

    // By hand, from the rows each fake served: sums of the raw counts, then the ratios of the sums.
    const googleRows: GoogleAdsFakeRow[] = fakes.google.ads.rowsFor(GOOGLE_ADS_CUSTOMER, window.from, window.to);
    const metaRows: MetaInsightRow[] = fakes.meta.rowsFor(META_ACCOUNT, window.from, window.to);
    const spend =
      (googleRows.reduce((total, row) => total + microsToTenThousandths(row.costMicros), 0) +
        metaRows.reduce((total, row) => total + tenThousandths(row.spend), 0)) /
      10_000;
    const clicks = googleRows.reduce((total, row) => total + row.clicks, 0) + metaRows.reduce((total, row) => total + Number(row.inlineLinkClicks), 0);
    const revenue =
      (googleRows.reduce((total, row) => total + tenThousandths(String(row.conversionsValue)), 0) +
        metaRows.reduce((total, row) => total + tenThousandths(row.purchaseValue7dClick) + tenThousandths(row.purchaseValue1dView), 0)) /
      10_000;
    expect(googleRows.length).toBeGreaterThan(0);
    expect(metaRows.length).toBeGreaterThan(0);

    await approvePlan(api, agency, {
      clientId: client.id,
      businessModel: 'ECOMMERCE',
      channels: ['PAID_SEARCH', 'SOCIAL'],
      coreTarget: 'Acheteurs en ligne',
      objectiveKeys: ['INCREASE_SALES'],
      selections: ['cost_per_click', 'roas'].map((kpiKey) => ({ kpiKey, objectiveKey: 'INCREASE_SALES' })),
    });
    const data = await api.gqlOk<{ scorecard: { rows: { kpiKey: string; value: number | null }[] } }>(
      `query ($clientId: ID!, $month: String!) { scorecard(clientId: $clientId, month: $month) { rows { kpiKey value } } }`,
      { clientId: client.id, month: month.slice(0, 7) },
      agency.token,
    );
    const values = new Map(data.scorecard.rows.map((row) => [row.kpiKey, row.value]));
    expect(values.get('cost_per_click')).toBeCloseTo(spend / clicks, 9);
    expect(values.get('roas')).toBeCloseTo(revenue / spend, 9);
  });
});
