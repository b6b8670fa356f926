/**
 * Analytics benchmark: `npm run bench:analytics`.
 *
 * Builds a database of >= 5 million metric values (BENCH_CLIENTS clients × 25 metrics × 3
 * years of days, the 14 metrics platforms report per channel split over 5 channels, sources
 * and campaigns (see CHANNEL_MIX): 81 values a day per client, default 60 clients = 5.33 M
 * rows) on BENCH_DATABASE_URL's server (default:
 * the local PostgreSQL), gives every client an active 25-KPI plan through the real GraphQL
 * API (the compiled one, `dist/apps/api/src/main.js`, started as a child process: run
 * `npm run build` first, which the npm script does), then measures:
 *   1. the scorecard (25 KPIs × 24 months of aggregates, 13-month series, MoM, YoY, YTD) for
 *      random clients and months, server-side, through AnalyticsService in this process: p50 / p95;
 *      then the same scorecard broken down by CHANNEL (the 14 KPIs that break down, per channel,
 *      over the month and the one before): p50 / p95 with the same goal;
 *   2. a GraphQL load of 50 concurrent connections for 30 s against the compiled API (autocannon,
 *      in another child process so it does not share an event loop): requests/s and errors.
 * Prints progress on stderr and a final JSON line on stdout. The database is dropped at the end.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { loadAppConfig } from '@pilotage/config';
import { DatabaseModule, ensureAppLoginRole, runMigrations, runWithTenant } from '@pilotage/database';
import { AnalyticsModule, AnalyticsService } from '@pilotage/analytics';
import { CHANNEL_ATTRIBUTABLE_METRICS } from '@pilotage/kpi';
import { benchApiEnv, startCompiledApi } from './support/compiled-api';
import { seedDailyMetricValues } from './support/metric-values';
import {
  BENCH_OWNER,
  benchGraphqlClient,
  chooseEcommercePlan,
  newClientWithApprovedPlan,
  signUpBenchAgency,
  type BenchGql as Gql,
} from './support/ecommerce-plan';

// 60 clients × 81 values a day × 3 years: 5.33 M values (200 clients of 25 values a day before the channel dimension).
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 60);
/** BENCH_CHANNELS=0 loads every value on one source and channel, as before the channel dimension (to compare the two shapes). */
const CHANNELS = process.env.BENCH_CHANNELS !== '0';
const DAYS = Number(process.env.BENCH_DAYS ?? 1096);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const FIRST_DAY = '2023-11-01';

const log = (message: string): void => void process.stderr.write(`[bench:analytics] ${message}\n`);

/** What autocannon measured, as its child process prints it. */
interface LoadResult {
  readonly requestsPerSecond: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly latencyP50: number;
  readonly latencyP975: number;
}

@Module({})
class BenchAnalyticsModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: BenchAnalyticsModule,
      imports: [DatabaseModule.forRoot({ url: databaseUrl, poolSize: 10, applicationName: 'pilotage-bench' }), AnalyticsModule],
    };
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface BenchData {
  readonly token: string;
  readonly clientIds: string[];
  readonly agencyId: string;
  readonly rows: number;
}

