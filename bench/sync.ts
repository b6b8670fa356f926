/*
 * Sync benchmark (#14): BENCH_CONNECTIONS (50) connections — GA4, Google Ads, Meta Ads and Search
 * Console in turn, one client each — backfill CONNECTOR_BACKFILL_MONTHS (25) months against the
 * local fakes of the platforms, through the production code only: tokens sealed by the vault,
 * runs queued on pg-boss (queueSyncRun), the worker's SyncJobHandlers and SyncRunner, the
 * providers' HTTP clients (rate limits, paging), the import upsert path as the tenant role.
 *
 * Then the same rows, read back from metric_values, are imported plainly into fresh clients
 * through MetricImportService.record (the recordMetricValues path: validation, upsert, roll-up,
 * import history, audit), one call per client and chunk of the same days, with the same number
 * of clients at once. The ratio sync / plain import is what the engine adds to writing the rows:
 * the platform calls (the fakes answer in this process, so their JSON costs count too), paging,
 * token checks, the removal of what a pull no longer reports, the run bookkeeping and the queue.
 *
 *   npm run bench:sync
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) must be a superuser:
 * the bench creates and drops its own database. Progress goes to stderr; the last stdout line
 * is the JSON result.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { APP_CONFIG, loadAppConfig } from '@pilotage/config';
import {
  ConnectionTokenVault,
  ConnectorsModule,
  ProviderRegistry,
  queueSyncRun,
  syncChunks,
  syncWindow,
  SyncJobQueue,
  type ConnectionTokens,
  type DataProviderConnector,
} from '@pilotage/connectors';
import { DomainEvents, EventsModule } from '@pilotage/events';
import {
  AgencyEntity,
  ClientEntity,
  DatabaseModule,
  DataConnectionEntity,
  ensureDatabaseRoles,
  runMigrations,
  runWithTenant,
  systemContext,
  TenantDatabase,
  type DataProvider,
} from '@pilotage/database';
import { MetricImportService, type MetricValueCandidate } from '@pilotage/ingestion';
import { localDate } from '@pilotage/kpi';
import type { FakesCommand, FakesProcessOptions, FakesQuestion, FakesReply } from './support/platform-fakes.process';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_SYNC_CONCURRENCY ?? 4);
/** Rounds measured; the figures are their medians (one round's import can meet the autovacuum of the sync before it). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TIME_ZONE = 'Europe/Paris';
const PROVIDERS: readonly DataProvider[] = ['GA4', 'GOOGLE_ADS', 'META_ADS', 'SEARCH_CONSOLE'];

function log(message: string): void {
  process.stderr.write(`[bench:sync] ${message}\n`);
}

/** A plausible account id per provider, distinct per connection. */
function accountIdOf(provider: DataProvider, index: number): string {
  switch (provider) {
    case 'GA4':
      return String(300_000_000 + index);
    case 'GOOGLE_ADS':
      return String(1_000_000_000 + index);
    case 'META_ADS':
      return `act_${100_000 + index}`;
    case 'SEARCH_CONSOLE':
      return `sc-domain:shop-${index}.example`;
  }
}

/** The fake platforms' process and a way to ask it things. */
interface FakePlatforms {
  readonly origin: string;
  readonly env: Record<string, string>;
  tokens(provider: DataProvider): Promise<ConnectionTokens>;
  requests(): Promise<number>;
  close(): Promise<void>;
}

async function startFakesProcess(options: FakesProcessOptions): Promise<FakePlatforms> {
  const child = fork(join(__dirname, 'support', 'platform-fakes.process.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: { ...process.env, PILOTAGE_FAKES_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (reply: FakesReply) => void>();
  let ready: (reply: FakesReply) => void = () => undefined;
  const started = new Promise<FakesReply>((resolve) => (ready = resolve));
  child.on('message', (reply: FakesReply) => {
    if (reply.type === 'ready') ready(reply);
    else waiting.get(reply.id)?.(reply);
  });
  let nextId = 0;
  const ask = (question: FakesQuestion): Promise<FakesReply> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      const command: FakesCommand = { ...question, id };
      child.send(command);
    });
  const first = await started;
  if (first.type !== 'ready') throw new Error('the fakes did not start');
  return {
    origin: first.origin,
    env: first.env,
    async tokens(provider) {
      const reply = await ask({ type: 'tokens', platform: provider === 'META_ADS' ? 'META' : 'GOOGLE' });
      if (reply.type !== 'tokens') throw new Error('no tokens');
      const expiresAt = reply.tokens.expiresAt === null ? null : new Date(reply.tokens.expiresAt);
      return { ...reply.tokens, expiresAt };
    },
    async requests() {
      const reply = await ask({ type: 'requests' });
      if (reply.type !== 'requests') throw new Error('no request count');
      return reply.count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        const command: FakesCommand = { type: 'close' };
        child.send(command);
      }),
  };
}

