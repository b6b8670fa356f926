/**
 * Abuse benchmark: `npm run bench:abuse`.
 *
 * Fires the hostile queries of issue #11 at the compiled API (`dist/apps/api/src/main.js`, started
 * as a child process on loopback: the npm script runs `npm run build` first) on a fresh database
 * on BENCH_DATABASE_URL's server (default: the local PostgreSQL), and measures whether the API
 * stays responsive:
 *   - BENCH_ATTACKERS self-registered agencies (default 2), each with a client holding three
 *     years of daily figures and an approved 25-KPI plan, run BENCH_ATTACK_CONNECTIONS loops
 *     each (default 6) for BENCH_ABUSE_SECONDS (default 30), rotating through the issue's
 *     queries (40 aliases of a ten-year daily kpiSeries of 50 KPIs, 1,000 aliases of scorecard,
 *     100 aliases of reportPreview, a ten-year daily span, 1,000 repeats of scorecard), operations
 *     just past the limits (a year of days × 25 KPIs, 4 scorecards, 2 previews) and the costliest
 *     operations the limits still let through (a year of days × 13 KPIs, 2 scorecards, 20 one-year
 *     monthly series of 20 KPIs, one preview);
 *   - meanwhile a child process samples `GET /health` every 50 ms (its own event loop, so the
 *     benchmark's parsing does not pollute the figure), another agency asks for its scorecard
 *     in a loop (a victim's latency), and this process reads the API's RSS from /proc every 100 ms.
 * Prints progress on stderr and a final JSON line on stdout with healthP99Ms (goal < 100),
 * peakRssMb, refused (by code), errors5xx (goal 0), and what the API's own event loop went through
 * (a probe preloaded into it: perf_hooks' delay p99 and max, its longest blocking slices), which
 * says more than /health's wall-clock figures when other processes share the cores; the API's CPU
 * seconds and the machine's load average during the attack say how shared they were. Every loop ends at the deadline; the API
 * and the sampler are stopped and the database dropped at the end, whatever happens.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadAppConfig } from '@pilotage/config';
import { ensureAppLoginRole, METRIC_MONTHLY_REBUILD_SQL, runMigrations } from '@pilotage/database';
import { benchApiEnv, startCompiledApi } from './support/compiled-api';
import { eventLoopProbeArgs, readEventLoopDelay } from './support/event-loop-probe';
import { benchGraphqlClient, chooseEcommercePlan, newClientWithApprovedPlan, type BenchGql as Gql } from './support/ecommerce-plan';

const ATTACKERS = Number(process.env.BENCH_ATTACKERS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_ATTACK_CONNECTIONS ?? 6);
const SECONDS = Number(process.env.BENCH_ABUSE_SECONDS ?? 30);
/** More arguments for the API's Node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see what blocks its event loop. */
const API_NODE_ARGS = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
/** Long and unguessable enough for the password policy. */
const BENCH_PASSWORD = 'hostile-load-bench-7Qx!';
const HEALTH_INTERVAL_MS = 50;
const FIRST_DAY = '2023-11-01';
const DAYS = 1096;

const log = (message: string): void => void process.stderr.write(`[bench:abuse] ${message}\n`);

interface Tenant {
  readonly agencyId: string;
  readonly token: string;
  readonly clientId: string;
}

/** One hostile request: the operation and its variables for a tenant. */
interface Attack {
  readonly name: string;
  readonly body: (tenant: Tenant) => string;
}

function aliased(count: number, field: string): string {
  return Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');
}

