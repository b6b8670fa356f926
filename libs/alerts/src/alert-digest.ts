import { Inject, Injectable, Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import {
  AgencyEntity,
  ClientEntity,
  findDigestAlerts,
  listAgencyIds,
  runWithTenant,
  systemContext,
  TenantDatabase,
  UserEntity,
  type AlertEntity,
} from '@pilotage/database';
import type { Locale } from '@pilotage/kpi';
import { ReportMailer, smtpSettingsOf } from '@pilotage/reporting';
import { buildAlertDigest, type DigestClient } from './alert-digest.template';

/** A digest tells the alerts opened in the last day (and those still open): the tick runs once a day per agency. */
const DIGEST_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The local hour of `now` in `timeZone` (0–23). */
export function localHour(now: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now));
}

/** One e-mail to send: a recipient and their clients' alerts. */
export interface PlannedDigest {
  readonly to: string;
  readonly locale: Locale;
  readonly agencyName: string;
  readonly clients: readonly DigestClient[];
}

/**
 * The daily digest e-mail: ONE mail per project manager and day (never one per alert), with the
 * alerts of their clients opened in the last 24 hours and those still OPEN, grouped by client,
 * in the agency's language. A client without a project manager (or whose manager left the
 * agency) has its alerts sent to the agency's owners. No mail to a person none of whose clients
 * has a new alert.
 */
@Injectable()
export class AlertDigest {
  private readonly logger = new Logger(AlertDigest.name);
  private mailer: ReportMailer | null = null;

  constructor(
    private readonly db: TenantDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The hourly tick: the agencies whose local hour is ALERT_DIGEST_HOUR get their digests. The mails sent. */
  async sendDue(now: Date): Promise<{ sent: number }> {
    const agencyIds = await this.db.runWithoutTenant((manager) => listAgencyIds(manager));
    let sent = 0;
    for (const agencyId of agencyIds) {
      try {
        const due = await runWithTenant(systemContext(agencyId), () =>
          this.db.run(async (manager) => {
            const agency = await manager.findOneByOrFail(AgencyEntity, { id: agencyId });
            return localHour(now, agency.timeZone) === this.config.alerts.digestHour;
          }),
        );
        if (due) sent += await this.sendForAgency(agencyId, now);
      } catch (error) {
        // One agency's failure (its mail refused) does not stop the others' digests.
        this.logger.error(`Alert digest of agency ${agencyId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { sent };
  }

  /** Sends an agency's digests now, whatever the hour; the mails sent. */
  async sendForAgency(agencyId: string, now: Date): Promise<number> {
    const planned = await this.plan(agencyId, now);
    if (planned.length === 0) return 0;
    const mailer = this.mailerOrFail();
    for (const digest of planned) {
      const content = buildAlertDigest({ locale: digest.locale, agencyName: digest.agencyName, clients: digest.clients, publicUrl: this.config.publicUrl });
      await mailer.sendNotice({ to: [digest.to], agencyName: digest.agencyName, ...content });
    }
    return planned.length;
  }

  /** Who gets which alerts, read in one tenant transaction. */
  plan(agencyId: string, now: Date): Promise<PlannedDigest[]> {
    return runWithTenant(systemContext(agencyId), () =>
      this.db.run(async (manager) => {
        const since = new Date(now.getTime() - DIGEST_WINDOW_MS);
        const alerts = await findDigestAlerts(manager, agencyId, since);
        if (alerts.length === 0) return [];
        const agency = await manager.findOneByOrFail(AgencyEntity, { id: agencyId });
        const clientIds = [...new Set(alerts.map((alert) => alert.clientId))];
        const clients = await manager.findBy(ClientEntity, { agencyId, id: In(clientIds) });
        const staff = await manager.findBy(UserEntity, { agencyId, role: In(['OWNER', 'MANAGER']) });
        // A person who cannot log in (invitation not accepted) gets no mail.
        const active = staff.filter((user) => user.emailVerifiedAt !== null);
        const owners = active.filter((user) => user.role === 'OWNER');
        const byRecipient = new Map<string, { email: string; clients: Map<string, AlertEntity[]> }>();
        for (const client of clients) {
          if (client.archivedAt !== null) continue;
          const manager_ = active.find((user) => user.id === client.projectManagerId);
          const recipients = manager_ ? [manager_] : owners;
          const ofClient = alerts.filter((alert) => alert.clientId === client.id);
          for (const recipient of recipients) {
            const entry = byRecipient.get(recipient.id) ?? { email: recipient.email, clients: new Map<string, AlertEntity[]>() };
            entry.clients.set(client.id, ofClient);
            byRecipient.set(recipient.id, entry);
          }
        }
        const names = new Map(clients.map((client) => [client.id, client.name]));
        const planned: PlannedDigest[] = [];
        for (const entry of byRecipient.values()) {
          const all = [...entry.clients.values()].flat();
          // Nothing new for this person: only alerts they were already told about.
          if (!all.some((alert) => alert.openedAt >= since)) continue;
          planned.push({
            to: entry.email,
            locale: agency.defaultLocale,
            agencyName: agency.name,
            clients: [...entry.clients.entries()].map(([clientId, clientAlerts]) => ({
              clientId,
              clientName: names.get(clientId) ?? clientId,
              alerts: clientAlerts.map((alert) => ({ severity: alert.severity, status: alert.status, message: alert.message, isNew: alert.openedAt >= since })),
            })),
          });
        }
        return planned;
      }),
    );
  }

  private mailerOrFail(): ReportMailer {
    const smtp = this.config.smtp;
    if (smtp.host === null) throw new Error('Alert digests need SMTP (SMTP_HOST is not set)');
    this.mailer ??= new ReportMailer(smtpSettingsOf({ ...smtp, host: smtp.host }));
    return this.mailer;
  }
}
