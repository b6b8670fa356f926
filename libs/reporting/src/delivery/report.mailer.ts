import { replaceControlCharacters } from '@pilotage/common';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { isEmailAddress, senderAddressOf } from './email-address';
import { buildReportEmail, type ReportEmailLocale } from './report-email.template';
import { ReportDeliveryError } from './report-delivery.error';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
  /** Sender address; the agency's name is shown as the sender's display name. */
  readonly from: string;
}

/** The SMTP part of the configuration (SMTP_*), the host known. */
export interface SmtpConfiguration {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string | null;
  readonly password: string | null;
  /** SMTP_FROM: "Agence <rapports@agence.example>" or a bare address. */
  readonly from: string;
}

/** The mailer's settings from the configuration: one reading of SMTP_* for every sender (reports, digests). */
export function smtpSettingsOf(smtp: SmtpConfiguration): SmtpSettings {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    user: smtp.user ?? undefined,
    password: smtp.password ?? undefined,
    from: senderAddressOf(smtp.from),
  };
}

export interface ReportEmail {
  readonly to: readonly string[];
  readonly locale: ReportEmailLocale;
  readonly agencyName: string;
  readonly clientName: string;
  readonly periodLabel: string;
  readonly pdf: Buffer;
  readonly fileName: string;
}

/** A plain e-mail from the agency: a subject, a text and an HTML body (escaped by its builder). */
export interface NoticeEmail {
  readonly to: readonly string[];
  readonly agencyName: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface ReportEmailReceipt {
  readonly messageId: string;
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
}

const MAX_RECIPIENTS = 50;
/** A stuck SMTP server must fail the job (which retries) rather than hold a worker forever. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 } as const;

function addressText(address: string | { readonly address: string }): string {
  return typeof address === 'string' ? address : address.address;
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** Keeps the attachment name a plain file name, whatever the caller built it from. */
function safeFileName(fileName: string): string {
  const cleaned = replaceControlCharacters(fileName, '_').replace(/[/\\]+/g, '_');
  return cleaned === '' ? 'report.pdf' : cleaned;
}

/** Sends a report PDF to a client's contacts over SMTP, in the client's language. */
export class ReportMailer {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly settings: SmtpSettings) {
    if (!isEmailAddress(settings.from)) {
      throw new ReportDeliveryError('INVALID_SETTINGS', `SMTP sender "${settings.from}" is not an e-mail address`);
    }
    if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65_535) {
      throw new ReportDeliveryError('INVALID_SETTINGS', `SMTP port ${settings.port} is not a TCP port`);
    }
    const auth = settings.user === undefined ? undefined : { user: settings.user, pass: settings.password ?? '' };
    this.transport = createTransport({ host: settings.host, port: settings.port, secure: settings.secure, auth, ...TIMEOUTS });
  }

  async send(email: ReportEmail): Promise<ReportEmailReceipt> {
    const recipients = this.validRecipients(email.to);
    const content = buildReportEmail(email);
    try {
      const info = await this.transport.sendMail({
        from: { name: replaceControlCharacters(email.agencyName, ' '), address: this.settings.from },
        to: recipients,
        subject: content.subject,
        text: content.text,
        html: content.html,
        attachments: [{ filename: safeFileName(email.fileName), content: email.pdf, contentType: 'application/pdf' }],
      });
      return { messageId: info.messageId, accepted: info.accepted.map(addressText), rejected: info.rejected.map(addressText) };
    } catch (error) {
      // nodemailer fails with EENVELOPE when the server refused every recipient.
      if (errorCode(error) === 'EENVELOPE') {
        throw new ReportDeliveryError('RECIPIENTS_REJECTED', 'The mail server refused every recipient', recipients, { cause: error });
      }
      throw new ReportDeliveryError('TRANSPORT_FAILED', 'The report e-mail could not be sent', [], { cause: error });
    }
  }

  /**
   * Sends a plain notice (no attachment) from the agency's name, e.g. the alerts' daily digest:
   * the same transport, sender and recipient checks as a report.
   */
  async sendNotice(notice: NoticeEmail): Promise<ReportEmailReceipt> {
    const recipients = this.validRecipients(notice.to);
    try {
      const info = await this.transport.sendMail({
        from: { name: replaceControlCharacters(notice.agencyName, ' '), address: this.settings.from },
        to: recipients,
        subject: replaceControlCharacters(notice.subject, ' '),
        text: notice.text,
        html: notice.html,
      });
      return { messageId: info.messageId, accepted: info.accepted.map(addressText), rejected: info.rejected.map(addressText) };
    } catch (error) {
      if (errorCode(error) === 'EENVELOPE') {
        throw new ReportDeliveryError('RECIPIENTS_REJECTED', 'The mail server refused every recipient', recipients, { cause: error });
      }
      throw new ReportDeliveryError('TRANSPORT_FAILED', 'The notice e-mail could not be sent', [], { cause: error });
    }
  }

  /** Closes pooled connections, if any; call on shutdown. */
  close(): void {
    this.transport.close();
  }

  private validRecipients(to: readonly string[]): string[] {
    const recipients: string[] = [];
    const seen = new Set<string>();
    const invalid: string[] = [];
    for (const raw of to) {
      const address = raw.trim();
      if (!isEmailAddress(address)) invalid.push(raw);
      else if (!seen.has(address.toLowerCase())) {
        seen.add(address.toLowerCase());
        recipients.push(address);
      }
    }
    if (invalid.length > 0) {
      throw new ReportDeliveryError('INVALID_RECIPIENTS', `Not e-mail addresses: ${invalid.map((a) => JSON.stringify(a)).join(', ')}`, invalid);
    }
    if (recipients.length === 0) throw new ReportDeliveryError('INVALID_RECIPIENTS', 'The report e-mail needs at least one recipient');
    if (recipients.length > MAX_RECIPIENTS) {
      throw new ReportDeliveryError('INVALID_RECIPIENTS', `At most ${MAX_RECIPIENTS} recipients per report e-mail`);
    }
    return recipients;
  }
}
