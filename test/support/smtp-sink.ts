import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the sink accepted: the SMTP envelope, and the message parsed by mailparser. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly mail: ParsedMail;
}

export interface SmtpSink {
  readonly port: number;
  /** Accepted messages, in order of arrival. */
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP peer on loopback (smtp-server, no TLS, any credentials) that keeps what it
 * receives. Recipients for which `refuse` answers true get a permanent 550, as a mailbox that
 * no longer exists would.
 */
export async function startSmtpSink(options: { refuse?: (address: string) => boolean } = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) {
        callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const mailFrom = session.envelope.mailFrom;
          received.push({ from: mailFrom === false ? '' : mailFrom.address, to: session.envelope.rcptTo.map((recipient) => recipient.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Waits for the first message to `address` (polling: mail is sent after the answer) and takes
 * it out of `received`, so that tests counting their own messages do not see it.
 */
export async function takeMail(sink: SmtpSink, address: string, timeoutMs = 10_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = sink.received.findIndex((message) => message.to.includes(address.toLowerCase()));
    const [message] = index >= 0 ? sink.received.splice(index, 1) : [];
    if (message) return message;
    if (Date.now() > deadline) throw new Error(`No e-mail to ${address} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The token of an account e-mail (the `Code:` line of verification and reset messages). */
export function accountTokenOf(message: ReceivedMail): string {
  const match = /^Code: (\S+)$/m.exec(message.mail.text ?? '');
  if (!match?.[1]) throw new Error(`No token in the e-mail "${message.mail.subject ?? ''}"`);
  return match[1];
}
