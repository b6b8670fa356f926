import type { INestApplicationContext } from '@nestjs/common';
import { In } from 'typeorm';
import type { AppConfig } from '@pilotage/config';
import { ReportEntity, runWithTenant, TenantDatabase, type TenantContext } from '@pilotage/database';
import { followReportProgress, lastCompleteMonth, ReportJobsService, storedPdfPath } from '@pilotage/report-production';
import type { DemoAgency } from './demo-seed';
import type { PilotageApiClient } from './pilotage-api.client';

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

const CLIENT = `query DemoReportClient($id: ID!) { client(id: $id) { id name locale timeZone } }`;
const REPORTS = `query DemoReports($clientId: ID!) { reports(clientId: $clientId, kind: MONTHLY, first: 100) { edges { node { id periodStart status version } } } }`;
const GENERATE_REPORT = `mutation DemoGenerateReport($input: GenerateReportInput!) { generateReport(input: $input) { id } }`;
const UPDATE_COMMENTARY = `mutation DemoUpdateCommentary($input: UpdateReportCommentaryInput!) { updateReportCommentary(input: $input) { id status } }`;

const RENDERED_STATUSES: ReadonlySet<string> = new Set(['READY', 'APPROVED', 'SENT']);

interface DemoReportClient {
  readonly id: string;
  readonly name: string;
  readonly locale: string;
  readonly timeZone: string;
}

/**
 * Renders each demo client's last complete month (the month before today in the client's own
 * time zone) through the job path an agency uses — the generateReport mutation, then the
 * worker's render job — with a progress bar. A month already rendered by an earlier run is
 * reused, not rendered again. `worker` is the report worker running in the demo's process:
 * it renders the jobs, and it reads what GraphQL does not show (progress with pending
 * retries, the PDF's storage key).
 */
export async function renderDemoReports(
  worker: INestApplicationContext,
  config: AppConfig,
  api: PilotageApiClient,
  demo: DemoAgency,
  now = new Date(),
): Promise<DemoReportPdf[]> {
  const owner = api.withToken(demo.token);
  const clients: DemoReportClient[] = [];
  for (const clientId of demo.clientIds) clients.push((await owner.request<{ client: DemoReportClient }>(CLIENT, { id: clientId })).client);
  clients.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const reportIds: string[] = [];
  const generated = new Map<string, string>();
  for (const client of clients) {
    const periodStart = lastCompleteMonth(now, client.timeZone);
    const { reports } = await owner.request<{ reports: { edges: Array<{ node: { id: string; periodStart: string; status: string; version: number } }> } }>(
      REPORTS,
      {
        clientId: client.id,
      },
    );
    const rendered = reports.edges
      .map((edge) => edge.node)
      .filter((report) => report.periodStart === periodStart && RENDERED_STATUSES.has(report.status))
      .sort((a, b) => b.version - a.version)[0];
    if (rendered !== undefined) {
      reportIds.push(rendered.id);
      continue;
    }
    const { generateReport } = await owner.request<{ generateReport: { id: string } }>(GENERATE_REPORT, {
      input: { clientId: client.id, kind: 'MONTHLY', periodStart },
    });
    reportIds.push(generateReport.id);
    generated.set(generateReport.id, client.locale);
  }

  const db = worker.get(TenantDatabase);
  const jobs = worker.get(ReportJobsService);
  // As the demo owner, in the owner's tenant: row-level security applies to these reads too.
  const tenant: TenantContext = { agencyId: demo.agencyId, userId: demo.userId, role: 'OWNER', clientId: null };
  // reportsProgress, unlike the report's status, tells a failure that will be retried from a final one.
  await followReportProgress('Rendering the demo reports', () => runWithTenant(tenant, () => jobs.reportsProgress(reportIds)));
  // Then the manager's part, as in real use: the analysis is written on the READY report,
  // which renders that same version again with it.
  for (const [reportId, locale] of generated) {
    await owner.request(UPDATE_COMMENTARY, { input: { reportId, commentary: DEMO_ANALYSIS[locale] ?? DEMO_ANALYSIS.en } });
  }
  const reports = await runWithTenant(tenant, () => db.run((manager) => manager.find(ReportEntity, { where: { agencyId: demo.agencyId, id: In(reportIds) } })));
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
}
