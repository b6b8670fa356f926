/**
 * Batch benchmark: `npm run bench:batch` (builds, then runs this file).
 *
 * What agencies live on the 1st of the month: `generateMonthlyReports` for every client of an
 * agency, through the real path — the compiled API (`dist/apps/api/src/main.js`) takes the
 * mutation and queues one job per report, a separate compiled worker process
 * (`dist/apps/worker/src/main.js`, its pg-boss as the queue role) claims each report, assembles
 * its snapshot from PostgreSQL, renders it with its Chromium pool and stores the PDF. Timed from
 * the mutation to the batch's completion (polled through `reportBatch` every 100 ms).
 *
 * Data: BENCH_CLIENTS clients (default 200) of one agency, each with an approved e-commerce plan
 * (kickoff mutations through the API, bench/support/ecommerce-plan.ts) and 25 months of daily
 * values of the plan's metrics, generated in SQL (bench/support/metric-values.ts), up to the end
 * of BENCH_MONTH (default 2026-11, the month reported).
 *
 * In the same run, for the ratio:
 * - snapshotMs: the same snapshots assembled in this process (ReportSnapshotAssembler on the same
 *   database, one after another, before the batch), p50 and p95;
 * - pool: the batch's own frozen snapshots rendered again in memory through a PdfRenderer of the
 *   worker's pool size (what bench:reports measures), after the batch; `poolRatio` is the batch's
 *   rate over that one (goal >= 0.9).
 *
 * Env: BENCH_CLIENTS (200; 40 gives a run of a few minutes), BENCH_MONTH (2026-11),
 * BENCH_SNAPSHOT_SAMPLES (100), BENCH_DATABASE_URL (a superuser URL of the PostgreSQL server,
 * default postgres://postgres@127.0.0.1:5432/postgres), CHROMIUM_PATH, BENCH_KEEP_DATABASE=1.
 * Creates its own database and roles and drops the database at the end. Progress on stderr, one
 * JSON line on stdout.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { loadAppConfig } from '@pilotage/config';
import { DatabaseModule, ensureDatabaseRoles, runMigrations, runWithTenant, systemContext, type ReportEntity } from '@pilotage/database';
import { AnalyticsModule } from '@pilotage/analytics';
import { frozenSnapshot, REPORT_RENDER_POOL_SIZE, ReportSnapshotAssembler, withEditorialContent } from '@pilotage/report-production';
import { resolveChromiumExecutable, type ReportSnapshot } from '@pilotage/reporting';
import { benchApiEnv, startCompiledApi } from './support/compiled-api';
import { startCompiledWorker } from './support/compiled-worker';
import { benchGraphqlClient, chooseEcommercePlan, newClientWithApprovedPlan, type BenchGql } from './support/ecommerce-plan';
import { seedDailyMetricValues } from './support/metric-values';
import { measurePool } from './support/report-pool';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const MONTH = process.env.BENCH_MONTH ?? '2026-11';
const SNAPSHOT_SAMPLES = Number(process.env.BENCH_SNAPSHOT_SAMPLES ?? 100);
/** Clients created at once through the API. */
const SETUP_CONCURRENCY = 4;
const PASSWORD = 'batch-report-bench-7Qx!';

const log = (message: string): void => void process.stderr.write(`[bench:batch] ${message}\n`);

/** 25 months of days: the reported month, the 12 before it and the 12 of the year before. */
function dataDays(month: string): { firstDay: string; days: number } {
  const [year, monthIndex] = [Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1];
  const first = Date.UTC(year, monthIndex - 24, 1);
  const end = Date.UTC(year, monthIndex + 1, 1);
  return { firstDay: new Date(first).toISOString().slice(0, 10), days: Math.round((end - first) / 86_400_000) };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

@Module({})
class BenchSnapshotModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: BenchSnapshotModule,
      imports: [DatabaseModule.forRoot({ url: databaseUrl, poolSize: 4, applicationName: 'pilotage-bench-batch' }), AnalyticsModule],
      providers: [ReportSnapshotAssembler],
    };
  }
}