function attacks(kpiKeys: readonly string[]): Attack[] {
  const fifty = Array.from({ length: 50 }, (_, index) => kpiKeys[index % kpiKeys.length]);
  const series = (grain: string, from: string, to: string): string =>
    `kpiSeries(clientId: $c, kpiKeys: $k, grain: ${grain}, from: "${from}", to: "${to}") { kpiKey points { start value target coverage } }`;
  // Declares only the variables the selection uses: GraphQL refuses an unused one.
  const lists = { k: fifty, k25: fifty.slice(0, 25), k20: fifty.slice(0, 20), k13: fifty.slice(0, 13) };
  const used = (text: string): Array<keyof typeof lists> => (['k25', 'k20', 'k13', 'k'] as const).filter((name) => new RegExp(`\\$${name}\\b`).test(text));
  const operation = (selection: string): string =>
    `query ($c: ID!${used(selection)
      .map((name) => `, $${name}: [String!]!`)
      .join('')}) { ${selection} }`;
  const body = (query: string) => (tenant: Tenant) =>
    JSON.stringify({ query, variables: { c: tenant.clientId, ...Object.fromEntries(used(query).map((name) => [name, lists[name]])) } });
  const scorecard = `scorecard(clientId: $c, month: "2026-10") { rows { kpiKey value target status mom { value } yoy { value } series { start value } } }`;
  const preview = `reportPreview(clientId: $c, month: "2026-10") { html pngBase64 }`;
  return [
    // The issue's queries, as they were sent.
    { name: 'kpiSeries × 40, ten years of days × 50 KPIs', body: body(operation(aliased(40, series('DAY', '2017-01-01', '2027-01-07')))) },
    { name: 'scorecard × 1,000', body: body(operation(aliased(1000, `scorecard(clientId: $c, month: "2026-10") { rows { kpiKey } }`))) },
    { name: 'reportPreview × 100', body: body(operation(aliased(100, preview))) },
    { name: 'kpiSeries, ten years of days', body: body(operation(series('DAY', '2017-01-01', '2027-01-07'))) },
    {
      name: 'scorecard repeated 1,000 times without aliases',
      body: body(operation(Array.from({ length: 1000 }, () => `scorecard(clientId: $c, month: "2026-10") { rows { kpiKey } }`).join(' '))),
    },
    // Past the cost limit or the previews per operation, within every other bound (the costliest
    // operations the limits let through until MAX_OPERATION_COST went from 10,000 to 5,000).
    { name: 'kpiSeries, a year of days × 25 KPIs', body: body(operation(series('DAY', '2025-11-01', '2026-10-31').replace('$k', '$k25'))) },
    { name: 'scorecard × 4', body: body(operation(aliased(4, scorecard))) },
    { name: 'reportPreview × 2', body: body(operation(aliased(2, preview))) },
    // The costliest operations the limits let through (heavy: limited per agency and per process).
    { name: 'kpiSeries, a year of days × 13 KPIs', body: body(operation(series('DAY', '2025-11-01', '2026-10-31').replace('$k', '$k13'))) },
    { name: 'scorecard × 2', body: body(operation(aliased(2, scorecard))) },
    {
      name: 'kpiSeries × 20, a year of months × 20 KPIs',
      body: body(operation(aliased(20, series('MONTH', '2025-11-01', '2026-10-31').replace('$k', '$k20')))),
    },
    { name: 'reportPreview', body: body(operation(preview)) },
  ];
}

/** What the attack loops saw. */
class Tally {
  requests = 0;
  answered = 0;
  errors5xx = 0;
  networkErrors = 0;
  maxResponseBytes = 0;
  readonly refused = new Map<string, number>();
  readonly otherErrors = new Map<string, number>();
  readonly answeredMs: number[] = [];

  record(status: number, text: string, ms: number): void {
    this.requests += 1;
    this.maxResponseBytes = Math.max(this.maxResponseBytes, Buffer.byteLength(text));
    if (status >= 500) {
      this.errors5xx += 1;
      return;
    }
    const body = JSON.parse(text) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    const code = body.errors?.[0]?.extensions?.code;
    if (!code) {
      this.answered += 1;
      this.answeredMs.push(ms);
      return;
    }
    const bucket = REFUSAL_CODES.has(code) ? this.refused : this.otherErrors;
    bucket.set(code, (bucket.get(code) ?? 0) + 1);
  }
}

