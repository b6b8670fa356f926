import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import {
  AgencyEntity,
  assertClientNotArchived,
  assertTenantCanWrite,
  ClientEntity,
  recordAudit,
  ReportDeliveryEntity,
  ReportEntity,
  runWithTenant,
  systemContext,
  TenantDatabase,
} from '@pilotage/database';
import { formatPeriodLabel, ReportDeliveryError, ReportMailer, smtpSettingsOf, type ReportEmailReceipt, type ReportStorage } from '@pilotage/reporting';
import { AppError, ConflictError, ErrorCode } from '@pilotage/common';
import { frozenSnapshot } from './report-content';
import { reportFileName } from './report-file-name';
import { REPORT_STORAGE } from './report-storage.provider';
import { ReportsService } from './reports.service';

/** PostgreSQL's 55P03 lock_not_available, as node-postgres reports it on the driver error. */
function isLockNotAvailable(driverError: unknown): boolean {
  return typeof driverError === 'object' && driverError !== null && 'code' in driverError && driverError.code === '55P03';
}

type Outcome = { readonly sent: ReportEntity } | { readonly failure: AppError };

/**
 * APPROVED → SENT: e-mails the stored PDF to the client's report recipients, in the client's
 * language, and logs every attempt in `report_deliveries` (a failed one too).
 *
 * The report row stays locked (FOR UPDATE NOWAIT) from the status check to the status change,
 * SMTP exchange included: a double click or two managers sending at once give one e-mail and
 * one CONFLICT, never two e-mails. The SMTP timeouts bound how long the lock is held.
 */