async function signUpAndLogIn(gql: BenchGql, superuserUrl: string): Promise<string> {
  await gql(`mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`, {
    input: { agencyName: 'Batch Agency', agencySlug: 'batch', email: 'batch@example.com', password: PASSWORD, displayName: 'Batch' },
  });
  // The bench owns its throwaway database: it confirms its own owner's address there instead of reading an e-mail.
  const confirming = new Client({ connectionString: superuserUrl });
  await confirming.connect();
  await confirming.query(`UPDATE users SET email_verified_at = now() WHERE email = 'batch@example.com'`).finally(() => confirming.end());
  const login = await gql<{ login: { token: string } }>(`mutation ($input: LoginInput!) { login(input: $input) { token } }`, {
    input: { email: 'batch@example.com', password: PASSWORD },
  });
  return login.login.token;
}

/** p50 and p95 of assembling a client's monthly snapshot from the database, one at a time. */
async function measureSnapshots(appUrl: string, agencyId: string, clientIds: readonly string[]): Promise<{ p50: number; p95: number }> {
  let context: INestApplicationContext | null = null;
  try {
    context = await NestFactory.createApplicationContext(BenchSnapshotModule.forRoot(appUrl), { logger: false });
    const assembler = context.get(ReportSnapshotAssembler);
    const assemble = (clientId: string): Promise<ReportSnapshot> =>
      runWithTenant(systemContext(agencyId), () => assembler.assemble({ clientId, kind: 'MONTHLY', periodStart: `${MONTH}-01`, authorUserId: null }));
    for (const clientId of clientIds.slice(0, 5)) await assemble(clientId);
    const durations: number[] = [];
    for (let index = 0; index < SNAPSHOT_SAMPLES; index += 1) {
      const started = performance.now();
      await assemble(clientIds[index % clientIds.length]);
      durations.push(performance.now() - started);
    }
    durations.sort((left, right) => left - right);
    return { p50: percentile(durations, 50), p95: percentile(durations, 95) };
  } finally {
    await context?.close();
  }
}

interface BatchView {
  readonly id: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly status: string;
}

