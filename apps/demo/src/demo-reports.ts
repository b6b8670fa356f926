import type { INestApplicationContext } from '@nestjs/common';
import { In } from 'typeorm';
import type { AppConfig } from '@pilotage/config';
import { ReportEntity, runWithTenant, TenantDatabase, type TenantContext } from '@pilotage/database';
import { followReportProgress, lastCompleteMonth, lastCompleteWeek, ReportJobsService, storedPdfPath } from '@pilotage/report-production';
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

/** The week's note of the manager, shorter: the weekly report is an operational check per channel. */
const DEMO_WEEKLY_NOTE: Readonly<Record<string, string>> = {
  fr: 'Enchères Shopping relevées sur les suspensions, qui convertissent mieux que prévu ; la campagne Instagram reste en test une semaine de plus.',
  en: 'Competitor-alternative bids lowered after a costly week; the LinkedIn trial campaign keeps its budget while its cost per sign-up settles.',
};

export type DemoReportKind = 'MONTHLY' | 'WEEKLY';

export interface DemoReportPdf {
  readonly clientName: string;
  readonly kind: DemoReportKind;
  /** The month's first day, or the week's Monday. */
  readonly periodStart: string;
  /** Absolute path of the PDF, or null when the render failed after its retries. */
  readonly path: string | null;
  readonly error: string | null;
}

const CLIENT = `query DemoReportClient($id: ID!) { client(id: $id) { id name locale timeZone } }`;
const REPORTS = `query DemoReports($clientId: ID!, $kind: ReportKind!) {
  reports(clientId: $clientId, kind: $kind, first: 100) { edges { node { id periodStart status version } } } }`;
const GENERATE_REPORT = `mutation DemoGenerateReport($input: GenerateReportInput!) { generateReport(input: $input) { id } }`;
const UPDATE_COMMENTARY = `mutation DemoUpdateCommentary($input: UpdateReportCommentaryInput!) { updateReportCommentary(input: $input) { id status } }`;

const RENDERED_STATUSES: ReadonlySet<string> = new Set(['READY', 'APPROVED', 'SENT']);

interface DemoReportClient {
  readonly id: string;
  readonly name: string;
  readonly locale: string;
  readonly timeZone: string;
}

/** How the demo prints a report's period: "2026-11" or "week of 2026-11-23". */
export function demoReportPeriodLabel(pdf: Pick<DemoReportPdf, 'kind' | 'periodStart'>): string {
  return pdf.kind === 'MONTHLY' ? pdf.periodStart.slice(0, 7) : `week of ${pdf.periodStart}`;
}

/**
 * Renders each demo client's last complete month and last complete ISO week (the ones before
 * today in the client's own time zone; both demo clients opted in to the weekly report) through
 * the job path an agency uses — the generateReport mutation, then the worker's render job — with
 * a progress bar. A period already rendered by an earlier run is reused, not rendered again.
 * `worker` is the report worker running in the demo's process: it renders the jobs, and it
 * reads what GraphQL does not show (progress with pending retries, the PDF's storage key).
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

  const wanted: Array<{ client: DemoReportClient; kind: DemoReportKind; reportId: string }> = [];
  const generated = new Map<string, { locale: string; kind: DemoReportKind }>();
  for (const client of clients) {
    for (const kind of ['MONTHLY', 'WEEKLY'] as const) {
      const periodStart = kind === 'MONTHLY' ? lastCompleteMonth(now, client.timeZone) : lastCompleteWeek(now, client.timeZone);
      const { reports } = await owner.request<{ reports: { edges: Array<{ node: { id: string; periodStart: string; status: string; version: number } }> } }>(
        REPORTS,
        { clientId: client.id, kind },
      );
      const rendered = reports.edges
        .map((edge) => edge.node)
        .filter((report) => report.periodStart === periodStart && RENDERED_STATUSES.has(report.status))
        .sort((a, b) => b.version - a.version)[0];
      if (rendered !== undefined) {
        wanted.push({ client, kind, reportId: rendered.id });
        continue;
      }
      const { generateReport } = await owner.request<{ generateReport: { id: string } }>(GENERATE_REPORT, {
        input: { clientId: client.id, kind, periodStart },
      });
      wanted.push({ client, kind, reportId: generateReport.id });
      generated.set(generateReport.id, { locale: client.locale, kind });
    }
  }
  const reportIds = wanted.map((entry) => entry.reportId);

  const db = worker.get(TenantDatabase);
  const jobs = worker.get(ReportJobsService);
  // As the demo owner, in the owner's tenant: row-level security applies to these reads too.
  const tenant: TenantContext = { agencyId: demo.agencyId, userId: demo.userId, role: 'OWNER', clientId: null };
  // reportsProgress, unlike the report's status, tells a failure that will be retried from a final one.
  await followReportProgress('Rendering the demo reports', () => runWithTenant(tenant, () => jobs.reportsProgress(reportIds)));
  // Then the manager's part, as in real use: the analysis is written on the READY report,
  // which renders that same version again with it.
  for (const [reportId, { locale, kind }] of generated) {
    const texts = kind === 'MONTHLY' ? DEMO_ANALYSIS : DEMO_WEEKLY_NOTE;
    await owner.request(UPDATE_COMMENTARY, { input: { reportId, commentary: texts[locale] ?? texts.en } });
  }
  const reports = await runWithTenant(tenant, () => db.run((manager) => manager.find(ReportEntity, { where: { agencyId: demo.agencyId, id: In(reportIds) } })));
  return wanted.flatMap(({ client, kind, reportId }) => {
    const report = reports.find((candidate) => candidate.id === reportId);
    if (report === undefined) return [];
    return [
      {
        clientName: client.name,
        kind,
        periodStart: report.periodStart,
        path: report.storageKey === null ? null : storedPdfPath(config.storageDir, report.storageKey),
        error: report.storageKey === null ? (report.error ?? report.status) : null,
      },
    ];
  });
}
