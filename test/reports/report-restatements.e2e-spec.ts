import { writeFile } from 'node:fs/promises';
import type { Pool } from 'pg';
import { RestatementDetector } from '@pilotage/report-production';
import { newAgency, newClientViewer } from '../support/factories';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { normalizeSpaces, readPdf, requestAndRender, seedFrenchShop, storedPdf, type SeededShop } from './report-fixtures';
import { RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const APPROVE = `mutation ($id: ID!) { approveReport(id: $id) { id status } }`;
const SEND = `mutation ($id: ID!) { sendReport(id: $id) { id status } }`;
const CORRECT = `mutation ($id: ID!) { createCorrectedReportVersion(reportId: $id) { id version status } }`;
const RESTATEMENTS = `query ($id: ID!) { report(id: $id) { id restatements { kpiKey kpiName oldValue newValue oldStatus newStatus importId detectedAt } } }`;
const UPDATE_CLIENT = `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id locale } }`;
const RECORD = `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { importId inserted updated unchanged } }`;

interface RestatementRow {
  kpi_key: string;
  old_value: string | null;
  new_value: string | null;
  old_status: string | null;
  new_status: string | null;
  import_id: string | null;
}

describe('restatements of a sent report', () => {
  let smtp: SmtpSink;
  let api: TestApi;
  let owner: Pool;
  let shop: SeededShop;
  let reportId: string;
  let octoberSessions: { date: string; value: number }[];

  const record = async (values: { metricKey: string; date: string; value: string }[]) =>
    (
      await api.gqlOk<{ recordMetricValues: { importId: string; updated: number; unchanged: number } }>(
        RECORD,
        { input: { clientId: shop.clientId, values: values.map((value) => ({ ...value, granularity: 'DAY' })) } },
        shop.agency.token,
      )
    ).recordMetricValues;
  const restatements = async (): Promise<RestatementRow[]> =>
    (
      await owner.query<RestatementRow>(
        `SELECT kpi_key, old_value::text, new_value::text, old_status, new_status, import_id FROM report_restatements WHERE report_id = $1 ORDER BY detected_at, kpi_key`,
        [reportId],
      )
    ).rows;

  const pdfOf = async (id: string): Promise<Buffer> =>
    storedPdf(
      api,
      (await owner.query<{ storageKey: string | null }>(`SELECT storage_key AS "storageKey" FROM reports WHERE id = $1`, [id])).rows[0] ?? { storageKey: null },
    );

  beforeAll(async () => {
    smtp = await startSmtpSink();
    api = await startTestApi(
      { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', SMTP_FROM: 'Pilotage <rapports@agence.example>' },
      { smtp },
    );
    owner = ownerPool();
    shop = await seedFrenchShop(api);
    const report = await requestAndRender(api, shop.agency, shop.clientId, '2026-10-01');
    reportId = report.id;
    await api.gqlOk(APPROVE, { id: reportId }, shop.agency.token);
    expect((await api.gqlOk<{ sendReport: { status: string } }>(SEND, { id: reportId }, shop.agency.token)).sendReport.status).toBe('SENT');
    const sessions = await owner.query<{ date: string; value: string }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, value::text FROM metric_values
        WHERE client_id = $1 AND metric_key = 'sessions' AND date BETWEEN '2026-10-01' AND '2026-10-31' ORDER BY date`,
      [shop.clientId],
    );
    octoberSessions = sessions.rows.map((row) => ({ date: row.date, value: Number(row.value) }));
    expect(octoberSessions).toHaveLength(31);
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await owner.end();
    await api.close();
    await smtp.close();
  }, TEARDOWN_TIMEOUT_MS);

  it(
    'records nothing for a change below the threshold, one row per restated KPI with its import for a larger one, nothing twice',
    async () => {
      const detector = api.app.get(RestatementDetector);

      // +5 sessions on one day of ~40,000 in the month: 0.01 %, far below 2 %.
      const first = octoberSessions[0];
      if (first === undefined) throw new Error('no October sessions');
      await record([{ metricKey: 'sessions', date: first.date, value: String(first.value + 5) }]);
      expect(await detector.checkClient(shop.agency.agencyId, shop.clientId)).toEqual([]);
      expect(await restatements()).toEqual([]);

      // Every October day's sessions +10 %: the sessions KPI moves by ~10 %.
      const restating = await record(octoberSessions.map((day) => ({ metricKey: 'sessions', date: day.date, value: String(Math.round(day.value * 1.1)) })));
      const found = await detector.checkClient(shop.agency.agencyId, shop.clientId);
      const rows = await restatements();
      expect(rows.length).toBe(found.length);
      const sessions = rows.find((row) => row.kpi_key === 'sessions');
      expect(sessions).toBeDefined();
      expect(Number(sessions?.new_value) / Number(sessions?.old_value)).toBeCloseTo(1.1, 2);
      expect(sessions?.import_id).toBe(restating.importId);
      // Every KPI restated here reads sessions: the same import restated it.
      expect(new Set(rows.map((row) => row.import_id))).toEqual(new Set([restating.importId]));
      // The old value is the one the sent report printed.
      const frozen = await owner.query<{ value: number }>(
        `SELECT (k->>'value')::float8 AS value FROM reports r, jsonb_array_elements(r.snapshot->'kpis') k WHERE r.id = $1 AND k->>'key' = 'sessions'`,
        [reportId],
      );
      expect(Number(sessions?.old_value)).toBe(frozen.rows[0]?.value);

      // The same values again: nothing written, nothing recorded; a second check of the same state neither.
      const identical = await record(octoberSessions.map((day) => ({ metricKey: 'sessions', date: day.date, value: String(Math.round(day.value * 1.1)) })));
      expect(identical.updated).toBe(0);
      expect(await detector.checkClient(shop.agency.agencyId, shop.clientId)).toEqual([]);
      expect(await detector.checkClient(shop.agency.agencyId, shop.clientId)).toEqual([]);
      expect(await restatements()).toEqual(rows);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'offers a corrected version whose PDF lists the corrections, in French and in English; GraphQL shows the restatements',
    async () => {
      const listed = await api.gqlOk<{ report: { restatements: { kpiKey: string; kpiName: string; oldValue: number; newValue: number; importId: string }[] } }>(
        RESTATEMENTS,
        { id: reportId },
        shop.agency.token,
      );
      const sessions = listed.report.restatements.find((row) => row.kpiKey === 'sessions');
      expect(sessions).toMatchObject({ kpiName: 'Sessions' });
      expect(sessions?.importId).toEqual(expect.any(String));

      const v2 = (
        await api.gqlOk<{ createCorrectedReportVersion: { id: string; version: number; status: string } }>(CORRECT, { id: reportId }, shop.agency.token)
      ).createCorrectedReportVersion;
      expect(v2).toMatchObject({ version: 2, status: 'READY' });
      const frenchPdf = await pdfOf(v2.id);
      if (process.env.KEEP_PDF !== undefined) await writeFile(`${process.env.KEEP_PDF}/corrections-fr.pdf`, frenchPdf);
      const french = (await readPdf(frenchPdf)).text;
      expect(french).toContain('Corrections depuis la version 1');
      const fr = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
      expect(french).toMatch(
        new RegExp(`Sessions\\s+${normalizeSpaces(fr.format(sessions?.oldValue ?? 0))}\\s+${normalizeSpaces(fr.format(sessions?.newValue ?? 0))}`),
      );

      // Version 2 is restated in turn (sessions +20 % more), and the client now reads English.
      await record(octoberSessions.map((day) => ({ metricKey: 'sessions', date: day.date, value: String(Math.round(day.value * 1.32)) })));
      const found = await api.app.get(RestatementDetector).checkClient(shop.agency.agencyId, shop.clientId);
      expect(found.map((change) => change.reportId)).toContain(v2.id);
      expect(found.every((change) => change.reportId === v2.id)).toBe(true);
      await api.gqlOk(UPDATE_CLIENT, { input: { id: shop.clientId, locale: 'en' } }, shop.agency.token);
      const v3 = (await api.gqlOk<{ createCorrectedReportVersion: { id: string; version: number; status: string } }>(CORRECT, { id: v2.id }, shop.agency.token))
        .createCorrectedReportVersion;
      expect(v3).toMatchObject({ version: 3, status: 'READY' });
      const english = (await readPdf(await pdfOf(v3.id))).text;
      expect(english).toContain('Corrections since version 2');
      expect(english).not.toContain('Corrections depuis');
      const v2Sessions = found.find((change) => change.kpiKey === 'sessions');
      const en = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
      expect(english).toMatch(new RegExp(`Sessions\\s+${en.format(v2Sessions?.oldValue ?? 0)}\\s+${en.format(v2Sessions?.newValue ?? 0)}`));

      // Only the latest version of a period can be corrected.
      expect((await api.gql(CORRECT, { id: reportId }, shop.agency.token)).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'hides restatements and corrections from another agency (NOT_FOUND) and refuses a viewer',
    async () => {
      const other = await newAgency(api, { name: 'Autre Agence', locale: 'fr' });
      expect((await api.gql(RESTATEMENTS, { id: reportId }, other.token)).errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
      expect((await api.gql(CORRECT, { id: reportId }, other.token)).errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
      const viewer = await newClientViewer(api, shop.agency, shop.clientId);
      expect((await api.gql(CORRECT, { id: reportId }, viewer.token)).errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
      // The viewer sees the sent report, but not its restatements while the client's settings hide alerts.
      const seen = await api.gqlOk<{ report: { restatements: unknown[] } }>(RESTATEMENTS, { id: reportId }, viewer.token);
      expect(seen.report.restatements).toEqual([]);
      // Once the agency lets the client's viewers see alerts, they see the restatements too.
      await api.gqlOk(
        `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id } }`,
        { input: { id: shop.clientId, viewerAlertsVisible: true } },
        shop.agency.token,
      );
      const shown = await api.gqlOk<{ report: { restatements: { kpiKey: string }[] } }>(RESTATEMENTS, { id: reportId }, viewer.token);
      expect(shown.report.restatements.map((row) => row.kpiKey)).toContain('sessions');
      const count = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM reports WHERE client_id = $1`, [shop.clientId]);
      expect(count.rows[0]?.n).toBe(3);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'checks a client of its own agency only: another agency running the check sees no report of it',
    async () => {
      const other = await newAgency(api, { name: 'Autre Agence', locale: 'fr' });
      const detector = api.app.get(RestatementDetector);
      // Row-level security: under the other agency, the client has no reports to check.
      expect(await detector.checkClient(other.agencyId, shop.clientId)).toEqual([]);
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
