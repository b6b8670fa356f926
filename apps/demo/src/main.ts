import 'reflect-metadata';
import pino from 'pino';
import { loadAppConfig } from '@pilotage/config';
import { prepareDatabase } from '@pilotage/database';
import { NestFactory } from '@nestjs/core';
import { createApiApp } from '../bootstrap';
import { WorkerModule } from '../../../worker/src/worker.module';
import { seedDemoData } from './demo-data';
import { renderDemoReports } from './demo-reports';
import { DEMO_LOGIN, seedDemoAgency } from './demo-seed';

/**
 * The main job for a newcomer (`npm run demo`): embedded PostgreSQL unless DATABASE_URL is
 * set, migrations, a seeded demo agency, then the API. Prints where to go and how to log in.
 */
async function main(): Promise<void> {
  const config = loadAppConfig({ LOG_LEVEL: 'warn', ...process.env });
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const log = pino({ level: config.logLevel });
  out('Pilotage demo — preparing the database…');
  const database = await prepareDatabase(config, out);
  const app = await createApiApp(config, database.url);
  await app.init();
  const demo = await seedDemoAgency(app);
  out(demo.created ? 'Seeded the demo agency “Agence Pilote” with two clients.' : 'Demo agency already seeded.');
  for (const client of await seedDemoData(app, demo)) {
    out(client.seeded ? `Seeded ${client.name}: a ${client.planYear} KPI plan and ${client.values} daily metric values.` : `${client.name} already has a KPI plan.`);
  }
  // The demo runs the worker in the same process (production runs it as its own process):
  // it renders the reports below, and whatever the API queues while the demo is up.
  const worker = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, { databaseUrl: database.url, ownerUrl: database.ownerUrl, pollingIntervalSeconds: 0.5 }),
    { logger: ['error', 'warn'] },
  );
  await worker.init();
  const pdfs = await renderDemoReports(worker, config, demo);
  out('');
  for (const pdf of pdfs) {
    out(pdf.path === null ? `  ✗ ${pdf.clientName} (${pdf.periodStart.slice(0, 7)}): ${pdf.error ?? 'not rendered'}` : `  ${pdf.clientName} (${pdf.periodStart.slice(0, 7)})  ${pdf.path}`);
  }
  await app.listen(config.port);
  out('');
  out(`  GraphQL API   ${config.publicUrl}/graphql`);
  out(`  Health        ${config.publicUrl}/health`);
  out(`  Demo login    ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
  out('');
  out('  Try:  curl -s localhost:' + config.port + `/graphql -H 'content-type: application/json' \\`);
  out(`          -d '{"query":"mutation { login(input: {email: \\"${DEMO_LOGIN.email}\\", password: \\"${DEMO_LOGIN.password}\\"}) { token } }"}'`);
  out('');
  out('Press Ctrl+C to stop.');
  const stop = async (): Promise<void> => {
    await worker.close();
    await app.close();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  log.debug('demo running');
}

main().catch((error: unknown) => {
  pino().fatal({ err: error }, error instanceof Error ? error.message : 'demo failed');
  process.exit(1);
});