async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseName = `pilotage_bench_sync_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  const superuserUrl = new URL(serverUrl);
  superuserUrl.pathname = `/${databaseName}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'pilotage-bench-sync-'));
  // The fakes answer only for the accounts the test user can see, as the platforms do.
  const accountsOf = (provider: DataProvider): string[] =>
    Array.from({ length: CONNECTIONS * ROUNDS }, (_, index) => index)
      .filter((index) => PROVIDERS[index % PROVIDERS.length] === provider)
      .map((index) => accountIdOf(provider, index));
  const fakes = await startFakesProcess({
    start: {
      googleAdsCustomers: Object.fromEntries(accountsOf('GOOGLE_ADS').map((id) => [id, null] as const)),
      ga4Properties: accountsOf('GA4'),
      searchConsoleSites: accountsOf('SEARCH_CONSOLE'),
    },
    // Meta answers `limit` rows a page (its default is 25); the fake's tests lower it to force paging.
    metaPageSize: 500,
  });
  let close: (() => Promise<void>) | null = null;
  const owner = new Client({ connectionString: superuserUrl.toString() });
  // DROP DATABASE ... WITH (FORCE) below ends it if a failure left it open.
  owner.on('error', () => undefined);
  try {
    const roles = await ensureDatabaseRoles(superuserUrl.toString(), {
      owner: { name: 'pilotage_bench_owner', password: randomUUID() },
      app: { name: 'pilotage_bench_app', password: randomUUID() },
      queue: { name: 'pilotage_bench_queue', password: randomUUID() },
    });
    await runMigrations(roles.ownerUrl);
    log(`database ${databaseName} migrated; fakes on ${fakes.origin}`);

    const config = loadAppConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: roles.appUrl,
      DATA_DIR: dataDir,
      CONNECTOR_SYNC_CONCURRENCY: String(CONCURRENCY),
      ...fakes.env,
    });
    @Module({})
    class BenchConfigModule {}
    @Module({})
    class BenchSyncModule {}
    const root: DynamicModule = {
      module: BenchSyncModule,
      imports: [
        { module: BenchConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        DatabaseModule.forRoot({ url: roles.appUrl, poolSize: CONCURRENCY + 4, applicationName: 'pilotage-bench-sync' }),
        // The sync runner announces what it wrote (DomainEvents): global in the worker, imported here.
        EventsModule.forRoot(),
        ConnectorsModule.forWorker({ queueUrl: roles.queueUrl, concurrency: CONCURRENCY, schedule: false, pollingIntervalSeconds: 0.5 }),
      ],
    };
    const app = await NestFactory.createApplicationContext(root, { logger: false });
    await app.init();
    close = () => app.close();
    const db = app.get(TenantDatabase);
    const vault = app.get(ConnectionTokenVault);
    const queue = app.get(SyncJobQueue);
    const registry = app.get(ProviderRegistry);
    await owner.connect();

    /**
     * One round: a fresh agency with one client per connection (and as many fresh clients for the
     * plain import), backfilled, then the same rows imported. The connections of each round are
     * new accounts of the fakes, so no round re-reads what another wrote.
     */
    const round = async (roundIndex: number) => {
      const requestsBefore = await fakes.requests();
      const agencyId = randomUUID();
      const synced: { clientId: string; connection: DataConnectionEntity; provider: DataProviderConnector }[] = [];
      const imported: string[] = [];
      await runWithTenant(systemContext(agencyId), () =>
        db.run(async (manager) => {
          await manager.insert(AgencyEntity, { id: agencyId, name: 'Bench agency', slug: `bench-${agencyId.slice(0, 8)}` });
          for (let index = 0; index < CONNECTIONS; index += 1) {
            for (const list of ['synced', 'imported'] as const) {
              const clientId = randomUUID();
              await manager.insert(ClientEntity, {
                agencyId,
                id: clientId,
                name: `Bench ${list} ${index}`,
                businessModel: 'ECOMMERCE',
                locale: 'fr',
                currency: 'EUR',
                timeZone: TIME_ZONE,
                reportRecipients: [],
              });
              if (list === 'imported') {
                imported.push(clientId);
                continue;
              }
              const accountIndex = roundIndex * CONNECTIONS + index;
              const provider = registry.get(PROVIDERS[accountIndex % PROVIDERS.length]);
              const accountId = accountIdOf(provider.provider, accountIndex);
              const id = randomUUID();
              const sealed = vault.sealTokens(agencyId, id, await fakes.tokens(provider.provider));
              const connection = manager.create(DataConnectionEntity, {
                agencyId,
                id,
                clientId,
                provider: provider.provider,
                accountId,
                source: provider.sourceOf(accountId),
                status: 'ACTIVE',
                tokenCiphertext: sealed.ciphertext,
                tokenKeyId: sealed.keyId,
                tokenExpiresAt: sealed.expiresAt,
                scopes: sealed.scopes,
              });
              await manager.save(connection);
              synced.push({ clientId, connection, provider });
            }
          }
        }),
      );

      const today = localDate(new Date(), TIME_ZONE);
      await owner.query('CHECKPOINT');
      log(`queueing ${CONNECTIONS} backfills of ${config.connectors.backfillMonths} months, ${CONCURRENCY} at once ...`);
      let started = performance.now();
      const windows = new Map<string, { from: string; to: string }>();
      await runWithTenant(systemContext(agencyId), () =>
        db.run(async (manager) => {
          for (const { connection, provider } of synced) {
            const window = syncWindow('BACKFILL', today, provider, config.connectors.backfillMonths);
            windows.set(connection.id, window);
            const run = await queueSyncRun(manager, queue, connection, 'BACKFILL', window, provider.chunkDays);
            if (run === null) throw new Error(`backfill of ${connection.source} not queued`);
          }
        }),
      );
      let runs: { status: string; rows: number; error: string | null }[];
      for (;;) {
        runs = (
          await owner.query<{ status: string; rows: number; error: string | null }>(`SELECT status, rows, error FROM sync_runs WHERE agency_id = $1`, [
            agencyId,
          ])
        ).rows;
        const finished = runs.filter((run) => run.status === 'SUCCEEDED' || run.status === 'FAILED').length;
        if (finished === runs.length) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const syncSeconds = (performance.now() - started) / 1000;
      const failed = runs.filter((run) => run.status !== 'SUCCEEDED');
      if (failed.length > 0) throw new Error(`${failed.length} runs failed, e.g. ${failed[0].error ?? '?'}`);
      const rows = runs.reduce((total, run) => total + run.rows, 0);
      const requests = (await fakes.requests()) - requestsBefore;
      log(`sync: ${rows} values in ${syncSeconds.toFixed(2)} s (${requests} platform requests)`);

      // The same rows, through the plain import path, chunk by chunk like the sync.
      const service = new MetricImportService(db, app.get(DomainEvents));
      const jobs = synced.map(({ connection, provider }, index) => ({ connection, provider, clientId: imported[index] }));
      await owner.query('CHECKPOINT');
      const batches: { clientId: string; values: MetricValueCandidate[] }[][] = [];
      for (const { connection, provider, clientId } of jobs) {
        const window = windows.get(connection.id);
        if (window === undefined) throw new Error('no window');
        const values = (
          await owner.query<{ metric_key: string; date: string; channel: string; campaign: string; value: string }>(
            `SELECT metric_key, date::text AS date, channel, campaign, value::text AS value FROM metric_values WHERE client_id = $1 ORDER BY date`,
            [connection.clientId],
          )
        ).rows;
        batches.push(
          syncChunks(window, provider.chunkDays).map((chunk) => ({
            clientId,
            values: values
              .filter((value) => value.date >= chunk.from && value.date <= chunk.to)
              .map((value) => ({
                metricKey: value.metric_key,
                date: value.date,
                value: value.value,
                source: connection.source,
                channel: value.channel,
                campaign: value.campaign,
              })),
          })),
        );
      }
      log(`importing the same ${rows} values through MetricImportService.record, ${CONCURRENCY} clients at once ...`);
      started = performance.now();
      let next = 0;
      let importedRows = 0;
      const tenant = { agencyId, userId: null, role: 'MANAGER' as const, clientId: null };
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let job = next++; job < batches.length; job = next++) {
            for (const batch of batches[job]) {
              if (batch.values.length === 0) continue;
              const result = await runWithTenant(tenant, () => service.record(batch));
              importedRows += result.inserted;
            }
          }
        }),
      );
      const importSeconds = (performance.now() - started) / 1000;
      if (importedRows !== rows) throw new Error(`plain import wrote ${importedRows} values, the sync ${rows}`);
      log(`plain import: ${importedRows} values in ${importSeconds.toFixed(2)} s`);
      return {
        connections: CONNECTIONS,
        months: config.connectors.backfillMonths,
        concurrency: CONCURRENCY,
        rows,
        requests,
        syncSeconds,
        importSeconds,
      };
    };

    const rounds = [];
    for (let index = 0; index < ROUNDS; index += 1) {
      const measured = await round(index);
      log(`round ${index + 1}/${ROUNDS}: sync ${measured.syncSeconds.toFixed(2)} s, plain import ${measured.importSeconds.toFixed(2)} s`);
      rounds.push(measured);
    }
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const syncSeconds = median(rounds.map((measured) => measured.syncSeconds));
    const importSeconds = median(rounds.map((measured) => measured.importSeconds));
    const { rows, requests } = rounds[0];
    const result = {
      connections: CONNECTIONS,
      months: config.connectors.backfillMonths,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      rows,
      requests,
      seconds: Number(syncSeconds.toFixed(2)),
      rowsPerSecond: Math.round(rows / syncSeconds),
      importSeconds: Number(importSeconds.toFixed(2)),
      ratioToImport: Number((syncSeconds / importSeconds).toFixed(2)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await owner.end().catch(() => undefined);
    await close?.();
    await fakes.close();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench:sync] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
