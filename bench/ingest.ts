/*
 * Ingestion benchmark: imports a 1,000,000-value CSV through the real import path
 * (MetricImportService.importCsv from libs/ingestion in a tenant context, as the non-owner app role, one
 * transaction: values upserted on their natural key with channel and campaign, monthly roll-up built)
 * and times a raw PostgreSQL COPY of the same rows into the same table, then the roll-up's rebuild.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/ingest.ts
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) must be a superuser:
 * the bench creates and drops its own database `pilotage_bench_<ts>`. BENCH_ROWS overrides the
 * row count. Progress goes to stderr; the last stdout line is the JSON result.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Client, type Connection, type Submittable } from 'pg';
import {
  AgencyEntity,
  ClientEntity,
  createDataSource,
  ensureAppLoginRole,
  METRIC_MONTHLY_REBUILD_SQL,
  runMigrations,
  runWithTenant,
  systemContext,
  TenantDatabase,
} from '@pilotage/database';
import { loadAppConfig } from '@pilotage/config';
import { DomainEvents, EventJobQueue } from '@pilotage/events';
import { MetricImportService } from '@pilotage/ingestion';
import { METRIC_CATALOG } from '@pilotage/kpi';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
/**
 * Where an agency's figures come from, as a client's month looks: GA4 split by channel group
 * (the file says the channel), ad platforms by campaign (their channel is guessed from the
 * source's name: the cell stays empty), a shop and e-mail tool, and figures typed by hand.
 */
const GROUPS: readonly { readonly source: string; readonly channelCell: string; readonly channel: string; readonly campaign: string }[] = [
  { source: 'Google Analytics 4', channelCell: 'Organic search', channel: 'ORGANIC_SEARCH', campaign: '' },
  { source: 'Google Analytics 4', channelCell: 'DIRECT', channel: 'DIRECT', campaign: '' },
  { source: 'Google Analytics 4', channelCell: 'Referral', channel: 'REFERRAL', campaign: '' },
  { source: 'Google Ads', channelCell: '', channel: 'PAID_SEARCH', campaign: 'Brand' },
  { source: 'Google Ads', channelCell: '', channel: 'PAID_SEARCH', campaign: 'Generic – FR' },
  { source: 'Meta Ads', channelCell: '', channel: 'PAID_SOCIAL', campaign: 'Retargeting' },
  { source: 'Brevo', channelCell: '', channel: 'EMAIL', campaign: 'Newsletter' },
  { source: 'Shopify', channelCell: '', channel: 'OTHER', campaign: '' },
];
const METRICS = METRIC_CATALOG.slice(0, 50);
const FIRST_DAY = Date.UTC(2005, 0, 1);

function log(message: string): void {
  process.stderr.write(`[bench:ingest] ${message}\n`);
}

interface GeneratedRow {
  readonly date: string;
  readonly metricKey: string;
  readonly group: (typeof GROUPS)[number];
  readonly value: string;
}

/**
 * The same deterministic rows for the CSV and for COPY. BENCH_ORDER=date (default) is how an
 * export reads: day by day, every metric of the day; BENCH_ORDER=key follows the primary key
 * (metric, source, channel, campaign, then day), which turns the index inserts from scattered into appends.
 */
const KEY_ORDER = process.env.BENCH_ORDER === 'key';
const DAYS = Math.ceil(ROWS / (METRICS.length * GROUPS.length));

