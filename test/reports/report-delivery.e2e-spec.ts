import type { Pool } from 'pg';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { requestAndRender, seedFrenchShop, storedPdf, type SeededShop } from './report-fixtures';
import { RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const APPROVE = `mutation ($id: ID!) { approveReport(id: $id) { id status approvedAt } }`;
const SEND = `mutation ($id: ID!) { sendReport(id: $id) { id status sentAt } }`;

describe('report approval and delivery over SMTP', () => {
  let smtp: SmtpSink;
  let api: TestApi;
  let owner: Pool;
  let shop: SeededShop;

  beforeAll(async () => {
    smtp = await startSmtpSink({ refuse: (address) => address.endsWith('@gone.example') });
    api = await startTestApi(
      {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_SECURE: 'false',
        SMTP_FROM: 'Pilotage <rapports@agence-horizon.example>',
      },
      { smtp },
    );
    owner = ownerPool();
    shop = await seedFrenchShop(api);
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await owner.end();
    await api.close();
    await smtp.close();
  }, TEARDOWN_TIMEOUT_MS);

  it('refuses to send a report that is not approved, and sends nothing', async () => {
    const report = await requestAndRender(api, shop.agency, shop.clientId, '2026-09-01');
    const response = await api.gql(SEND, { id: report.id }, shop.agency.token);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'READY' });
    expect(smtp.received).toEqual([]);
    expect((await owner.query(`SELECT count(*)::int AS n FROM report_deliveries WHERE report_id = $1`, [report.id])).rows[0].n).toBe(0);
  });

  it(
    'goes QUEUED → RENDERING → READY → APPROVED → SENT, e-mailing the PDF in French and logging the delivery',
    async () => {
      // Each step is announced to the agency's webhooks (recorded here; this API runs no deliverer).
      await api.gqlOk(
        `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
        { input: { url: 'https://example.com/hooks', events: ['REPORT_READY', 'REPORT_APPROVED', 'REPORT_SENT'] } },
        shop.agency.token,
      );
      const report = await requestAndRender(api, shop.agency, shop.clientId);
      const approved = await api.gqlOk<{ approveReport: { status: string; approvedAt: string } }>(APPROVE, { id: report.id }, shop.agency.token);
      expect(approved.approveReport.status).toBe('APPROVED');
      expect((await api.gql(APPROVE, { id: report.id }, shop.agency.token)).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'APPROVED' });

      smtp.received.length = 0;
      const sent = await api.gqlOk<{ sendReport: { status: string; sentAt: string } }>(SEND, { id: report.id }, shop.agency.token);
      expect(sent.sendReport.status).toBe('SENT');

      expect(smtp.received).toHaveLength(1);
      const [message] = smtp.received;
      expect(message?.from).toBe('rapports@agence-horizon.example');
      expect([...(message?.to ?? [])].sort()).toEqual(['direction@maison-lumiere.example', 'marketing@maison-lumiere.example']);
      expect(message?.mail.subject).toBe('Votre rapport de performance – octobre 2026');
      expect(message?.mail.from?.text).toContain('Agence Horizon');
      const [attachment] = message?.mail.attachments ?? [];
      expect(attachment).toMatchObject({ contentType: 'application/pdf', filename: 'rapport-maison-lumiere-2026-10-v1.pdf' });
      expect(attachment?.content.equals(await storedPdf(api, report))).toBe(true);

      const deliveries = await owner.query(`SELECT recipients, message_id, status, error, agency_id FROM report_deliveries WHERE report_id = $1`, [report.id]);
      expect(deliveries.rows).toHaveLength(1);
      expect(deliveries.rows[0]).toMatchObject({ status: 'SENT', error: null, message_id: message?.mail.messageId, agency_id: shop.agency.agencyId });
      expect([...deliveries.rows[0].recipients].sort()).toEqual(['direction@maison-lumiere.example', 'marketing@maison-lumiere.example']);

      const audit = await owner.query(`SELECT action, actor_user_id FROM audit_log WHERE entity_id = $1 ORDER BY created_at, action`, [report.id]);
      expect(audit.rows.map((row) => row.action)).toEqual(['report.requested', 'report.rendering', 'report.ready', 'report.approved', 'report.sent']);
      expect(audit.rows.find((row) => row.action === 'report.approved')?.actor_user_id).toBe(shop.agency.userId);
      const events = await owner.query<{ event_type: string; client_id: string; version: number }>(
        `SELECT event_type, payload->>'clientId' AS client_id, (payload->'data'->>'version')::int AS version FROM webhook_deliveries
          WHERE agency_id = $1 AND payload->'data'->>'reportId' = $2 ORDER BY created_at`,
        [shop.agency.agencyId, report.id],
      );
      expect(events.rows).toEqual(
        ['report.ready', 'report.approved', 'report.sent'].map((type) => ({ event_type: type, client_id: shop.clientId, version: 1 })),
      );

      // Sent is final: a second send is refused and e-mails nobody.
      expect((await api.gql(SEND, { id: report.id }, shop.agency.token)).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'SENT' });
      expect(smtp.received).toHaveLength(1);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'logs a refused delivery, keeps the report APPROVED and tells the manager why',
    async () => {
      const refused = await seedFrenchShop(api, { agency: shop.agency, clientName: 'Client disparu', recipients: ['contact@gone.example'] });
      const report = await requestAndRender(api, shop.agency, refused.clientId);
      await api.gqlOk(APPROVE, { id: report.id }, shop.agency.token);
      smtp.received.length = 0;

      const response = await api.gql(SEND, { id: report.id }, shop.agency.token);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'RECIPIENTS_REJECTED', addresses: ['contact@gone.example'] });
      expect(smtp.received).toEqual([]);
      const deliveries = await owner.query(`SELECT recipients, message_id, status, error FROM report_deliveries WHERE report_id = $1`, [report.id]);
      expect(deliveries.rows).toEqual([
        { recipients: ['contact@gone.example'], message_id: null, status: 'FAILED', error: expect.stringContaining('RECIPIENTS_REJECTED') },
      ]);
      const row = (await owner.query(`SELECT status, sent_at FROM reports WHERE id = $1`, [report.id])).rows[0];
      expect(row).toEqual({ status: 'APPROVED', sent_at: null });
      const audit = await owner.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY created_at, action`, [report.id]);
      expect(audit.rows.map((entry) => entry.action).slice(-2)).toEqual(['report.approved', 'report.delivery_failed']);
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
