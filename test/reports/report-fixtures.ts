import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runWithTenant, TenantDatabase, type ReportEntity } from '@pilotage/database';
import type { ReportStorage } from '@pilotage/reporting';
import { REPORT_STORAGE, ReportsService } from '@pilotage/report-production';
import { approvePlan, newAgency, newClient, type TestAgency } from '../support/factories';
import type { TestApi } from '../support/test-api';

const run = promisify(execFile);

/** The plan of the seeded shop: two objectives, nine KPIs over the five funnel stages. */
export const SHOP_KPIS = [
  { kpiKey: 'visitors', objectiveKey: 'INCREASE_SALES' },
  { kpiKey: 'sessions', objectiveKey: 'INCREASE_SALES' },
  { kpiKey: 'ecommerce_conversion_rate', objectiveKey: 'INCREASE_SALES' },
  { kpiKey: 'average_order_value', objectiveKey: 'INCREASE_SALES' },
  { kpiKey: 'revenue', objectiveKey: 'INCREASE_SALES' },
  { kpiKey: 'new_customers', objectiveKey: 'IMPROVE_RETENTION' },
  { kpiKey: 'churn_rate', objectiveKey: 'IMPROVE_RETENTION' },
  { kpiKey: 'repeat_purchase_rate', objectiveKey: 'IMPROVE_RETENTION' },
  { kpiKey: 'referral_rate', objectiveKey: 'IMPROVE_RETENTION' },
] as const;

