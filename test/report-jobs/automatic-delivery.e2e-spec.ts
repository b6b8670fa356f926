import type { Pool } from 'pg';
import { ReportJobsService } from '@pilotage/report-production';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool } from '../support/test-database';
import { seedFrenchShop, type SeededShop } from '../reports/report-fixtures';
import { startTestWorker, waitFor, type TestWorker } from './test-worker';
import { APP_BOOT_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const UPDATE = `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id reportDeliveryMode } }`;
const GENERATE_REPORT = `mutation ($input: GenerateReportInput!) { generateReport(input: $input) { id status } }`;

interface Row {
  status: string;
  approved_by: string | null;
  approved_at: Date | null;
}

/** Delivery modes through the real worker: the render job, then the existing send path, to an SMTP sink on loopback. */
describe('automatic delivery of scheduled reports', () => {
  let smtp: SmtpSink;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Pool;
  let shop: SeededShop;

  const row = async (id: string): Promise<Row | null> =>
    (await owner.query<Row>(`SELECT status, approved_by, approved_at FROM reports WHERE id = $1`, [id])).rows[0] ?? null;
  const scheduled = async (periodStart: string): Promise<string> =>
    waitFor(`the scheduled report of ${periodStart}`, async () => {
      const found = await owner.query<{ id: string }>(`SELECT id FROM reports WHERE client_id = $1 AND kind = 'MONTHLY' AND period_start = $2`, [
        shop.clientId,
        periodStart,
      ]);
      return found.rows[0]?.id ?? null;
    });

  beforeAll(async () => {
    smtp = await startSmtpSink();
    api = await startTestApi(
      { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', SMTP_FROM: 'Pilotage <rapports@agence.example>' },
      { smtp },
    );
    worker = await startTestWorker(api.config);
    owner = ownerPool();
    shop = await seedFrenchShop(api);
  }, APP_BOOT_TIMEOUT_MS + REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await owner?.end();
    await smtp?.close();
  }, TEARDOWN_TIMEOUT_MS);

  it(
    'leaves a scheduled report READY for a project manager in REVIEW mode',
    async () => {
      const jobs = worker.app.get(ReportJobsService);
      // 4 September in Paris: August is due (REPORT_SETTLE_DAYS 3) and complete.
      expect((await jobs.requestDueForAgency(shop.agency.agencyId, new Date('2026-09-04T12:00:00Z'))).monthly).toBe(1);
      const id = await scheduled('2026-08-01');
      const ready = await waitFor('READY', async () => {
        const current = await row(id);
        return current?.status === 'READY' ? current : null;
      });
      expect(ready).toMatchObject({ status: 'READY', approved_by: null, approved_at: null });
      expect(smtp.received).toEqual([]);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'approves (by the system) and e-mails a scheduled report in AUTOMATIC mode, but not one a user requested',
    async () => {
      await api.gqlOk(UPDATE, { input: { id: shop.clientId, reportDeliveryMode: 'AUTOMATIC' } }, shop.agency.token);
      const jobs = worker.app.get(ReportJobsService);
      expect((await jobs.requestDueForAgency(shop.agency.agencyId, new Date('2026-10-04T12:00:00Z'))).monthly).toBe(1);
      const id = await scheduled('2026-09-01');
      const sent = await waitFor('SENT', async () => {
        const current = await row(id);
        return current?.status === 'SENT' ? current : null;
      });
      expect(sent.approved_by).toBeNull();
      expect(sent.approved_at).not.toBeNull();
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]?.mail.subject).toBe('Votre rapport de performance – septembre 2026');
      const deliveries = await owner.query(`SELECT status FROM report_deliveries WHERE report_id = $1`, [id]);
      expect(deliveries.rows).toEqual([{ status: 'SENT' }]);

      // A report a manager asks for waits for them, whatever the mode.
      const requested = await api.gqlOk<{ generateReport: { id: string } }>(
        GENERATE_REPORT,
        { input: { clientId: shop.clientId, kind: 'MONTHLY', periodStart: '2026-07-01' } },
        shop.agency.token,
      );
      await waitFor('READY', async () => ((await row(requested.generateReport.id))?.status === 'READY' ? true : null));
      expect(smtp.received).toHaveLength(1);
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