/** A fresh agency, CLIENTS clients with an approved 25-KPI plan each, and their metric values. */
async function buildData(gql: Gql, ownerUrl: string): Promise<BenchData> {
  const plan = chooseEcommercePlan();
  log(`plan: ${plan.kpis.length} KPIs over ${plan.metrics.length} metrics`);
  const token = await signUpBenchAgency(gql, ownerUrl);
  const clientIds: string[] = [];
  for (let index = 0; index < CLIENTS; index += 1) {
    clientIds.push(await newClientWithApprovedPlan(gql, token, `Client ${index}`, plan.kpis));
  }
  log(`${CLIENTS} clients with an approved plan`);

  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  const [{ id: agencyId }] = (await owner.query<{ id: string }>('SELECT id FROM agencies')).rows;
  const started = Date.now();
  const { rows, rollupSeconds } = await seedDailyMetricValues(owner, {
    agencyId,
    metrics: plan.metrics,
    firstDay: FIRST_DAY,
    days: DAYS,
    channels: CHANNELS ? { attributableMetrics: plan.metrics.filter((key) => CHANNEL_ATTRIBUTABLE_METRICS.has(key)) } : undefined,
  });
  log(`monthly roll-up rebuilt in ${rollupSeconds.toFixed(1)} s`);
  log(`${rows} metric values generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await owner.end();
  return { token, clientIds, agencyId, rows };
}

/** The data of a kept database: the same agency, logged in again. */
async function existingData(gql: Gql, ownerUrl: string): Promise<BenchData> {
  const login = await gql<{ login: { token: string } }>(`mutation ($input: LoginInput!) { login(input: $input) { token } }`, {
    input: { ...BENCH_OWNER },
  });
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const [{ id: agencyId }] = (await owner.query<{ id: string }>('SELECT id FROM agencies')).rows;
    const clientIds = (await owner.query<{ id: string }>('SELECT id FROM clients ORDER BY created_at, id')).rows.map((row) => row.id);
    const [{ n: rows }] = (await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM metric_values')).rows;
    log(`reusing ${databaseLabel(ownerUrl)}: ${clientIds.length} clients, ${rows} metric values`);
    return { token: login.login.token, clientIds, agencyId, rows };
  } finally {
    await owner.end();
  }
}

function databaseLabel(url: string): string {
  return new URL(url).pathname.slice(1);
}

async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  // BENCH_REUSE_DATABASE=<name> measures a database an earlier run kept (BENCH_KEEP_DATABASE=1)
  // instead of building one, to iterate on the read path in seconds instead of minutes.
  const reused = process.env.BENCH_REUSE_DATABASE;
  const databaseName = reused ?? `pilotage_bench_analytics_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  if (!reused) await admin.query(`CREATE DATABASE ${databaseName}`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${databaseName}`;
  let stopApi: () => Promise<void> = async () => undefined;
  let analyticsContext: INestApplicationContext | null = null;
  try {
    if (!reused) await runMigrations(ownerUrl.toString());
    const appUrl = await ensureAppLoginRole(ownerUrl.toString(), { name: 'pilotage_app_bench', password: 'pilotage_app_bench' });
    // One token for the whole run (no refresh in the bench).
    const apiEnv = benchApiEnv(appUrl, { LOGIN_MAX_ATTEMPTS: '1000', JWT_TTL_SECONDS: '3600' });
    // Fails here, with the variable's name, rather than in the child's log.
    loadAppConfig(apiEnv);
    const api = await startCompiledApi(apiEnv);
    stopApi = () => api.stop();
    const url = `${api.url}/graphql`;
    const gql = benchGraphqlClient(url);

    const { token, clientIds, agencyId, rows } = reused ? await existingData(gql, ownerUrl.toString()) : await buildData(gql, ownerUrl.toString());

    analyticsContext = await NestFactory.createApplicationContext(BenchAnalyticsModule.forRoot(appUrl), { logger: false });
    const analytics = analyticsContext.get(AnalyticsService);
    const months = Array.from({ length: 12 }, (_, m) => `2026-${String(m + 1).padStart(2, '0')}`);
    const pick = <T>(values: T[]): T => values[Math.floor(Math.random() * values.length)];
    const context = { agencyId, userId: null, role: 'OWNER' as const, clientId: null };
    let checkRows = 0;
    for (let index = 0; index < 20; index += 1) {
      const card = await runWithTenant(context, () => analytics.scorecard({ clientId: pick(clientIds), month: pick(months) }));
      checkRows = card.rows.length;
    }
    const durations: number[] = [];
    for (let index = 0; index < SAMPLES; index += 1) {
      const t0 = process.hrtime.bigint();
      await runWithTenant(context, () => analytics.scorecard({ clientId: pick(clientIds), month: pick(months) }));
      durations.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    durations.sort((a, b) => a - b);
    const p50Ms = percentile(durations, 50);
    const p95Ms = percentile(durations, 95);
    log(`scorecard (${checkRows} KPIs): p50 ${p50Ms.toFixed(1)} ms, p95 ${p95Ms.toFixed(1)} ms over ${SAMPLES} samples`);

    let breakdownGroups = 0;
    let brokenDown = 0;
    for (let index = 0; index < 20; index += 1) {
      const card = await runWithTenant(context, () => analytics.scorecard({ clientId: pick(clientIds), month: pick(months), breakdown: 'CHANNEL' }));
      breakdownGroups = Math.max(breakdownGroups, card.breakdown?.groupCount ?? 0);
      brokenDown = card.rows.filter((row) => row.breakdown?.totalOnly === false).length;
    }
    const breakdownDurations: number[] = [];
    for (let index = 0; index < SAMPLES; index += 1) {
      const t0 = process.hrtime.bigint();
      await runWithTenant(context, () => analytics.scorecard({ clientId: pick(clientIds), month: pick(months), breakdown: 'CHANNEL' }));
      breakdownDurations.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    breakdownDurations.sort((a, b) => a - b);
    const breakdownP50Ms = percentile(breakdownDurations, 50);
    const breakdownP95Ms = percentile(breakdownDurations, 95);
    log(
      `scorecard by CHANNEL (${brokenDown} KPIs × ${breakdownGroups} channels): p50 ${breakdownP50Ms.toFixed(1)} ms, p95 ${breakdownP95Ms.toFixed(1)} ms over ${SAMPLES} samples`,
    );

    const query = `query ($clientId: ID!, $month: String!) { scorecard(clientId: $clientId, month: $month) { rows { kpiKey value target status mom { value } yoy { value } ytd { value } series { value target } } } }`;
    const requests = Array.from({ length: 100 }, () => ({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { clientId: pick(clientIds), month: pick(months) } }),
    }));
    const requestsFile = join(tmpdir(), `bench-analytics-requests-${process.pid}.json`);
    writeFileSync(requestsFile, JSON.stringify(requests));
    const load = await runAutocannon(url, requestsFile);
    log(
      `GraphQL load: ${load.requestsPerSecond.toFixed(0)} req/s, ${load.errors} errors, ${load.non2xx} non-2xx, latency p50 ${load.latencyP50} ms p97.5 ${load.latencyP975} ms`,
    );

    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'analytics',
        metricValues: rows,
        clients: CLIENTS,
        kpis: checkRows,
        months: 25,
        samples: SAMPLES,
        p50Ms: Number(p50Ms.toFixed(2)),
        p95Ms: Number(p95Ms.toFixed(2)),
        breakdown: 'CHANNEL',
        breakdownKpis: brokenDown,
        breakdownGroups,
        breakdownP50Ms: Number(breakdownP50Ms.toFixed(2)),
        breakdownP95Ms: Number(breakdownP95Ms.toFixed(2)),
        connections: CONNECTIONS,
        durationSeconds: LOAD_SECONDS,
        requestsPerSecond: Number(load.requestsPerSecond.toFixed(1)),
        errors: load.errors + load.non2xx,
        latencyP50Ms: load.latencyP50,
        latencyP975Ms: load.latencyP975,
      })}\n`,
    );
  } finally {
    await analyticsContext?.close();
    await stopApi();
    if (process.env.BENCH_KEEP_DATABASE === '1' || reused) log(`kept database ${databaseName}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/** autocannon in a child process; the request bodies rotate through `requestsFile`. */
function runAutocannon(url: string, requestsFile: string): Promise<LoadResult> {
  const script = `
    const autocannon = require('autocannon');
    const requests = require(${JSON.stringify(requestsFile)});
    autocannon({ url: ${JSON.stringify(url)}, connections: ${CONNECTIONS}, duration: ${LOAD_SECONDS}, requests }, (error, result) => {
      if (error) { console.error(error); process.exit(1); }
      process.stdout.write(JSON.stringify({ requestsPerSecond: result.requests.average, errors: result.errors + result.timeouts,
        non2xx: result.non2xx, latencyP50: result.latency.p50, latencyP975: result.latency.p97_5 }));
    });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as LoadResult) : reject(new Error(`autocannon exited with ${code}`))));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
