import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { buildAccountEmail, type AccountEmailFacts } from './account-email.template';

/** A stuck SMTP server must not hold a request's background send forever. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/**
 * Sends account e-mails (address verification, password reset) over the SMTP server of the
 * SMTP_* settings. Sending happens after the answer is decided and never changes it: the
 * caller does not wait (an answer must not reveal whether an address exists) and a failure is
 * logged (the user asks again). Without SMTP_HOST nothing can be sent, and a warning says so.
 */
@Injectable()
export class AccountMailer implements OnModuleDestroy {
  private readonly logger = new Logger(AccountMailer.name);
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo> | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { smtp } = config;
    const auth = smtp.user === null ? undefined : { user: smtp.user, pass: smtp.password ?? '' };
    this.transport = smtp.host === null ? null : createTransport({ host: smtp.host, port: smtp.port, secure: smtp.secure, auth, ...TIMEOUTS });
  }

  /** The front-end page an e-mailed token is for, under PUBLIC_URL. */
  link(path: 'verify-email' | 'reset-password'): string {
    return `${this.config.publicUrl.replace(/\/+$/, '')}/${path}`;
  }

  /** Sends in the background; resolves when done (tests and shutdown may wait), never rejects. */
  send(to: string, facts: AccountEmailFacts): Promise<void> {
    if (!this.transport) {
      this.logger.warn(`SMTP_HOST is not set: the ${facts.kind} e-mail could not be sent`);
      return Promise.resolve();
    }
    const content = buildAccountEmail(facts);
    return this.transport.sendMail({ from: this.config.smtp.from, to, subject: content.subject, text: content.text }).then(
      () => undefined,
      (error: unknown) => {
        this.logger.warn(`The ${facts.kind} e-mail could not be sent: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
