import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import {
  ClientEntity,
  currentTenant,
  isUuid,
  recordAudit,
  ReportBatchEntity,
  ReportEntity,
  runWithTenant,
  systemContext,
  TenantDatabase,
  type ReportKind,
  countBatchesByOutcome,
  countReportsByOutcome,
  listAgencyIds,
  type ReportBatchCounts,
  lockForTransaction,
} from '@pilotage/database';
import { BadUserInputError, NotFoundError } from '@pilotage/common';
import { readinessWarningOf, ReportsService } from './reports.service';
import { dueMonthlyReport, monthlyReadiness } from './monthly-report-schedule';
import { AnalyticsService, loadAgencyCatalog } from '@pilotage/analytics';
import { localDate } from '@pilotage/kpi';
import { dueWeeklyReport } from './weekly-report-schedule';
import { ReportJobQueue } from './report-job-queue';

/** RUNNING while a report is queued, rendering or failed with a retry to come. */
export const REPORT_BATCH_STATUSES = ['RUNNING', 'COMPLETED', 'COMPLETED_WITH_FAILURES'] as const;
export type ReportBatchStatus = (typeof REPORT_BATCH_STATUSES)[number];

export interface ReportBatchProgress {
  readonly id: string;
  readonly kind: ReportKind;
  readonly periodStart: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
  readonly status: ReportBatchStatus;
  readonly createdAt: Date;
}

/** Reports one schedule tick requested, by kind. */
export interface DueReportCounts {
  readonly monthly: number;
  readonly weekly: number;
}

export interface GenerateReportCommand {
  readonly clientId: string;
  readonly kind: ReportKind;
  readonly periodStart: string;
}

/** `YYYY-MM` → the month's first day; BAD_USER_INPUT naming `field` otherwise. */
export function monthStart(month: string, field = 'month'): string {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw BadUserInputError.forField(field, 'must be a month as YYYY-MM (e.g. 2026-10)');
  return `${month}-01`;
}

/** Progress of any set of reports, counted like a batch's. */
export interface ReportsProgress {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
}

function toProgress(row: ReportBatchCounts): ReportBatchProgress {
  const pending = Math.max(0, row.total - row.done - row.failed);
  const status: ReportBatchStatus = pending > 0 ? 'RUNNING' : row.failed > 0 ? 'COMPLETED_WITH_FAILURES' : 'COMPLETED';
  return { ...row, pending, status };
}

/**
 * Report generation through the job queue: one report (generateReport), every active client's
 * monthly report (a batch), and the hourly schedule. Each request creates the report row and
 * its render job in one tenant transaction; the worker renders.
 */
@Injectable()
export class ReportJobsService {
  private readonly logger = new Logger(ReportJobsService.name);

  constructor(
    private readonly db: TenantDatabase,
    private readonly reports: ReportsService,
    private readonly queue: ReportJobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly analytics: AnalyticsService,
  ) {}

  /** The pending report of that client × kind × period, or a new QUEUED version, with its render job. */
  generateReport(command: GenerateReportCommand): Promise<ReportEntity> {
    return this.db.run((manager) => this.requestAndEnqueue(manager, { ...command, batchId: null }));
  }

  /**
   * A batch of the month's MONTHLY report for every active client. While a batch of that month
   * is still running, asking again returns it rather than starting another (serialised by a
   * transaction-scoped advisory lock on agency × kind × month).
   */
  generateMonthlyReports(month: string): Promise<ReportBatchProgress> {
    const periodStart = monthStart(month);
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      await lockForTransaction(manager, `report-batch:${tenant.agencyId}:MONTHLY:${periodStart}`);
      const running = await this.runningBatch(manager, 'MONTHLY', periodStart);
      if (running !== null) return running;

      const clients = await manager.find(ClientEntity, {
        where: { agencyId: tenant.agencyId, archivedAt: IsNull() },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      const batchId = randomUUID();
      await manager.insert(ReportBatchEntity, {
        agencyId: tenant.agencyId,
        id: batchId,
        kind: 'MONTHLY',
        periodStart,
        total: clients.length,
        createdBy: tenant.userId,
      });
      for (const client of clients) {
        await this.requestAndEnqueue(manager, { clientId: client.id, kind: 'MONTHLY', periodStart, batchId });
      }
      await recordAudit(manager, {
        action: 'report_batch.created',
        entityType: 'report_batch',
        entityId: batchId,
        data: { kind: 'MONTHLY', periodStart, total: clients.length },
      });
      return this.progressOf(manager, batchId);
    });
  }

  /** A batch of the current agency with its progress; NOT_FOUND for another agency's. */
  batch(id: string): Promise<ReportBatchProgress> {
    if (!isUuid(id)) throw new NotFoundError('ReportBatch', id);
    return this.db.run((manager) => this.progressOf(manager, id));
  }

