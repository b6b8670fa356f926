/*
 * Alerts benchmark (#15): BENCH_CLIENTS (1,000) clients of one agency, each with an approved
 * plan of BENCH_PLAN_KPIS (12) e-commerce KPIs and BENCH_DAYS (90) days of daily values up to
 * yesterday (what the anomaly rule reads: the same weekday of the 8 weeks before), seeded through
 * the compiled API's GraphQL (clients, kickoffs, plans) and SQL (values). Then, in this process,
 * with the production AlertEvaluator (libs/alerts) as the tenant role:
 *   - evaluationMsPerClient: BENCH_SAMPLES clients each get this month's values re-imported with
 *     changes (MetricImportService.record, the recordMetricValues path), then their evaluation is
 *     timed — what the debounced metrics.changed job runs after an import (median, p95 beside);
 *   - dailyClientsPerSecond: every client evaluated one after the other: one lane of the daily run
 *     (whose tick queues a job per client for the workers' lanes).
 *
 *   npm run bench:alerts
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) must be a superuser:
 * the bench creates and drops its own database. Progress goes to stderr; the last stdout line is
 * the JSON result.
 */
import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { AlertEvaluator, AlertsModule } from '@pilotage/alerts';
import { APP_CONFIG, loadAppConfig } from '@pilotage/config';
import { DatabaseModule, ensureAppLoginRole, runMigrations, runWithTenant } from '@pilotage/database';
import { EventsModule } from '@pilotage/events';
import { MetricImportService } from '@pilotage/ingestion';
import { addDays, localDate } from '@pilotage/kpi';
import { benchApiEnv, startCompiledApi } from './support/compiled-api';
import { benchGraphqlClient, chooseEcommercePlan, newClientWithApprovedPlan, signUpBenchAgency } from './support/ecommerce-plan';
import { seedDailyMetricValues } from './support/metric-values';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
/** A plan of a dozen KPIs: the demo's plans have 11 and 12. */
const PLAN_KPIS = Number(process.env.BENCH_PLAN_KPIS ?? 12);
const DAYS = Number(process.env.BENCH_DAYS ?? 90);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 50);
/** Clients created through the API at once. */
const SEED_CONCURRENCY = 8;
const TIME_ZONE = 'Europe/Paris';

const log = (message: string): void => void process.stderr.write(`[bench:alerts] ${message}\n`);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseName = `pilotage_bench_alerts_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${databaseName}`;
  let stopApi: () => Promise<void> = async () => undefined;
  let context: INestApplicationContext | null = null;
  try {
    await runMigrations(ownerUrl.toString());
    const appUrl = await ensureAppLoginRole(ownerUrl.toString(), { name: 'pilotage_app_bench', password: 'pilotage_app_bench' });
    const apiEnv = benchApiEnv(appUrl, { LOGIN_MAX_ATTEMPTS: '1000', JWT_TTL_SECONDS: '3600' });
    const config = loadAppConfig(apiEnv);
    const api = await startCompiledApi(apiEnv);
    stopApi = () => api.stop();
    const gql = benchGraphqlClient(`${api.url}/graphql`);

    const plan = chooseEcommercePlan(PLAN_KPIS);
    log(`plan: ${plan.kpis.length} KPIs over ${plan.metrics.length} metrics; creating ${CLIENTS} clients through the API ...`);
    const token = await signUpBenchAgency(gql, ownerUrl.toString());
    const clientIds: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: SEED_CONCURRENCY }, async () => {
        for (let index = next++; index < CLIENTS; index = next++) {
          clientIds.push(await newClientWithApprovedPlan(gql, token, `Client ${index}`, plan.kpis));
        }
      }),
    );
    await stopApi();
    stopApi = async () => undefined;

    const owner = new Client({ connectionString: ownerUrl.toString() });
    await owner.connect();
    const [{ id: agencyId }] = (await owner.query<{ id: string }>('SELECT id FROM agencies')).rows;
    await owner.query(`UPDATE clients SET time_zone = $1`, [TIME_ZONE]);
    const today = localDate(new Date(), TIME_ZONE);
    const firstDay = addDays(today, -DAYS);
    const { rows } = await seedDailyMetricValues(owner, { agencyId, metrics: plan.metrics, firstDay, days: DAYS });
    await owner.query('VACUUM ANALYZE');
    await owner.end();
    log(`${rows} daily values from ${firstDay} to yesterday`);

    @Module({})
    class BenchConfigModule {}
    @Module({})
    class BenchAlertsModule {}
    const root: DynamicModule = {
      module: BenchAlertsModule,
      imports: [
        { module: BenchConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        DatabaseModule.forRoot({ url: appUrl, poolSize: 4, applicationName: 'pilotage-bench-alerts' }),
        EventsModule.forRoot(),
        AlertsModule.forApi(),
      ],
      providers: [MetricImportService],
    };
    context = await NestFactory.createApplicationContext(root, { logger: false });
    const evaluator = context.get(AlertEvaluator);
    const imports = context.get(MetricImportService);
    const tenant = { agencyId, userId: null, role: 'OWNER' as const, clientId: null };

    // Warm-up: the first evaluations pay for plans and statements being prepared.
    for (const clientId of clientIds.slice(0, 5)) await evaluator.evaluateClient(agencyId, clientId);

    // After an import: this month's values of a client re-imported 10 % higher, then its evaluation.
    const monthStart = `${today.slice(0, 7)}-01`;
    const monthDays = Array.from({ length: Math.max(1, Number(today.slice(8, 10)) - 1) }, (_, index) => addDays(monthStart, index));
    const durations: number[] = [];
    for (const clientId of clientIds.slice(5, 5 + SAMPLES)) {
      const values = plan.metrics.flatMap((metricKey, m) =>
        monthDays.map((date, d) => ({ metricKey, date, value: String(110 + ((m * 7 + d * 13) % 40)), source: 'bench' })),
      );
      await runWithTenant(tenant, () => imports.record({ clientId, values }));
      const started = performance.now();
      await evaluator.evaluateClient(agencyId, clientId);
      durations.push(performance.now() - started);
    }
    durations.sort((a, b) => a - b);
    const evaluationMsPerClient = percentile(durations, 50);
    log(`evaluation after an import: p50 ${evaluationMsPerClient.toFixed(1)} ms, p95 ${percentile(durations, 95).toFixed(1)} ms (${durations.length} clients)`);

    // The daily evaluation: every client, one after the other, as the daily tick runs them.
    log(`daily evaluation of ${clientIds.length} clients ...`);
    const started = performance.now();
    let opened = 0;
    for (const clientId of clientIds) {
      const result = await evaluator.evaluateClient(agencyId, clientId);
      opened += result.opened;
    }
    const dailySeconds = (performance.now() - started) / 1000;
    log(`daily: ${clientIds.length} clients in ${dailySeconds.toFixed(1)} s`);

    const result = {
      clients: clientIds.length,
      planKpis: plan.kpis.length,
      days: DAYS,
      values: rows,
      samples: durations.length,
      evaluationMsPerClient: Number(evaluationMsPerClient.toFixed(1)),
      evaluationMsP95: Number(percentile(durations, 95).toFixed(1)),
      dailySeconds: Number(dailySeconds.toFixed(1)),
      dailyClientsPerSecond: Number((clientIds.length / dailySeconds).toFixed(1)),
      alertsOpenedByDailyRun: opened,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await context?.close();
    await stopApi();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench:alerts] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
