import type { INestApplicationContext } from '@nestjs/common';
import { In } from 'typeorm';
import type { AppConfig } from '@pilotage/config';
import { ClientEntity, ReportEntity, runWithTenant, TenantDatabase, type TenantContext } from '@pilotage/database';
import { followReportProgress, storedPdfPath } from '../../../worker/src/report-progress';
import { lastCompleteMonth } from '../report-jobs/monthly-report-schedule';
import { ReportJobsService } from '../report-jobs/report-jobs.service';
import type { DemoAgency } from './demo-seed';

export interface DemoReportPdf {
  readonly clientName: string;
  readonly periodStart: string;
  /** Absolute path of the PDF, or null when the render failed after its retries. */
  readonly path: string | null;
  readonly error: string | null;
}

/**
 * Renders each demo client's last complete month (the month before today in the client's own
 * time zone) through the job path the API uses — generateReport, then the worker's render job —
 * with a progress bar. A month already rendered by an earlier run is reused, not rendered again.
 */
export async function renderDemoReports(worker: INestApplicationContext, config: AppConfig, demo: DemoAgency, now = new Date()): Promise<DemoReportPdf[]> {
  const db = worker.get(TenantDatabase);
  const jobs = worker.get(ReportJobsService);
  // As the demo owner: the PDFs' author is the demo project manager.
  const owner: TenantContext = { agencyId: demo.agencyId, userId: demo.userId, role: 'OWNER', clientId: null };
  return runWithTenant(owner, async () => {
    const clients = await db.run((manager) => manager.find(ClientEntity, { where: { agencyId: demo.agencyId, id: In([...demo.clientIds]) }, order: { name: 'ASC' } }));
    const reportIds: string[] = [];
    for (const client of clients) {
      const periodStart = lastCompleteMonth(now, client.timeZone);
      const rendered = await db.run((manager) =>
        manager.findOne(ReportEntity, {
          where: { agencyId: demo.agencyId, clientId: client.id, kind: 'MONTHLY', periodStart, status: In(['READY', 'APPROVED', 'SENT']) },
          order: { version: 'DESC' },
        }),
      );
      reportIds.push(rendered?.id ?? (await jobs.generateReport({ clientId: client.id, kind: 'MONTHLY', periodStart })).id);
    }
    await followReportProgress('Rendering the demo reports', () => jobs.reportsProgress(reportIds));
    const reports = await db.run((manager) => manager.find(ReportEntity, { where: { agencyId: demo.agencyId, id: In(reportIds) } }));
    return clients.flatMap((client) => {
      const report = reports.find((candidate) => candidate.clientId === client.id);
      if (report === undefined) return [];
      return [
        {
          clientName: client.name,
          periodStart: report.periodStart,
          path: report.storageKey === null ? null : storedPdfPath(config.storageDir, report.storageKey),
          error: report.storageKey === null ? (report.error ?? report.status) : null,
        },
      ];
    });
  });
}