export interface SeededShop {
  readonly agency: TestAgency;
  readonly clientId: string;
  readonly clientName: string;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Daily metrics of an online shop from September 2025 to October 2026 (14 months, so that
 * October 2026 has a full 13-month series and a previous month), deterministic and varied
 * enough that months differ. Integers only, except revenue with cents.
 */
function shopMetricValues(): { metricKey: string; date: string; value: string; granularity: string }[] {
  const values: { metricKey: string; date: string; value: string; granularity: string }[] = [];
  let customersTotal = 4000;
  for (let day = new Date('2025-09-01T00:00:00Z'), i = 0; day <= new Date('2026-10-31T00:00:00Z'); day.setUTCDate(day.getUTCDate() + 1), i++) {
    const date = isoDay(day);
    const season = 1 + 0.25 * Math.sin((2 * Math.PI * i) / 365) + 0.002 * i;
    const visitors = Math.round(900 * season + (i % 7) * 37);
    const sessions = Math.round(visitors * 1.3 + (i % 5) * 11);
    const orders = Math.round(sessions * (0.018 + (i % 11) * 0.0006));
    const revenueCents = orders * (4870 + (i % 13) * 97);
    const newCustomers = Math.round(orders * 0.6);
    const lost = i % 3 === 0 ? 2 : 1;
    customersTotal += newCustomers - lost;
    const day_ = (metricKey: string, value: string) => values.push({ metricKey, date, value, granularity: 'DAY' });
    day_('visitors', String(visitors));
    day_('sessions', String(sessions));
    day_('orders', String(orders));
    day_('revenue', (revenueCents / 100).toFixed(2));
    day_('new_customers', String(newCustomers));
    day_('customers_lost', String(lost));
    day_('customers_total', String(customersTotal));
    day_('returning_customer_orders', String(orders - newCustomers));
    day_('referral_customers', String(Math.round(newCustomers * 0.08)));
  }
  return values;
}

/** An agency (French) with a French e-commerce client, its active 2026 plan and 14 months of data. */
export async function seedFrenchShop(api: TestApi, options: { agency?: TestAgency; clientName?: string; recipients?: string[] } = {}): Promise<SeededShop> {
  const agency = options.agency ?? (await newAgency(api, { name: 'Agence Horizon', locale: 'fr' }));
  const clientName = options.clientName ?? 'Maison Lumière';
  const client = await newClient(api, agency, {
    name: clientName,
    businessModel: 'ECOMMERCE',
    locale: 'fr',
    currency: 'EUR',
    timeZone: 'Europe/Paris',
    reportRecipients: options.recipients ?? ['direction@maison-lumiere.example', 'marketing@maison-lumiere.example'],
  });
  const values = shopMetricValues();
  for (let offset = 0; offset < values.length; offset += 1000) {
    await api.gqlOk(
      `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { inserted } }`,
      {
        input: { clientId: client.id, values: values.slice(offset, offset + 1000) },
      },
      agency.token,
    );
  }
  await approvePlan(api, agency, {
    clientId: client.id,
    businessModel: 'ECOMMERCE',
    channels: ['SEO', 'EMAIL'],
    coreTarget: 'Amateurs de luminaires design',
    objectiveKeys: ['INCREASE_SALES', 'IMPROVE_RETENTION'],
    selections: SHOP_KPIS,
    targets: {
      year: 2026,
      values: Array.from({ length: 12 }, (_, index) => [
        { kpiKey: 'ecommerce_conversion_rate', month: index + 1, value: 0.021 },
        { kpiKey: 'churn_rate', month: index + 1, value: 0.009 },
        { kpiKey: 'sessions', month: index + 1, value: 40_000 },
      ]).flat(),
    },
    beforeApproval: async (kickoffId) => {
      await api.gqlOk(
        `mutation ($input: SplitKickoffAnnualTargetInput!) { splitKickoffAnnualTarget(input: $input) { mode } }`,
        { input: { kickoffId, kpiKey: 'revenue', year: 2026, annual: 800_000, mode: 'EVEN' } },
        agency.token,
      );
    },
  });
  return { agency, clientId: client.id, clientName };
}

/**
 * Requests a report as the agency's owner and renders it, through the service the job handler
 * calls (`ReportsService.requestReport` then `renderReport`).
 */
export async function requestAndRender(api: TestApi, agency: TestAgency, clientId: string, periodStart = '2026-10-01'): Promise<ReportEntity> {
  const reports = api.app.get(ReportsService);
  const db = api.app.get(TenantDatabase);
  const requested = await runWithTenant({ agencyId: agency.agencyId, userId: agency.userId, role: 'OWNER', clientId: null }, () =>
    db.run((manager) => reports.requestReport(manager, { clientId, kind: 'MONTHLY', periodStart })),
  );
  return reports.renderReport(agency.agencyId, requested.id);
}

export function storedPdf(api: TestApi, report: Pick<ReportEntity, 'storageKey'>): Promise<Buffer> {
  if (report.storageKey === null) throw new Error('The report has no stored PDF');
  return api.app.get<ReportStorage>(REPORT_STORAGE).get(report.storageKey);
}

export interface PdfReading {
  /** `pdfinfo` fields by name. */
  readonly info: Record<string, string>;
  /** `pdffonts` rows: name, type, embedded. */
  readonly fonts: { name: string; embedded: boolean }[];
  /** `pdftotext -layout` output with every kind of space folded into a plain one. */
  readonly text: string;
}

/** Reads a PDF with poppler's tools, as someone checking the file by hand would. */
export async function readPdf(pdf: Buffer): Promise<PdfReading> {
  const directory = await mkdtemp(join(tmpdir(), 'pilotage-report-'));
  const file = join(directory, 'report.pdf');
  try {
    await writeFile(file, pdf);
    const info = Object.fromEntries(
      (await run('pdfinfo', [file])).stdout
        .split('\n')
        .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => [match[1] ?? '', match[2] ?? '']),
    );
    // pdffonts: two header lines, then `name type encoding emb sub uni object ID`.
    const fonts = (await run('pdffonts', [file])).stdout
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const columns = line.trim().split(/\s+/);
        return { name: columns[0] ?? '', embedded: columns[columns.length - 5] === 'yes' };
      });
    const text = normalizeSpaces((await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'])).stdout);
    return { info, fonts, text };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Folds U+00A0, U+202F and runs of spaces into one space, so assertions read naturally. */
export function normalizeSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f\u2009 ]+/g, ' ');
}