@Injectable()
export class ReportDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(ReportDeliveryService.name);
  private mailer: ReportMailer | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TenantDatabase,
    private readonly reports: ReportsService,
    @Inject(REPORT_STORAGE) private readonly storage: ReportStorage,
  ) {}

  async send(reportId: string): Promise<ReportEntity> {
    assertTenantCanWrite();
    const outcome = await this.db.run(async (manager): Promise<Outcome> => {
      const visible = await this.reports.findVisible(manager, reportId);
      const report = await this.lock(manager, visible);
      if (report.status !== 'APPROVED' || report.storageKey === null || report.checksum === null) {
        throw new ConflictError(`Report ${report.id} is ${report.status}: only an APPROVED report can be sent`, { status: report.status });
      }
      const client = await manager.findOneByOrFail(ClientEntity, { agencyId: report.agencyId, id: report.clientId });
      assertClientNotArchived(client);
      const agency = await manager.findOneByOrFail(AgencyEntity, { id: report.agencyId });
      if (client.reportRecipients.length === 0) {
        throw new ConflictError(`Client ${client.id} has no report recipients: add some before sending`, { field: 'reportRecipients' });
      }
      const pdf = await this.storage.get(report.storageKey);
      if (createHash('sha256').update(pdf).digest('hex') !== report.checksum) {
        throw new Error(`The stored PDF of report ${report.id} does not match its checksum`);
      }
      const locale = client.locale;
      const snapshot = frozenSnapshot(report);
      const periodLabel = formatPeriodLabel(snapshot?.period ?? { kind: report.kind, start: report.periodStart, end: report.periodEnd }, locale);
      let receipt: ReportEmailReceipt;
      try {
        receipt = await this.mailerOrFail().send({
          to: client.reportRecipients,
          locale,
          agencyName: agency.name,
          clientName: client.name,
          periodLabel,
          pdf,
          fileName: reportFileName(report, client.name, locale),
        });
      } catch (error) {
        if (!(error instanceof ReportDeliveryError)) throw error;
        await this.log(manager, report, { recipients: client.reportRecipients, messageId: null, status: 'FAILED', error: `${error.code}: ${error.message}` });
        return { failure: this.userError(error) };
      }
      const rejected = receipt.rejected.length === 0 ? null : `Refused by the mail server: ${receipt.rejected.join(', ')}`;
      await this.log(manager, report, { recipients: [...receipt.accepted], messageId: receipt.messageId, status: 'SENT', error: rejected });
      await manager.update(ReportEntity, { agencyId: report.agencyId, id: report.id }, { status: 'SENT', sentAt: new Date() });
      await recordAudit(manager, {
        action: 'report.sent',
        entityType: 'report',
        entityId: report.id,
        data: { from: 'APPROVED', to: 'SENT', recipients: receipt.accepted, rejected: receipt.rejected, messageId: receipt.messageId },
      });
      const sent = await manager.findOneByOrFail(ReportEntity, { agencyId: report.agencyId, id: report.id });
      await this.reports.announce(manager, 'report.sent', sent);
      return { sent };
    });
    // Thrown after the commit, so that the FAILED delivery stays logged.
    if ('failure' in outcome) throw outcome.failure;
    return outcome.sent;
  }

  /**
   * A client in AUTOMATIC delivery mode gets its scheduled reports (requested by no one) without a
   * project manager: READY → APPROVED by the system (approved_by null) → SENT through `send`, the
   * same path a manager's click takes. Anything else (REVIEW mode, a report a user requested, a
   * report no longer READY) is left as it is. Returns the report after what was done.
   */
  deliverIfAutomatic(agencyId: string, reportId: string): Promise<ReportEntity> {
    return runWithTenant(systemContext(agencyId), async () => {
      const { report, automatic } = await this.db.run(async (manager) => {
        const found = await manager.findOneByOrFail(ReportEntity, { agencyId, id: reportId });
        const client = await manager.findOneByOrFail(ClientEntity, { agencyId, id: found.clientId });
        return { report: found, automatic: client.reportDeliveryMode === 'AUTOMATIC' && client.archivedAt === null };
      });
      if (!automatic || report.requestedBy !== null || report.status !== 'READY') return report;
      await this.reports.approve(reportId);
      return this.send(reportId);
    });
  }

  onModuleDestroy(): void {
    this.mailer?.close();
    this.mailer = null;
  }

  private async lock(manager: EntityManager, report: ReportEntity): Promise<ReportEntity> {
    try {
      return await manager
        .createQueryBuilder(ReportEntity, 'report')
        .setLock('pessimistic_write')
        .setOnLocked('nowait')
        .where('report.agencyId = :agencyId AND report.id = :id', { agencyId: report.agencyId, id: report.id })
        .getOneOrFail();
    } catch (error) {
      // 55P03 lock_not_available: another request is sending this report right now.
      if (error instanceof QueryFailedError && isLockNotAvailable(error.driverError)) {
        throw new ConflictError(`Report ${report.id} is being sent by another request`);
      }
      throw error;
    }
  }

  private async log(
    manager: EntityManager,
    report: ReportEntity,
    delivery: Pick<ReportDeliveryEntity, 'recipients' | 'messageId' | 'status' | 'error'>,
  ): Promise<void> {
    const id = randomUUID();
    await manager.insert(ReportDeliveryEntity, { agencyId: report.agencyId, id, reportId: report.id, ...delivery });
    if (delivery.status === 'FAILED') {
      this.logger.warn(`Report ${report.id} could not be e-mailed: ${delivery.error ?? ''}`);
      await recordAudit(manager, {
        action: 'report.delivery_failed',
        entityType: 'report',
        entityId: report.id,
        data: { deliveryId: id, error: delivery.error },
      });
    }
  }

  private userError(error: ReportDeliveryError): AppError {
    if (error.code === 'INVALID_RECIPIENTS' || error.code === 'RECIPIENTS_REJECTED') {
      return new ConflictError(`The client's report recipients were refused: ${error.message}`, { reason: error.code, addresses: error.addresses });
    }
    return new AppError(ErrorCode.INTERNAL_SERVER_ERROR, 'The report e-mail could not be sent; try again later', { reason: error.code });
  }

  private mailerOrFail(): ReportMailer {
    const smtp = this.config.smtp;
    if (smtp.host === null) throw new ConflictError('E-mail delivery is not configured on this server (SMTP_HOST)');
    this.mailer ??= new ReportMailer(smtpSettingsOf({ ...smtp, host: smtp.host }));
    return this.mailer;
  }
}
