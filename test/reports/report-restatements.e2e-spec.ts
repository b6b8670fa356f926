import type { Pool } from 'pg';
import { RestatementDetector } from '@pilotage/report-production';
import { newAgency } from '../support/factories';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { requestAndRender, seedFrenchShop, type SeededShop } from './report-fixtures';
import { RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const APPROVE = `mutation ($id: ID!) { approveReport(id: $id) { id status } }`;
const SEND = `mutation ($id: ID!) { sendReport(id: $id) { id status } }`;
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