/** The codes of the bounds: a hostile request refused cleanly, as intended. */
const REFUSAL_CODES = new Set([
  'TOO_MANY_ALIASES',
  'TOO_MANY_TOKENS',
  'TOO_MANY_ROOT_FIELDS',
  'TOO_MANY_FIELDS',
  'TOO_MANY_PREVIEWS',
  'QUERY_TOO_COSTLY',
  'BAD_USER_INPUT',
  'TOO_MANY_REQUESTS',
  'RESPONSE_TOO_LARGE',
]);

async function hostileLoop(url: string, tenant: Tenant, plan: readonly Attack[], offset: number, deadline: number, tally: Tally): Promise<void> {
  for (let index = offset; Date.now() < deadline; index += 1) {
    const attack = plan[index % plan.length];
    const started = performance.now();
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token}` },
        body: attack.body(tenant),
        signal: AbortSignal.timeout(60_000),
      });
      tally.record(response.status, await response.text(), performance.now() - started);
    } catch (error) {
      tally.networkErrors += 1;
      log(`${attack.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** `GET /health` every 50 ms in a child process until the deadline; prints the latencies (ms) as JSON. */
function sampleHealth(url: string, until: number): Promise<number[]> {
  const script = `
    const [url, until, interval] = process.argv.slice(1).map((value, index) => index === 0 ? value : Number(value));
    const samples = [];
    (async () => {
      while (Date.now() < until) {
        const started = performance.now();
        try { const response = await fetch(url, { signal: AbortSignal.timeout(30000) }); await response.text(); if (!response.ok) throw new Error(String(response.status)); }
        catch { samples.push(30000); continue; }
        const ms = performance.now() - started;
        samples.push(ms);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, interval - ms)));
      }
      process.stdout.write(JSON.stringify(samples));
    })();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, `${url}/health`, String(until), String(HEALTH_INTERVAL_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      process.off('exit', killOnExit);
      if (code === 0) resolve(JSON.parse(output) as number[]);
      else reject(new Error(`the health sampler exited with ${code}`));
    });
  });
}

/** CPU seconds (user + system) the process `pid` has used so far. */
function cpuSeconds(pid: number): number {
  // Fields 14 and 15 of /proc/PID/stat, after the command name in parentheses (which may hold spaces).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const round = (value: number): number => Number(value.toFixed(1));

/** A self-registered agency with one client, an approved plan and three years of daily figures. */
async function newTenant(gql: Gql, owner: Client, name: string, plan: { kpis: string[]; metrics: string[] }): Promise<Tenant> {
  const slug = `${name}-${randomUUID().slice(0, 8)}`;
  const email = `${slug}@example.com`;
  await gql(`mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`, {
    input: { agencyName: name, agencySlug: slug, email, password: BENCH_PASSWORD, displayName: name },
  });
  // The bench owns its throwaway database: it confirms its owners' addresses there instead of reading e-mails.
  await owner.query(`UPDATE users SET email_verified_at = now() WHERE email = $1`, [email]);
  const login = await gql<{ login: { token: string } }>(`mutation ($input: LoginInput!) { login(input: $input) { token } }`, {
    input: { email, password: BENCH_PASSWORD },
  });
  const token = login.login.token;
  const me = await gql<{ me: { agency: { id: string } } }>(`{ me { agency { id } } }`, {}, token);
  const clientId = await newClientWithApprovedPlan(gql, token, `${name} client`, plan.kpis);
  const agencyId = me.me.agency.id;
  // The figures in SQL, as the owner: the benchmark measures reading, not loading.
  await owner.query(
    `INSERT INTO metric_imports (agency_id, id, client_id, kind, file_name, status, rows, inserted, updated, unchanged, errors, created_by)
     VALUES ($1, $2, $2, 'API', NULL, 'COMMITTED', 0, 0, 0, 0, '[]'::jsonb, NULL)`,
    [agencyId, clientId],
  );
  await owner.query(
    `INSERT INTO metric_values (agency_id, client_id, metric_key, date, source, granularity, value, import_batch_id, entered_by)
     SELECT $1, $2, m.key, d::date, 'bench', 'DAY', round((100 + 50 * sin(extract(doy FROM d) / 58.0) + (hashtext(m.key) % 40))::numeric, 2), $2, NULL
       FROM unnest($3::text[]) AS m(key)
      CROSS JOIN generate_series($4::date, $4::date + ($5::int - 1), interval '1 day') AS d`,
    [agencyId, clientId, plan.metrics, FIRST_DAY, DAYS],
  );
  return { agencyId, token, clientId };
}

async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseName = `pilotage_bench_abuse_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${databaseName}`;
  let stopApi: () => Promise<void> = async () => undefined;
  try {
    await runMigrations(ownerUrl.toString());
    const appUrl = await ensureAppLoginRole(ownerUrl.toString(), { name: 'pilotage_app_bench', password: 'pilotage_app_bench' });
    const apiEnv = benchApiEnv(appUrl);
    // Fails here, with the variable's name, rather than in the child's log.
    const config = loadAppConfig(apiEnv);
    const probeFile = join(tmpdir(), `${databaseName}-event-loop.json`);
    const api = await startCompiledApi(apiEnv, [...eventLoopProbeArgs(probeFile), ...API_NODE_ARGS]);
    stopApi = () => api.stop();
    const gql: Gql = benchGraphqlClient(`${api.url}/graphql`);

    const plan = chooseEcommercePlan();
    const owner = new Client({ connectionString: ownerUrl.toString() });
    await owner.connect();
    const attackers: Tenant[] = [];
    for (let index = 0; index < ATTACKERS; index += 1) attackers.push(await newTenant(gql, owner, `attacker${index}`, plan));
    const victim = await newTenant(gql, owner, 'victim', plan);
    await owner.query(METRIC_MONTHLY_REBUILD_SQL);
    await owner.query('ANALYZE');
    await owner.end();
    log(`${ATTACKERS} attacking agencies and a victim, each a client with ${plan.kpis.length} KPIs and ${DAYS} days of ${plan.metrics.length} metrics`);

    const plans = attacks(plan.kpis);
    // Warm up: Chromium launches on the first preview, the plans and catalogs get cached.
    const warmUp = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${victim.token}` },
      body: plans[plans.length - 1].body(victim),
    });
    log(`warm-up preview: HTTP ${warmUp.status}, ${(await warmUp.text()).length} characters`);
    // Each hostile request alone, once: what it costs the API when nothing else runs.
    const solo: Record<string, number> = {};
    for (const attack of plans) {
      const started = performance.now();
      const response = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${victim.token}` },
        body: attack.body(victim),
      });
      const text = await response.text();
      solo[attack.name] = round(performance.now() - started);
      log(`alone: ${attack.name}: HTTP ${response.status} ${/"code":"(\w+)"/.exec(text)?.[1] ?? 'answered'} in ${solo[attack.name]} ms`);
    }
    await readEventLoopDelay(api.pid, probeFile);
    const idle = await sampleHealth(api.url, Date.now() + 3_000);
    const idleLoop = await readEventLoopDelay(api.pid, probeFile);
    log(`/health at rest: p50 ${percentile(idle, 50).toFixed(1)} ms, p99 ${percentile(idle, 99).toFixed(1)} ms; API event loop ${JSON.stringify(idleLoop)}`);

    log(`attack: ${ATTACKERS} agencies × ${CONNECTIONS} loops for ${SECONDS} s`);
    const deadline = Date.now() + SECONDS * 1000;
    const cpuBefore = cpuSeconds(api.pid);
    const tally = new Tally();
    const victimTally = new Tally();
    let peakRssMb = rssMb(api.pid);
    const rssTimer = setInterval(() => {
      try {
        peakRssMb = Math.max(peakRssMb, rssMb(api.pid));
      } catch {
        // The process is gone: the loops will say so.
      }
    }, 100);
    const victimScorecard = `query ($c: ID!) { scorecard(clientId: $c, month: "2026-10") { rows { kpiKey value target status series { value } } } }`;
    const [health] = await Promise.all([
      sampleHealth(api.url, deadline),
      ...attackers.flatMap((attacker) => Array.from({ length: CONNECTIONS }, (_, loop) => hostileLoop(api.url, attacker, plans, loop, deadline, tally))),
      hostileLoop(
        api.url,
        victim,
        [{ name: 'victim scorecard', body: (t) => JSON.stringify({ query: victimScorecard, variables: { c: t.clientId } }) }],
        0,
        deadline,
        victimTally,
      ),
    ]);
    clearInterval(rssTimer);
    const attackLoop = await readEventLoopDelay(api.pid, probeFile);
    const apiCpuSeconds = round(cpuSeconds(api.pid) - cpuBefore);
    const loadAverage = round(loadavg()[0]);
    const refused = [...tally.refused.values()].reduce((sum, count) => sum + count, 0);
    log(
      `${tally.requests} hostile requests: ${refused} refused ${JSON.stringify(Object.fromEntries(tally.refused))}, ${tally.answered} answered, ${tally.errors5xx} 5xx`,
    );
    log(
      `victim scorecard: ${victimTally.answered} answered, p50 ${percentile(victimTally.answeredMs, 50).toFixed(1)} ms, p99 ${percentile(victimTally.answeredMs, 99).toFixed(1)} ms`,
    );
    log(`/health under attack: ${health.length} samples, p50 ${percentile(health, 50).toFixed(1)} ms, p99 ${percentile(health, 99).toFixed(1)} ms`);
    log(`API event loop under attack: ${JSON.stringify(attackLoop)}; API CPU ${apiCpuSeconds} s in ${SECONDS} s; machine load average ${loadAverage}`);

    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'abuse',
        durationSeconds: SECONDS,
        attackers: ATTACKERS,
        connectionsPerAttacker: CONNECTIONS,
        requests: tally.requests,
        refused,
        refusedByCode: Object.fromEntries(tally.refused),
        answered: tally.answered,
        answeredP99Ms: round(percentile(tally.answeredMs, 99)),
        errors5xx: tally.errors5xx + victimTally.errors5xx,
        otherErrors: Object.fromEntries([...tally.otherErrors, ...victimTally.otherErrors]),
        networkErrors: tally.networkErrors + victimTally.networkErrors,
        maxResponseBytes: tally.maxResponseBytes,
        healthSamples: health.length,
        healthIdleP99Ms: round(percentile(idle, 99)),
        healthP50Ms: round(percentile(health, 50)),
        healthP99Ms: round(percentile(health, 99)),
        healthMaxMs: round(Math.max(...health)),
        apiEventLoopIdleP99Ms: idleLoop.p99Ms,
        apiEventLoopDelayP99Ms: attackLoop.p99Ms,
        apiEventLoopDelayMaxMs: attackLoop.maxMs,
        apiLongestBlockingSlicesMs: attackLoop.longestSlicesMs,
        apiCpuBetweenTicksP99Ms: attackLoop.cpuBetweenTicks?.p99Ms ?? null,
        apiCpuBetweenTicksMaxMs: attackLoop.cpuBetweenTicks?.maxMs ?? null,
        apiLongestCpuSlicesMs: attackLoop.cpuBetweenTicks?.longestMs ?? null,
        apiCpuSeconds,
        loadAverage1m: loadAverage,
        victimScorecards: victimTally.answered,
        victimScorecardP50Ms: round(percentile(victimTally.answeredMs, 50)),
        victimScorecardP99Ms: round(percentile(victimTally.answeredMs, 99)),
        peakRssMb: round(peakRssMb),
        limits: config.limits,
        aloneMs: solo,
      })}\n`,
    );
  } finally {
    await stopApi();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
