import { startSmtpSink, type SmtpSink } from '../../../../test/support/smtp-sink';
import { PEER_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../../../../test/support/timeouts';
import { ReportDeliveryError } from './report-delivery.error';
import { ReportMailer } from './report.mailer';

const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256)), Buffer.from('\n%%EOF\n')]);
const REFUSED = 'gone@client.example';

describe(ReportMailer.name, () => {
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink({ refuse: (address) => address === REFUSED });
  }, PEER_TIMEOUT_MS);

  afterAll(() => sink.close(), TEARDOWN_TIMEOUT_MS);

  beforeEach(() => {
    sink.received.length = 0;
  });

  function mailer(): ReportMailer {
    return new ReportMailer({ host: '127.0.0.1', port: sink.port, secure: false, from: 'rapports@agence.example' });
  }

  it('sends a French report with its localized subject, escaped names and the PDF attached', async () => {
    const receipt = await mailer().send({
      to: ['marie@client.example', 'paul@client.example'],
      locale: 'fr',
      agencyName: 'Agence Éclair',
      clientName: 'Café <Dupont> & Fils',
      periodLabel: 'octobre 2026',
      pdf,
      fileName: 'rapport-octobre-2026.pdf',
    });

    expect(receipt.accepted).toEqual(['marie@client.example', 'paul@client.example']);
    expect(receipt.rejected).toEqual([]);
    expect(receipt.messageId).toMatch(/^<.+@.+>$/);
    expect(sink.received).toHaveLength(1);
    const [message] = sink.received;
    expect(message?.from).toBe('rapports@agence.example');
    expect(message?.to).toEqual(['marie@client.example', 'paul@client.example']);
    expect(message?.mail.subject).toBe('Votre rapport de performance – octobre 2026');
    expect(message?.mail.from?.text).toContain('Agence Éclair');
    expect(message?.mail.messageId).toBe(receipt.messageId);
    const html = typeof message?.mail.html === 'string' ? message.mail.html : '';
    expect(html).toContain('<strong>Café &lt;Dupont&gt; &amp; Fils</strong>');
    expect(html).not.toContain('<Dupont>');
    expect(message?.mail.text).toContain('le rapport de performance de Café <Dupont> & Fils pour octobre 2026.');
    const [attachment] = message?.mail.attachments ?? [];
    expect(attachment).toMatchObject({ contentType: 'application/pdf', filename: 'rapport-octobre-2026.pdf' });
    expect(attachment?.content.equals(pdf)).toBe(true);
  });

  it('sends a notice without attachment from the agency’s name, refusing a malformed recipient before any SMTP', async () => {
    const receipt = await mailer().sendNotice({
      to: ['pm@agence.example'],
      agencyName: 'Agence Éclair',
      subject: '2 nouvelles alertes\r\nBcc: x@evil.example',
      text: 'Sessions hors trajectoire',
      html: '<p>Sessions hors trajectoire</p>',
    });
    expect(receipt.accepted).toEqual(['pm@agence.example']);
    const [message] = sink.received;
    expect(message?.to).toEqual(['pm@agence.example']);
    // The line break is gone: the subject cannot add a header.
    expect(message?.mail.subject).toMatch(/^2 nouvelles alertes +Bcc: x@evil\.example$/);
    expect(message?.mail.bcc).toBeUndefined();
    expect(message?.mail.from?.text).toContain('Agence Éclair');
    expect(message?.mail.text?.trim()).toBe('Sessions hors trajectoire');
    expect(message?.mail.attachments).toEqual([]);
    await expect(mailer().sendNotice({ to: ['not an address'], agencyName: 'Agence', subject: 's', text: 't', html: 'h' })).rejects.toMatchObject({
      code: 'INVALID_RECIPIENTS',
    });
    expect(sink.received).toHaveLength(1);
  });

  it('sends an English report with the English subject', async () => {
    await mailer().send({
      to: ['ann@client.example'],
      locale: 'en',
      agencyName: 'Bright Agency',
      clientName: 'Acme',
      periodLabel: 'October 2026',
      pdf,
      fileName: 'report.pdf',
    });

    expect(sink.received[0]?.mail.subject).toBe('Your performance report – October 2026');
  });

  it('returns the recipients the server rejected while delivering to the others', async () => {
    const receipt = await mailer().send({
      to: ['marie@client.example', REFUSED],
      locale: 'fr',
      agencyName: 'Agence',
      clientName: 'Client',
      periodLabel: 'octobre 2026',
      pdf,
      fileName: 'rapport.pdf',
    });

    expect(receipt.accepted).toEqual(['marie@client.example']);
    expect(receipt.rejected).toEqual([REFUSED]);
    expect(sink.received.map((message) => message.to)).toEqual([['marie@client.example']]);
  });

  it('fails with RECIPIENTS_REJECTED when the server refuses every recipient', async () => {
    const sending = mailer().send({
      to: [REFUSED],
      locale: 'en',
      agencyName: 'Agency',
      clientName: 'Client',
      periodLabel: 'October 2026',
      pdf,
      fileName: 'report.pdf',
    });

    await expect(sending).rejects.toMatchObject({ name: 'ReportDeliveryError', code: 'RECIPIENTS_REJECTED' });
    expect(sink.received).toEqual([]);
  });

  it.each([[[]], [['not-an-address']], [['a@b.example', 'x@y.example\r\nBcc: evil@attacker.example']]])(
    'refuses the recipients %j before connecting',
    async (to) => {
      const sending = mailer().send({ to, locale: 'fr', agencyName: 'A', clientName: 'C', periodLabel: 'p', pdf, fileName: 'r.pdf' });

      await expect(sending).rejects.toBeInstanceOf(ReportDeliveryError);
      await expect(sending).rejects.toMatchObject({ code: 'INVALID_RECIPIENTS' });
      expect(sink.received).toEqual([]);
    },
  );

  it('fails with TRANSPORT_FAILED when no server listens', async () => {
    const closedPort = new ReportMailer({ host: '127.0.0.1', port: 1, secure: false, from: 'rapports@agence.example' });

    await expect(
      closedPort.send({ to: ['a@b.example'], locale: 'fr', agencyName: 'A', clientName: 'C', periodLabel: 'p', pdf, fileName: 'r.pdf' }),
    ).rejects.toMatchObject({ code: 'TRANSPORT_FAILED' });
  });
});
