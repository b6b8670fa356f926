import type { INestApplicationContext } from '@nestjs/common';
import { In } from 'typeorm';
import type { AppConfig } from '@pilotage/config';
import { ClientEntity, ReportEntity, runWithTenant, TenantDatabase, type TenantContext } from '@pilotage/database';
import { followReportProgress, storedPdfPath } from '../../../worker/src/report-progress';
import { lastCompleteMonth } from '../report-jobs/monthly-report-schedule';
import { ReportJobsService } from '../report-jobs/report-jobs.service';
import { ReportsService } from '../reports/reports.service';
import type { DemoAgency } from './demo-seed';

/** What a project manager writes into the report after reading the figures, in the client's language. */
const DEMO_ANALYSIS: Readonly<Record<string, string>> = {
  fr:
    'Le budget a été recentré sur les campagnes Shopping et sur la newsletter de fin de saison, qui portent ' +
    'l’essentiel de la croissance du chiffre d’affaires.\n\n**Prochaines étapes** : refonte de la page panier ' +
    'pour réduire les abandons, et test de la livraison offerte dès 60 € sur deux semaines.',
  en:
    'Budget moved from display to paid search, and the new onboarding e-mail sequence went live for every ' +
    'trial sign-up.\n\n**Next steps**: a pricing-page test, and a webinar for trial users in their second week.',
};

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
  const reportsService = worker.get(ReportsService);
  // As the demo owner: the PDFs' author is the demo project manager.
  const owner: TenantContext = { agencyId: demo.agencyId, userId: demo.userId, role: 'OWNER', clientId: null };
  return runWithTenant(owner, async () => {
    const clients = await db.run((manager) => manager.find(ClientEntity, { where: { agencyId: demo.agencyId, id: In([...demo.clientIds]) }, order: { name: 'ASC' } }));
    const reportIds: string[] = [];
    const generated = new Map<string, string>();
    for (const client of clients) {
      const periodStart = lastCompleteMonth(now, client.timeZone);
      const rendered = await db.run((manager) =>
        manager.findOne(ReportEntity, {
          where: { agencyId: demo.agencyId, clientId: client.id, kind: 'MONTHLY', periodStart, status: In(['READY', 'APPROVED', 'SENT']) },
          order: { version: 'DESC' },
        }),
      );
      if (rendered !== null) {
        reportIds.push(rendered.id);
        continue;
      }
      const report = await jobs.generateReport({ clientId: client.id, kind: 'MONTHLY', periodStart });
      reportIds.push(report.id);
      generated.set(report.id, client.locale);
    }
    await followReportProgress('Rendering the demo reports', () => jobs.reportsProgress(reportIds));
    // Then the manager's part, as in real use: the analysis is written on the READY report,
    // which renders that same version again with it.
    for (const [reportId, locale] of generated) {
      await reportsService.updateCommentary({ reportId, commentary: DEMO_ANALYSIS[locale] ?? DEMO_ANALYSIS.en });
    }
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