async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseName = `pilotage_bench_batch_${Date.now()}`;
  const executablePath = resolveChromiumExecutable(process.env.CHROMIUM_PATH);
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  const superuserUrl = new URL(serverUrl);
  superuserUrl.pathname = `/${databaseName}`;
  const storageDir = mkdtempSync(join(tmpdir(), 'pilotage-bench-batch-'));
  const stops: (() => Promise<void>)[] = [];
  try {
    const roles = await ensureDatabaseRoles(superuserUrl.toString(), {
      owner: { name: 'pilotage_bench_owner', password: 'pilotage_bench_owner' },
      app: { name: 'pilotage_bench_app', password: 'pilotage_bench_app' },
      queue: { name: 'pilotage_bench_queue', password: 'pilotage_bench_queue' },
    });
    await runMigrations(roles.ownerUrl);
    const apiEnv = benchApiEnv(roles.appUrl, { LOGIN_MAX_ATTEMPTS: '1000', JWT_TTL_SECONDS: '3600', STORAGE_DIR: storageDir });
    const workerEnv = {
      ...apiEnv,
      DATABASE_QUEUE_URL: roles.queueUrl,
      LOG_LEVEL: 'info',
      ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: executablePath } : {}),
    };
    // Fails here, with the variable's name, rather than in a child's log.
    loadAppConfig(workerEnv);
    const api = await startCompiledApi(apiEnv);
    stops.unshift(() => api.stop());
    const url = `${api.url}/graphql`;
    const gql: BenchGql = benchGraphqlClient(url);

    // 1. The agency, its clients with an approved plan, their values.
    const token = await signUpAndLogIn(gql, superuserUrl.toString());
    const plan = chooseEcommercePlan();
    const clientIds: string[] = [];
    let nextClient = 0;
    const setupStarted = Date.now();
    await Promise.all(
      Array.from({ length: SETUP_CONCURRENCY }, async () => {
        for (let index = nextClient++; index < CLIENTS; index = nextClient++) {
          clientIds.push(await newClientWithApprovedPlan(gql, token, `Client ${String(index + 1).padStart(3, '0')}`, plan.kpis));
        }
      }),
    );
    log(`${CLIENTS} clients with an approved ${plan.kpis.length}-KPI plan in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
    const owner = new Client({ connectionString: superuserUrl.toString() });
    await owner.connect();
    stops.push(() => owner.end());
    const [{ id: agencyId }] = (await owner.query<{ id: string }>('SELECT id FROM agencies')).rows;
    const seedStarted = Date.now();
    const { rows: metricValues } = await seedDailyMetricValues(owner, { agencyId, metrics: plan.metrics, ...dataDays(MONTH) });
    log(
      `${metricValues} metric values (25 months × ${plan.metrics.length} metrics × ${CLIENTS} clients) in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    // 2. Snapshot assembly alone, on the quiet database.
    const snapshotMs = await measureSnapshots(roles.appUrl, agencyId, clientIds);
    log(`snapshot: p50 ${snapshotMs.p50.toFixed(1)} ms, p95 ${snapshotMs.p95.toFixed(1)} ms over ${SNAPSHOT_SAMPLES}`);

    // 3. The batch, through the API and a separate worker process.
    const worker = await startCompiledWorker(workerEnv);
    stops.unshift(() => worker.stop());
    log(`worker ${worker.pid} ready; generateMonthlyReports(${MONTH})`);
    const started = performance.now();
    const { generateMonthlyReports: batch } = await gql<{ generateMonthlyReports: BatchView }>(
      `mutation ($month: String!) { generateMonthlyReports(input: { month: $month }) { id total done failed status } }`,
      { month: MONTH },
      token,
    );
    const queuedSeconds = (performance.now() - started) / 1000;
    let progress = batch;
    let lastLog = 0;
    while (progress.status === 'RUNNING') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      progress = (await gql<{ reportBatch: BatchView }>(`query ($id: ID!) { reportBatch(id: $id) { id total done failed status } }`, { id: batch.id }, token))
        .reportBatch;
      if (progress.done - lastLog >= 50) {
        lastLog = progress.done;
        log(`batch: ${progress.done}/${progress.total} (${(progress.done / ((performance.now() - started) / 1000)).toFixed(2)} reports/s)`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    log(
      `batch: ${progress.done} done, ${progress.failed} failed of ${progress.total} in ${seconds.toFixed(1)} s (mutation answered in ${queuedSeconds.toFixed(2)} s)`,
    );
    await worker.stop();
    if (progress.failed > 0 || progress.done !== CLIENTS) throw new Error(`the batch did not render every report: ${JSON.stringify(progress)}`);

    // 4. The pool alone on the same reports: their frozen snapshots, rendered again in memory.
    const { rows: reports } = await owner.query<
      Pick<ReportEntity, 'id' | 'snapshot' | 'commentary' | 'narrative'> & { kpi_commentary: Record<string, string>; page_count: number }
    >(`SELECT id, snapshot, commentary, kpi_commentary, narrative, page_count FROM reports WHERE batch_id = $1 ORDER BY client_id`, [batch.id]);
    const snapshots = reports.map((row) => {
      const snapshot = frozenSnapshot(row);
      if (snapshot === null) throw new Error(`report ${row.id} has no snapshot`);
      return withEditorialContent(snapshot, { ...row, kpiCommentary: row.kpi_commentary });
    });
    const batchPagesPerReport = reports.reduce((sum, row) => sum + row.page_count, 0) / reports.length;
    const pool = await measurePool({
      executablePath,
      poolSize: REPORT_RENDER_POOL_SIZE,
      reports: snapshots.length,
      warmupReports: Math.min(20, snapshots.length),
      snapshotAt: (index) => snapshots[index % snapshots.length],
      log,
    });
    log(`pool on the same snapshots: ${pool.reportsPerSecond.toFixed(2)} reports/s, ${pool.cpuMsPerReport.toFixed(0)} ms CPU per report`);

    const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'batch',
        clients: CLIENTS,
        month: MONTH,
        metricValues,
        seconds: round(seconds),
        reportsPerSecond: round(CLIENTS / seconds),
        // Assembling one snapshot from PostgreSQL, alone (step 2).
        snapshotMsP50: round(snapshotMs.p50, 1),
        snapshotMsP95: round(snapshotMs.p95, 1),
        poolReportsPerSecond: round(pool.reportsPerSecond),
        // The batch's rate over the pool's on the same reports, same pool size: >= 0.9 is the goal.
        poolRatio: round(CLIENTS / seconds / pool.reportsPerSecond),
        poolCpuMsPerReport: round(pool.cpuMsPerReport, 0),
        pagesPerReport: round(batchPagesPerReport, 1),
        poolSize: REPORT_RENDER_POOL_SIZE,
      })}\n`,
    );
  } finally {
    for (const stop of stops) await stop().catch((error: unknown) => log(`stopping: ${String(error)}`));
    if (process.env.BENCH_KEEP_DATABASE === '1') log(`kept database ${databaseName}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
