import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { ReportDeliveryError } from './report-delivery.error';
import { ReportMailer } from './report.mailer';

interface ReceivedMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256)), Buffer.from('\n%%EOF\n')]);
const REFUSED = 'gone@client.example';

/** Decodes RFC 2047 encoded words (B and Q) of an unfolded header value. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_match, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_hex, code: string) => String.fromCharCode(parseInt(code, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function headerOf(raw: string, name: string): string {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line === undefined ? '' : line.slice(name.length + 1).trim();
}

function decodeQuotedPrintable(body: string): Buffer {
  const bytes: number[] = [];
  const text = body.replace(/=\r\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

/** Finds the MIME part with the given content type anywhere in the message and decodes its body. */
function partOf(raw: string, contentType: string): Buffer | null {
  for (const part of raw.split(/\r\n--[^\r\n]+/)) {
    const separator = part.indexOf('\r\n\r\n');
    const head = part.slice(0, separator).replace(/\r\n[ \t]+/g, ' ');
    if (!head.toLowerCase().includes(`content-type: ${contentType}`)) continue;
    const body = part.slice(separator + 4);
    if (/content-transfer-encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    if (/content-transfer-encoding: quoted-printable/i.test(head)) return decodeQuotedPrintable(body);
    return Buffer.from(body, 'utf8');
  }
  return null;
}

describe(ReportMailer.name, () => {
  let server: SMTPServer;
  let port: number;
  let received: ReceivedMessage[];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address === REFUSED) {
          const refusal = Object.assign(new Error('No such mailbox'), { responseCode: 550 });
          callback(refusal);
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
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    received = [];
  });

  function mailer(): ReportMailer {
    return new ReportMailer({ host: '127.0.0.1', port, secure: false, from: 'rapports@agence.example' });
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
    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message?.from).toBe('rapports@agence.example');
    expect(message?.to).toEqual(['marie@client.example', 'paul@client.example']);
    const raw = message?.raw ?? '';
    expect(decodeHeader(headerOf(raw, 'Subject'))).toBe('Votre rapport de performance – octobre 2026');
    expect(decodeHeader(headerOf(raw, 'From'))).toContain('Agence Éclair');
    expect(headerOf(raw, 'Message-ID')).toBe(receipt.messageId);
    const html = partOf(raw, 'text/html')?.toString('utf8') ?? '';
    expect(html).toContain('<strong>Café &lt;Dupont&gt; &amp; Fils</strong>');
    expect(html).not.toContain('<Dupont>');
    const text = partOf(raw, 'text/plain')?.toString('utf8') ?? '';
    expect(text).toContain('le rapport de performance de Café <Dupont> & Fils pour octobre 2026.');
    expect(partOf(raw, 'application/pdf')?.equals(pdf)).toBe(true);
    expect(raw).toContain('filename=rapport-octobre-2026.pdf');
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

    expect(decodeHeader(headerOf(received[0]?.raw ?? '', 'Subject'))).toBe('Your performance report – October 2026');
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
    expect(received.map((message) => message.to)).toEqual([['marie@client.example']]);
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
    expect(received).toEqual([]);
  });

  it.each([[[]], [['not-an-address']], [['a@b.example', 'x@y.example\r\nBcc: evil@attacker.example']]])(
    'refuses the recipients %j before connecting',
    async (to) => {
      const sending = mailer().send({ to, locale: 'fr', agencyName: 'A', clientName: 'C', periodLabel: 'p', pdf, fileName: 'r.pdf' });

      await expect(sending).rejects.toBeInstanceOf(ReportDeliveryError);
      await expect(sending).rejects.toMatchObject({ code: 'INVALID_RECIPIENTS' });
      expect(received).toEqual([]);
    },
  );

  it('fails with TRANSPORT_FAILED when no server listens', async () => {
    const closedPort = new ReportMailer({ host: '127.0.0.1', port: 1, secure: false, from: 'rapports@agence.example' });

    await expect(
      closedPort.send({ to: ['a@b.example'], locale: 'fr', agencyName: 'A', clientName: 'C', periodLabel: 'p', pdf, fileName: 'r.pdf' }),
    ).rejects.toMatchObject({ code: 'TRANSPORT_FAILED' });
  });
});
