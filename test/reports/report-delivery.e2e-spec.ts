import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { requestAndRender, seedFrenchShop, storedPdf, type SeededShop } from './report-fixtures';

const APPROVE = `mutation ($id: ID!) { approveReport(id: $id) { id status approvedAt } }`;
const SEND = `mutation ($id: ID!) { sendReport(id: $id) { id status sentAt } }`;

interface ReceivedMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

/** Decodes the RFC 2047 encoded words of an unfolded header value. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_match, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_hex, code: string) => String.fromCharCode(parseInt(code, 16))), 'latin1').toString('utf8'),
    );
}

function headerOf(raw: string, name: string): string {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line === undefined ? '' : line.slice(name.length + 1).trim();
}

/** The base64 body of the MIME part of the given content type. */
function attachmentOf(raw: string, contentType: string): Buffer | null {
  for (const part of raw.split(/\r\n--[^\r\n]+/)) {
    const separator = part.indexOf('\r\n\r\n');
    const head = part.slice(0, separator).replace(/\r\n[ \t]+/g, ' ').toLowerCase();
    if (head.includes(`content-type: ${contentType}`) && head.includes('content-transfer-encoding: base64')) {
      return Buffer.from(part.slice(separator + 4).replace(/\s+/g, ''), 'base64');
    }
  }
  return null;
}

describe('report approval and delivery over SMTP', () => {
  let smtp: SMTPServer;
  let received: ReceivedMessage[];
  let api: TestApi;
  let owner: Pool;
  let shop: SeededShop;

  beforeAll(async () => {
    received = [];
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@gone.example')) {
          callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const mailFrom = session.envelope.mailFrom;
          received.push({
            from: mailFrom === false ? '' : mailFrom.address,
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    api = await startTestApi({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_SECURE: 'false', SMTP_FROM: 'Pilotage <rapports@agence-horizon.example>' });
    owner = ownerPool();
    shop = await seedFrenchShop(api);
  }, 120_000);

  afterAll(async () => {
    await owner.end();
    await api.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('refuses to send a report that is not approved, and sends nothing', async () => {
    const report = await requestAndRender(api, shop.agency, shop.clientId, '2026-09-01');
    const response = await api.gql(SEND, { id: report.id }, shop.agency.token);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'READY' });
    expect(received).toEqual([]);
    expect((await owner.query(`SELECT count(*)::int AS n FROM report_deliveries WHERE report_id = $1`, [report.id])).rows[0].n).toBe(0);
  });

  it('goes QUEUED → RENDERING → READY → APPROVED → SENT, e-mailing the PDF in French and logging the delivery', async () => {
    const report = await requestAndRender(api, shop.agency, shop.clientId);
    const approved = await api.gqlOk<{ approveReport: { status: string; approvedAt: string } }>(APPROVE, { id: report.id }, shop.agency.token);
    expect(approved.approveReport.status).toBe('APPROVED');
    expect((await api.gql(APPROVE, { id: report.id }, shop.agency.token)).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'APPROVED' });

    received = [];
    const sent = await api.gqlOk<{ sendReport: { status: string; sentAt: string } }>(SEND, { id: report.id }, shop.agency.token);
    expect(sent.sendReport.status).toBe('SENT');

    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message?.from).toBe('rapports@agence-horizon.example');
    expect([...(message?.to ?? [])].sort()).toEqual(['direction@maison-lumiere.example', 'marketing@maison-lumiere.example']);
    const raw = message?.raw ?? '';
    expect(decodeHeader(headerOf(raw, 'Subject'))).toBe('Votre rapport de performance – octobre 2026');
    expect(decodeHeader(headerOf(raw, 'From'))).toContain('Agence Horizon');
    expect(raw).toContain('filename=rapport-maison-lumiere-2026-10-v1.pdf');
    const attachment = attachmentOf(raw, 'application/pdf');
    expect(attachment?.equals(await storedPdf(api, report))).toBe(true);

    const deliveries = await owner.query(`SELECT recipients, message_id, status, error, agency_id FROM report_deliveries WHERE report_id = $1`, [report.id]);
    expect(deliveries.rows).toHaveLength(1);
    expect(deliveries.rows[0]).toMatchObject({ status: 'SENT', error: null, message_id: headerOf(raw, 'Message-ID'), agency_id: shop.agency.agencyId });
    expect([...deliveries.rows[0].recipients].sort()).toEqual(['direction@maison-lumiere.example', 'marketing@maison-lumiere.example']);

    const audit = await owner.query(`SELECT action, actor_user_id FROM audit_log WHERE entity_id = $1 ORDER BY created_at, action`, [report.id]);
    expect(audit.rows.map((row) => row.action)).toEqual(['report.requested', 'report.rendering', 'report.ready', 'report.approved', 'report.sent']);
    expect(audit.rows.find((row) => row.action === 'report.approved')?.actor_user_id).toBe(shop.agency.userId);

    // Sent is final: a second send is refused and e-mails nobody.
    expect((await api.gql(SEND, { id: report.id }, shop.agency.token)).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'SENT' });
    expect(received).toHaveLength(1);
  });

  it('logs a refused delivery, keeps the report APPROVED and tells the manager why', async () => {
    const refused = await seedFrenchShop(api, { agency: shop.agency, clientName: 'Client disparu', recipients: ['contact@gone.example'] });
    const report = await requestAndRender(api, shop.agency, refused.clientId);
    await api.gqlOk(APPROVE, { id: report.id }, shop.agency.token);
    received = [];

    const response = await api.gql(SEND, { id: report.id }, shop.agency.token);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'RECIPIENTS_REJECTED', addresses: ['contact@gone.example'] });
    expect(received).toEqual([]);
    const deliveries = await owner.query(`SELECT recipients, message_id, status, error FROM report_deliveries WHERE report_id = $1`, [report.id]);
    expect(deliveries.rows).toEqual([{ recipients: ['contact@gone.example'], message_id: null, status: 'FAILED', error: expect.stringContaining('RECIPIENTS_REJECTED') }]);
    const row = (await owner.query(`SELECT status, sent_at FROM reports WHERE id = $1`, [report.id])).rows[0];
    expect(row).toEqual({ status: 'APPROVED', sent_at: null });
    const audit = await owner.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY created_at, action`, [report.id]);
    expect(audit.rows.map((entry) => entry.action).slice(-2)).toEqual(['report.approved', 'report.delivery_failed']);
  }, 60_000);
});