  /** Progress of reports of the current agency given by id (the demo's and the CLI's progress bars). */
  reportsProgress(reportIds: readonly string[]): Promise<ReportsProgress> {
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const row = await countReportsByOutcome(manager, tenant.agencyId, reportIds);
      return { ...row, pending: row.total - row.done - row.failed };
    });
  }

  /**
   * The hourly tick: for every agency, requests the previous month's MONTHLY report of each
   * active client whose own calendar has reached the 1st + REPORT_SETTLE_DAYS, and the previous
   * ISO week's WEEKLY report of each active client that opted in (`weeklyReportEnabled`) once
   * REPORT_WEEKLY_SETTLE_HOURS have passed since its local Monday began, unless that client
   * already has a report of that kind for that period. Agencies are discovered through the
   * login directory, the one table readable without a tenant (it lists each agency's users);
   * each agency is then handled under its own system tenant, so row-level security still
   * applies. One agency failing does not stop the others. Returns the reports requested.
   */
  async requestDueReports(now: Date): Promise<DueReportCounts> {
    const agencyIds = await this.db.runWithoutTenant((manager) => listAgencyIds(manager));
    const requested = { monthly: 0, weekly: 0 };
    for (const agencyId of agencyIds) {
      try {
        const counts = await this.requestDueForAgency(agencyId, now);
        requested.monthly += counts.monthly;
        requested.weekly += counts.weekly;
      } catch (error) {
        this.logger.error(`Scheduled reports of agency ${agencyId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return requested;
  }

  /** One agency's part of the tick, under its system tenant. */
  requestDueForAgency(agencyId: string, now: Date): Promise<DueReportCounts> {
    return runWithTenant(systemContext(agencyId), () =>
      this.db.run(async (manager) => {
        const clients = await manager.find(ClientEntity, { where: { agencyId, archivedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' } });
        const requested = { monthly: 0, weekly: 0 };
        for (const client of clients) {
          const month = dueMonthlyReport(now, client.timeZone, this.config.reportSettleDays);
          if (month !== null && (await this.requestMonthlyIfReady(manager, client, month, now))) requested.monthly += 1;
          if (!client.weeklyReportEnabled) continue;
          const week = dueWeeklyReport(now, client.timeZone, this.config.reportWeeklySettleHours);
          if (week !== null && (await this.requestIfAbsent(manager, client, 'WEEKLY', week))) requested.weekly += 1;
        }
        return requested;
      }),
    );
  }

  /** The scheduled report of that client × kind × period, unless one (any version, any status) exists. */
  private async requestIfAbsent(
    manager: EntityManager,
    client: ClientEntity,
    kind: ReportKind,
    periodStart: string,
    readinessWarning: string | null = null,
  ): Promise<boolean> {
    const existing = await manager.exists(ReportEntity, { where: { agencyId: client.agencyId, clientId: client.id, kind, periodStart } });
    if (existing) return false;
    await this.requestAndEnqueue(manager, { clientId: client.id, kind, periodStart, batchId: null, readinessWarning });
    return true;
  }

  /**
   * The readiness gate (monthlyReadiness) in front of a due MONTHLY report: the month's coverage
   * read from the analytics' own flags (a KPI `incomplete`, or with `gaps`: days where a flow it
   * needs has no data, or no value at all after a month that had one), the same figures the
   * report would print.
   */
  private async requestMonthlyIfReady(manager: EntityManager, client: ClientEntity, month: string, now: Date): Promise<boolean> {
    if (await manager.exists(ReportEntity, { where: { agencyId: client.agencyId, clientId: client.id, kind: 'MONTHLY', periodStart: month } })) return false;
    const scope = { manager, client, catalog: await loadAgencyCatalog(manager) };
    const { scorecard } = await this.analytics.reportFigures(scope, { kind: 'MONTHLY', periodStart: month, locale: client.locale });
    // A KPI with no value at all this month has neither flag; data is expected of it when the
    // previous month had some (a connector that stopped, a file not yet imported).
    const incompleteKpis = scorecard.rows
      .filter((row) => row.incomplete || row.gaps.length > 0 || (row.value === null && row.mom.value !== null))
      .map((row) => row.kpiKey);
    const readiness = monthlyReadiness({ month, today: localDate(now, client.timeZone), incompleteKpis, capDays: this.config.alerts.readinessCapDays });
    if (readiness.decision === 'WAIT') return false;
    const warning = readiness.decision === 'GENERATE_WITH_WARNING' ? readinessWarningOf(readiness.incompleteKpis) : null;
    return this.requestIfAbsent(manager, client, 'MONTHLY', month, warning);
  }

  /**
   * requestReport, then its render job in the same transaction. A pending report that no batch
   * claimed yet joins the batch asking for it, so the batch counts every report of its month.
   */
  private async requestAndEnqueue(
    manager: EntityManager,
    command: GenerateReportCommand & { batchId: string | null; readinessWarning?: string | null },
  ): Promise<ReportEntity> {
    const report = await this.reports.requestReport(manager, command);
    if (command.batchId !== null && report.batchId === null) {
      await manager.update(ReportEntity, { agencyId: report.agencyId, id: report.id, batchId: IsNull() }, { batchId: command.batchId });
      report.batchId = command.batchId;
    }
    await this.queue.sendRender(manager, { agencyId: report.agencyId, reportId: report.id });
    return report;
  }

  private async runningBatch(manager: EntityManager, kind: ReportKind, periodStart: string): Promise<ReportBatchProgress | null> {
    const tenant = currentTenant();
    const batches = await manager.find(ReportBatchEntity, {
      where: { agencyId: tenant.agencyId, kind, periodStart },
      select: { id: true },
      order: { createdAt: 'DESC' },
      take: 5,
    });
    if (batches.length === 0) return null;
    const rows = await countBatchesByOutcome(
      manager,
      tenant.agencyId,
      batches.map((batch) => batch.id),
    );
    return rows.map(toProgress).find((batch) => batch.status === 'RUNNING') ?? null;
  }

  private async progressOf(manager: EntityManager, id: string): Promise<ReportBatchProgress> {
    const rows = await countBatchesByOutcome(manager, currentTenant().agencyId, [id]);
    const row = rows[0];
    if (row === undefined) throw new NotFoundError('ReportBatch', id);
    return toProgress(row);
  }
}