function* generateRows(count: number): Generator<GeneratedRow> {
  const dates = Array.from({ length: DAYS }, (_, day) => new Date(FIRST_DAY + day * 86_400_000).toISOString().slice(0, 10));
  const combos = METRICS.flatMap((metric) => GROUPS.map((group) => ({ metric, group })));
  for (let produced = 0; produced < count; produced++) {
    const day = KEY_ORDER ? produced % DAYS : Math.floor(produced / combos.length);
    const combo = combos[KEY_ORDER ? Math.floor(produced / DAYS) : produced % combos.length];
    const date = dates[day];
    if (combo === undefined || date === undefined) return;
    const base = (produced * 7919) % 100_000;
    const value = combo.metric.unit === 'COUNT' ? String(base) : `${base}.${String(produced % 100).padStart(2, '0')}`;
    yield { date, metricKey: combo.metric.key, group: combo.group, value };
  }
}

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('date,metric,value,source,channel,campaign\n');
  let chunk = '';
  for (const row of generateRows(ROWS)) {
    chunk += `${row.date},${row.metricKey},${row.value},${row.group.source},${row.group.channelCell},${row.group.campaign}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** The part of pg's Connection a COPY FROM STDIN needs (pg-copy-streams is not installed). */
interface CopyConnection {
  readonly stream: Writable;
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

function isCopyConnection(value: unknown): value is CopyConnection {
  if (typeof value !== 'object' || value === null) return false;
  return 'sendCopyFromChunk' in value && typeof value.sendCopyFromChunk === 'function' && 'endCopyFrom' in value && typeof value.endCopyFrom === 'function';
}

/**
 * A minimal COPY ... FROM STDIN through pg's Submittable protocol: pg hands us the connection
 * when the server answers CopyInResponse, we stream the data, pg routes completion back.
 */
class CopyFromStdin implements Submittable {
  readonly done: Promise<void>;
  private resolve: () => void = () => undefined;
  private reject: (error: unknown) => void = () => undefined;
  private failed: unknown = null;

  constructor(
    private readonly text: string,
    private readonly data: () => AsyncIterable<string>,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: unknown): void {
    if (!isCopyConnection(connection)) {
      this.reject(new Error('pg connection does not support COPY FROM STDIN'));
      return;
    }
    void (async () => {
      for await (const chunk of this.data()) {
        connection.sendCopyFromChunk(Buffer.from(chunk, 'utf8'));
        if (connection.stream.writableNeedDrain === true) await once(connection.stream, 'drain');
      }
      connection.endCopyFrom();
    })().catch((error: unknown) => this.reject(error));
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    if (this.failed === null) this.resolve();
    else this.reject(this.failed);
  }

  handleError(error: unknown): void {
    this.failed = error;
  }
}

async function* copyData(agencyId: string, clientId: string, importId: string): AsyncGenerator<string> {
  let chunk = '';
  for (const row of generateRows(ROWS)) {
    chunk += `${agencyId},${clientId},${row.metricKey},${row.date},"${row.group.source}",${row.group.channel},"${row.group.campaign}",DAY,${row.value},${importId}\n`;
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseName = `pilotage_bench_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${databaseName}`;
  const csvPath = join(tmpdir(), `${databaseName}.csv`);
  try {
    await runMigrations(ownerUrl.toString());
    const appUrl = await ensureAppLoginRole(ownerUrl.toString(), { name: 'pilotage_bench_app', password: randomUUID() });
    log(`database ${databaseName} migrated`);

    let started = performance.now();
    await writeCsv(csvPath);
    log(`generated ${ROWS} rows in ${((performance.now() - started) / 1000).toFixed(1)} s: ${csvPath}`);

    const dataSource = createDataSource({ url: appUrl, poolSize: 2, applicationName: 'pilotage-bench' });
    await dataSource.initialize();
    const eventQueue = new EventJobQueue({ kind: 'sender', dataSource });
    const owner = new Client({ connectionString: ownerUrl.toString() });
    await owner.connect();
    try {
      const db = new TenantDatabase(dataSource);
      const agencyId = randomUUID();
      const clientId = randomUUID();
      const userId = null;
      await runWithTenant(systemContext(agencyId), () =>
        db.run(async (manager) => {
          await manager.insert(AgencyEntity, { id: agencyId, name: 'Bench agency', slug: `bench-${agencyId.slice(0, 8)}` });
          await manager.insert(ClientEntity, {
            agencyId,
            id: clientId,
            name: 'Bench client',
            businessModel: 'ECOMMERCE',
            locale: 'fr',
            currency: 'EUR',
            timeZone: 'Europe/Paris',
            reportRecipients: [],
          });
        }),
      );
      // The import announces itself (import.completed, the debounced evaluation) as in the API: jobs sent through the same pool.
      const config = loadAppConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: appUrl.toString(), DATA_DIR: tmpdir() });
      const service = new MetricImportService(db, new DomainEvents(eventQueue, config));
      const tenant = { agencyId, userId, role: 'MANAGER' as const, clientId: null };

      await owner.query('CHECKPOINT');
      log('importing through MetricImportService.importCsv ...');
      started = performance.now();
      const report = await runWithTenant(tenant, () => service.importCsv(clientId, createReadStream(csvPath), { dryRun: false }));
      const importSeconds = (performance.now() - started) / 1000;
      if (report.status !== 'COMMITTED' || report.inserted !== ROWS) {
        throw new Error(`import did not commit every row: ${JSON.stringify({ ...report, errors: report.errors.slice(0, 5) })}`);
      }
      log(`import: ${ROWS} rows in ${importSeconds.toFixed(2)} s`);

      started = performance.now();
      const again = await runWithTenant(tenant, () => service.importCsv(clientId, createReadStream(csvPath), { dryRun: false }));
      const reimportSeconds = (performance.now() - started) / 1000;
      log(`re-import (all unchanged: ${again.unchanged === ROWS}): ${reimportSeconds.toFixed(2)} s`);

      const rollupRows = await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM metric_monthly');
      await owner.query('TRUNCATE metric_values, metric_monthly');
      await owner.query('CHECKPOINT');
      log('raw COPY of the same rows ...');
      started = performance.now();
      // The same columns as the import writes, channel and campaign in the key.
      const copy = new CopyFromStdin(
        `COPY metric_values (agency_id, client_id, metric_key, date, source, channel, campaign, granularity, value, import_batch_id) FROM STDIN WITH (FORMAT csv)`,
        () => copyData(agencyId, clientId, randomUUID()),
      );
      owner.query(copy);
      await copy.done;
      const copySeconds = (performance.now() - started) / 1000;
      const copied = await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM metric_values');
      if (copied.rows[0]?.n !== ROWS) throw new Error(`COPY wrote ${copied.rows[0]?.n} rows`);
      log(`COPY: ${ROWS} rows in ${copySeconds.toFixed(2)} s`);
      // The import builds the monthly roll-up before it commits; COPY alone does not, so the
      // baseline that does the same work is COPY then the roll-up's rebuild.
      started = performance.now();
      await owner.query(METRIC_MONTHLY_REBUILD_SQL);
      const rollupSeconds = (performance.now() - started) / 1000;
      const rebuilt = await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM metric_monthly');
      if (rebuilt.rows[0]?.n !== rollupRows.rows[0]?.n) throw new Error(`roll-up rows: import ${rollupRows.rows[0]?.n}, rebuild ${rebuilt.rows[0]?.n}`);
      log(`roll-up rebuild after COPY: ${rebuilt.rows[0]?.n} rows in ${rollupSeconds.toFixed(2)} s`);

      const result = {
        rows: ROWS,
        importSeconds: Number(importSeconds.toFixed(2)),
        reimportUnchangedSeconds: Number(reimportSeconds.toFixed(2)),
        copySeconds: Number(copySeconds.toFixed(2)),
        copyAndRollupSeconds: Number((copySeconds + rollupSeconds).toFixed(2)),
        /** Against COPY alone (the figure the README has always given). */
        ratio: Number((importSeconds / copySeconds).toFixed(2)),
        /** Against COPY and the roll-up the import also builds. */
        ratioWithRollup: Number((importSeconds / (copySeconds + rollupSeconds)).toFixed(2)),
        groups: GROUPS.length,
        order: KEY_ORDER ? 'key' : 'date',
        rowsPerSecond: Math.round(ROWS / importSeconds),
        peakRssMb: peakRssMb(),
      };
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      await owner.end();
      // Its pg-boss stops before the pool it sends through is gone.
      await eventQueue.onModuleDestroy();
      await dataSource.destroy();
    }
  } finally {
    rmSync(csvPath, { force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
