import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { In } from 'typeorm';
import { loadAppConfig } from '@pilotage/config';
import {
  ClientEntity,
  findAgencyIdBySlug,
  prepareDatabase,
  ReportEntity,
  requireQueueUrl,
  runWithTenant,
  systemContext,
  TenantDatabase,
} from '@pilotage/database';
import { followReportProgress, ReportJobsService, storedPdfPath } from '@pilotage/report-production';
import { WorkerModule } from './worker.module';

const USAGE = 'Usage: npm run reports:render -- --agency <agency-slug> --month <YYYY-MM>';

/** Exit codes: 0 every report rendered, 1 some failed after their retries, 2 bad usage or setup. */
class UsageError extends Error {}

function readArguments(argv: readonly string[]): { agency: string; month: string } {
  const { values } = parseArgs({ args: [...argv], options: { agency: { type: 'string' }, month: { type: 'string' } }, strict: true });
  if (values.agency === undefined || values.agency.trim() === '') throw new UsageError(`--agency is required. ${USAGE}`);
  if (values.month === undefined || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) throw new UsageError(`--month must be a month as YYYY-MM. ${USAGE}`);
  return { agency: values.agency.trim(), month: values.month };
}

/**
 * `npm run reports:render -- --agency agence-pilote --month 2026-10`: renders the month's
 * reports of every active client of an agency as one batch, through the job queue, with an
 * in-process worker (other workers running against the same database share the jobs). Prints
 * each PDF's path and a summary.
 */
async function main(): Promise<number> {
  const args = readArguments(process.argv.slice(2));
  const config = loadAppConfig({ LOG_LEVEL: 'warn', ...process.env });
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const database = await prepareDatabase(config, out);
  const worker = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, { databaseUrl: database.url, queueUrl: requireQueueUrl(database), schedule: false, pollingIntervalSeconds: 0.5 }),
    { logger: ['error', 'warn'] },
  );
  try {
    await worker.init();
    const db = worker.get(TenantDatabase);
    const jobs = worker.get(ReportJobsService);
    // The login directory answers (through its lookup functions) before a tenant is known.
    const agencyId = await db.runWithoutTenant((manager) => findAgencyIdBySlug(manager, args.agency));
    if (agencyId === null) throw new UsageError(`No agency with the slug "${args.agency}"`);

    return await runWithTenant(systemContext(agencyId), async () => {
      const batch = await jobs.generateMonthlyReports(args.month);
      out(`Batch ${batch.id}: ${batch.total} monthly report(s) of ${args.month} for "${args.agency}"`);
      const progress = await followReportProgress(`Rendering ${args.month}`, () => jobs.batch(batch.id));
      const rows = await db.run(async (manager) => {
        const reports = await manager.find(ReportEntity, { where: { agencyId, batchId: batch.id } });
        const clients = await manager.find(ClientEntity, { where: { agencyId, id: In(reports.map((report) => report.clientId)) } });
        const names = new Map(clients.map((client) => [client.id, client.name]));
        return reports
          .map((report) => ({ ...report, client: names.get(report.clientId) ?? report.clientId }))
          .sort((left, right) => left.client.localeCompare(right.client));
      });
      out('');
      for (const row of rows) {
        out(
          row.storageKey === null
            ? `  ✗ ${row.client}: ${row.status}${row.error ? ` — ${row.error}` : ''}`
            : `  ✓ ${row.client}: ${storedPdfPath(config.storageDir, row.storageKey)}`,
        );
      }
      out('');
      out(`${progress.done} rendered, ${progress.failed} failed, ${progress.total} in the batch.`);
      return progress.failed > 0 ? 1 : 0;
    });
  } finally {
    await worker.close();
    await database.embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    pino().fatal({ err: error }, error instanceof Error ? error.message : 'reports:render failed');
    process.exit(2);
  },
);
