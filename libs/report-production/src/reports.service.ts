import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { In, IsNull, LessThan, MoreThan, Not, type EntityManager } from 'typeorm';
import {
  currentTenant,
  isUuid,
  keysetPage,
  recordAudit,
  ReportEntity,
  ReportRestatementEntity,
  runWithTenant,
  systemContext,
  TenantDatabase,
  type ReportKind,
  type ReportStatus,
  assertClientNotArchived,
  assertTenantCanWrite,
  ClientEntity,
  findVisibleClient,
  lockForTransaction,
} from '@pilotage/database';
import { DomainEvents } from '@pilotage/events';
import { isoWeekday, isoWeekOf, isoWeekPeriod, isValidIsoDate, monthPeriod, type Period } from '@pilotage/kpi';
import { draftNarrative, type ReportCorrection, type ReportCorrections, type ReportSnapshot, type ReportStorage } from '@pilotage/reporting';
import { BadUserInputError, ConflictError, NotFoundError } from '@pilotage/common';
import { frozenSnapshot, withEditorialContent } from './report-content';
import { ReportRendererService } from './report-renderer.service';
import { ReportSnapshotAssembler } from './report-snapshot.assembler';
import { REPORT_STORAGE, reportStorageKey } from './report-storage.provider';

export interface RequestReportInput {
  readonly clientId: string;
  readonly kind: ReportKind;
  /** `YYYY-MM-DD`: the first day of a month (MONTHLY) or a Monday (WEEKLY). */
  readonly periodStart: string;
  readonly batchId?: string | null;
  /** Defaults to the current user. */
  readonly requestedBy?: string | null;
  /** Set by the readiness gate when a scheduled report goes out at its cap date with data missing (readinessWarningOf). */
  readonly readinessWarning?: string | null;
}

export interface ReportCommentaryInput {
  readonly reportId: string;
  /** Omitted: unchanged; null or blank: removed. */
  readonly commentary?: string | null;
  /** Replaces the whole per-KPI commentary when given; a blank text removes the KPI's. */
  readonly kpiCommentary?: readonly { readonly kpiKey: string; readonly text: string }[];
  /** Replaces the narrative when given; an empty list goes back to the drafted one. */
  readonly narrative?: readonly string[];
}

interface CommentaryChanges {
  commentary?: string | null;
  kpiCommentary?: Record<string, string>;
  narrative?: string[] | null;
}

/** A restatement of a report with its KPI's name as the report printed it. */
export interface ReportRestatementView {
  readonly restatement: ReportRestatementEntity;
  readonly kpiName: string;
}

export interface ReportListQuery {
  readonly clientId: string;
  readonly first: number;
  readonly after?: string;
  readonly kind?: ReportKind;
  readonly status?: ReportStatus;
}

export interface ReportPage {
  readonly edges: { cursor: string; node: ReportEntity }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: number;
}

/** What a client viewer may see: reports the agency has approved. Drafts stay internal. */
export const CLIENT_VISIBLE_STATUSES: readonly ReportStatus[] = ['APPROVED', 'SENT'];
/** States in which a report has a stored PDF. */
export const RENDERED_STATUSES: readonly ReportStatus[] = ['READY', 'APPROVED', 'SENT'];
const CLAIMABLE_STATUSES: readonly ReportStatus[] = ['QUEUED', 'FAILED'];
/**
 * The worker rendering a report touches its claim (`updated_at`) this often, so that a claim
 * only goes stale when its worker is gone, however long the render takes.
 */
export const RENDERING_HEARTBEAT_SECONDS = 5;
/**
 * A RENDERING claim without a heartbeat for this long belongs to a worker that died mid-render:
 * another attempt may take it over. Four missed heartbeats (a slow database is not a death), and
 * shorter than the earliest retry of the dead worker's job (the job's heartbeat, see
 * RENDER_HEARTBEAT_SECONDS in report-job-queue.ts: 25 s at the soonest), so that retry finds the
 * report claimable and renders it within a minute of the death.
 */
export const STALE_RENDERING_SECONDS = 20;
const MAX_ERROR_LENGTH = 2000;
const LIST_COLUMNS: readonly (keyof ReportEntity)[] = [
  'agencyId',
  'id',
  'clientId',
  'kind',
  'periodStart',
  'periodEnd',
  'version',
  'status',
  'batchId',
  'storageKey',
  'checksum',
  'byteSize',
  'pageCount',
  'attempts',
  'retryPending',
  'error',
  'commentary',
  'kpiCommentary',
  'narrative',
  'requestedBy',
  'approvedBy',
  'approvedAt',
  'renderedAt',
  'sentAt',
  'readinessWarning',
  'createdAt',
  'updatedAt',
];

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, MAX_ERROR_LENGTH);
}

/**
 * `reports.readiness_warning` holds the keys of the KPIs whose data was incomplete when the
 * readiness gate's cap date forced a scheduled report out, comma-separated (KPI keys are
 * snake_case). Null: the data was complete.
 */
export function readinessWarningOf(incompleteKpiKeys: readonly string[]): string | null {
  return incompleteKpiKeys.length === 0 ? null : incompleteKpiKeys.join(',');
}

export function readinessWarningKpis(warning: string | null): string[] {
  return warning === null ? [] : warning.split(',').filter((key) => key !== '');
}

/** The period a report covers, from its first day; BAD_USER_INPUT naming `periodStart` otherwise. */
export function reportPeriod(kind: ReportKind, periodStart: string): Period {
  if (!isValidIsoDate(periodStart)) throw BadUserInputError.forField('periodStart', 'is not a calendar date (YYYY-MM-DD)');
  if (kind === 'MONTHLY') {
    if (!periodStart.endsWith('-01')) throw BadUserInputError.forField('periodStart', 'must be the first day of a month');
    return monthPeriod(Number(periodStart.slice(0, 4)), Number(periodStart.slice(5, 7)));
  }
  if (isoWeekday(periodStart) !== 1) throw BadUserInputError.forField('periodStart', 'must be a Monday (ISO week)');
  const week = isoWeekOf(periodStart);
  return isoWeekPeriod(week.isoYear, week.week);
}

/**
 * Reports: requesting a version, rendering it (claim → freeze the snapshot → Chromium → storage
 * → READY), reading them with the viewer rules, editing the commentary and approving. Sending
 * and downloads have their own services.
 */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly db: TenantDatabase,
    private readonly assembler: ReportSnapshotAssembler,
    private readonly renderer: ReportRendererService,
    @Inject(REPORT_STORAGE) private readonly storage: ReportStorage,
    private readonly events: DomainEvents,
  ) {}

  /** Announces a report's step (`report.ready`, `report.approved`, `report.sent`) inside the transaction that made it. */
  async announce(manager: EntityManager, type: 'report.ready' | 'report.approved' | 'report.sent', report: ReportEntity): Promise<void> {
    await this.events.emit(manager, {
      type,
      agencyId: report.agencyId,
      clientId: report.clientId,
      data: {
        reportId: report.id,
        kind: report.kind,
        period: `${report.periodStart}/${report.periodEnd}`,
        periodStart: report.periodStart,
        periodEnd: report.periodEnd,
        version: report.version,
      },
    });
  }

  /**
   * Inside the caller's tenant transaction: the pending (QUEUED or RENDERING) report of that
   * client × kind × period if there is one, otherwise a new QUEUED version.
   */
  async requestReport(manager: EntityManager, input: RequestReportInput): Promise<ReportEntity> {
    assertTenantCanWrite();
    const tenant = currentTenant();
    const client = await findVisibleClient(manager, input.clientId);
    if (client.archivedAt !== null) throw BadUserInputError.forField('clientId', 'is an archived client');
    const period = reportPeriod(input.kind, input.periodStart);
    // Serializes concurrent requests for the same period (a double click, two batches): the
    // second one then sees the first one's QUEUED row instead of racing it to a version number.
    await lockForTransaction(manager, `report:${tenant.agencyId}:${client.id}:${input.kind}:${period.start}`);
    const where = { agencyId: tenant.agencyId, clientId: client.id, kind: input.kind, periodStart: period.start };
    const pending = await manager.findOne(ReportEntity, { where: { ...where, status: In(['QUEUED', 'RENDERING']) }, order: { version: 'DESC' } });
    if (pending !== null) return pending;
    const latest = await manager.findOne(ReportEntity, { where, order: { version: 'DESC' } });
    const id = randomUUID();
    await manager.insert(ReportEntity, {
      ...where,
      id,
      periodEnd: period.end,
      version: (latest?.version ?? 0) + 1,
      status: 'QUEUED',
      batchId: input.batchId ?? null,
      requestedBy: input.requestedBy === undefined ? tenant.userId : input.requestedBy,
      // A new version carries the previous one's editorial content: a manager regenerating a
      // report after a late import should not have to write the analysis again.
      commentary: latest?.commentary ?? null,
      kpiCommentary: latest?.kpiCommentary ?? {},
      narrative: null,
      readinessWarning: input.readinessWarning ?? null,
    });
    await recordAudit(manager, {
      action: 'report.requested',
      entityType: 'report',
      entityId: id,
      data: { clientId: client.id, kind: input.kind, periodStart: period.start, version: (latest?.version ?? 0) + 1, batchId: input.batchId ?? null },
    });
    return manager.findOneByOrFail(ReportEntity, { agencyId: tenant.agencyId, id });
  }

  /**
   * Renders a report once, whoever calls and however often: a READY (or later) report is
   * returned as it is. Short transactions around the Chromium work, none during it. A failure
   * leaves the report FAILED with the message and is rethrown so that a job queue retries;
   * `retryPending` says whether one will (the worker knows it from the job's retry count).
   */
  renderReport(agencyId: string, reportId: string, options: { readonly retryPending?: boolean } = {}): Promise<ReportEntity> {
    return runWithTenant(systemContext(agencyId), async () => {
      const claimed = await this.claim(agencyId, reportId);
      if (claimed.status !== 'RENDERING') return claimed;
      const claim = { agencyId, id: reportId, status: 'RENDERING' as const, attempts: claimed.attempts };
      const heartbeat = this.keepClaimAlive(claim);
      try {
        const report = await this.freezeSnapshot(claimed, claim);
        const snapshot = frozenSnapshot(report);
        if (snapshot === null) throw new Error(`Report ${reportId} has no snapshot after freezing it`);
        const { pdf, pageCount } = await this.renderer.renderPdf(withEditorialContent(snapshot, report));
        const stored = await this.storage.put(reportStorageKey(report), pdf);
        return await this.db.run(async (manager) => {
          const done = await manager.update(ReportEntity, claim, {
            status: 'READY',
            storageKey: stored.key,
            checksum: stored.sha256,
            byteSize: stored.size,
            pageCount,
            renderedAt: new Date(),
            error: null,
          });
          if (done.affected === 1) {
            await recordAudit(manager, {
              action: 'report.ready',
              entityType: 'report',
              entityId: reportId,
              data: { attempt: claim.attempts, checksum: stored.sha256, pageCount, byteSize: stored.size },
            });
            await this.announce(manager, 'report.ready', await manager.findOneByOrFail(ReportEntity, { agencyId, id: reportId }));
          }
          // Otherwise our claim went stale and another attempt took the report over: its
          // outcome, written under the same storage key, is the one that counts.
          return manager.findOneByOrFail(ReportEntity, { agencyId, id: reportId });
        });
      } catch (error) {
        await this.markFailed(claim, error, options.retryPending ?? false);
        throw error;
      } finally {
        clearInterval(heartbeat);
      }
    });
  }

  /** Touches the claim every RENDERING_HEARTBEAT_SECONDS while this process renders the report. */
  private keepClaimAlive(claim: Pick<ReportEntity, 'agencyId' | 'id' | 'status' | 'attempts'>): NodeJS.Timeout {
    let touching = false;
    const timer = setInterval(() => {
      if (touching) return;
      touching = true;
      this.db
        .runFor(systemContext(claim.agencyId), (manager) => manager.update(ReportEntity, claim, { updatedAt: () => 'now()' }))
        .catch((error: unknown) => this.logger.warn(`Heartbeat of report ${claim.id}: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          touching = false;
        });
    }, RENDERING_HEARTBEAT_SECONDS * 1000);
    // A heartbeat alone never keeps the process up.
    timer.unref();
    return timer;
  }

  /** A report the current user may see, inside their transaction; NOT_FOUND otherwise. */
  async findVisible(manager: EntityManager, id: string): Promise<ReportEntity> {
    const tenant = currentTenant();
    if (!isUuid(id)) throw new NotFoundError('Report', id);
    const report = await manager.findOneBy(ReportEntity, { agencyId: tenant.agencyId, id });
    if (report === null) throw new NotFoundError('Report', id);
    if (tenant.role === 'CLIENT_VIEWER' && (report.clientId !== tenant.clientId || !CLIENT_VISIBLE_STATUSES.includes(report.status))) {
      throw new NotFoundError('Report', id);
    }
    // A viewer's access ends when their client is archived.
    if (
      tenant.role === 'CLIENT_VIEWER' &&
      (await manager.existsBy(ClientEntity, { agencyId: tenant.agencyId, id: report.clientId, archivedAt: Not(IsNull()) }))
    ) {
      throw new NotFoundError('Report', id);
    }
    return report;
  }

  /** CONFLICT when the report's client is archived (read-only: no re-render, approval or sending). */
  async assertClientActive(manager: EntityManager, report: Pick<ReportEntity, 'agencyId' | 'clientId'>): Promise<void> {
    assertClientNotArchived(await manager.findOneByOrFail(ClientEntity, { agencyId: report.agencyId, id: report.clientId }));
  }

  get(id: string): Promise<ReportEntity> {
    return this.db.run((manager) => this.findVisible(manager, id));
  }

  /** A client's reports, newest first; a viewer sees only the approved and sent ones. */
  list(query: ReportListQuery): Promise<ReportPage> {
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const client = await findVisibleClient(manager, query.clientId);
      const builder = manager
        .createQueryBuilder(ReportEntity, 'report')
        // The frozen snapshots are large (13-month series of every KPI) and a list never prints them.
        .select(LIST_COLUMNS.map((column) => `report.${column}`))
        .where('report.agencyId = :agencyId AND report.clientId = :clientId', { agencyId: tenant.agencyId, clientId: client.id });
      if (tenant.role === 'CLIENT_VIEWER') builder.andWhere('report.status IN (:...visible)', { visible: CLIENT_VISIBLE_STATUSES });
      if (query.kind !== undefined) builder.andWhere('report.kind = :kind', { kind: query.kind });
      if (query.status !== undefined) builder.andWhere('report.status = :status', { status: query.status });
      return keysetPage(builder, query, { alias: 'report', sortBy: 'createdAt', direction: 'DESC' });
    });
  }

  /**
   * Edits the manager's content of a READY or FAILED report and renders the same version
   * again at once, from its frozen figures: the report goes back to QUEUED, then READY (or
   * FAILED, returned with its error). An approved report is final: regenerate a new version.
   */
  async updateCommentary(input: ReportCommentaryInput): Promise<ReportEntity> {
    assertTenantCanWrite();
    const tenant = currentTenant();
    await this.db.run(async (manager) => {
      const report = await this.findVisible(manager, input.reportId);
      await this.assertClientActive(manager, report);
      if (report.status !== 'READY' && report.status !== 'FAILED') {
        throw new ConflictError(`Report ${report.id} is ${report.status}: only a READY or FAILED report can be edited`, { status: report.status });
      }
      const changes = this.commentaryChanges(report, input);
      const done = await manager.update(
        ReportEntity,
        { agencyId: tenant.agencyId, id: report.id, status: report.status },
        { ...changes, status: 'QUEUED', error: null },
      );
      if (done.affected !== 1) throw new ConflictError(`Report ${report.id} changed meanwhile; reload it and edit again`);
      await recordAudit(manager, {
        action: 'report.commentary_updated',
        entityType: 'report',
        entityId: report.id,
        data: { changes: Object.keys(changes), from: report.status, to: 'QUEUED' },
      });
    });
    try {
      return await this.renderReport(tenant.agencyId, input.reportId);
    } catch (error) {
      // Already recorded on the report (FAILED with its error): the caller gets it back in that state.
      this.logger.warn(`Report ${input.reportId} failed to render after an edit: ${errorMessage(error)}`);
      return this.get(input.reportId);
    }
  }

  /** READY → APPROVED, by agency staff; the report can then be sent. */
  approve(id: string): Promise<ReportEntity> {
    assertTenantCanWrite();
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const report = await this.findVisible(manager, id);
      await this.assertClientActive(manager, report);
      const done = await manager.update(
        ReportEntity,
        { agencyId: tenant.agencyId, id: report.id, status: 'READY' },
        { status: 'APPROVED', approvedBy: tenant.userId, approvedAt: new Date() },
      );
      if (done.affected !== 1) {
        throw new ConflictError(`Report ${report.id} is ${report.status}: only a READY report can be approved`, { status: report.status });
      }
      await recordAudit(manager, { action: 'report.approved', entityType: 'report', entityId: report.id, data: { from: 'READY', to: 'APPROVED' } });
      const approved = await manager.findOneByOrFail(ReportEntity, { agencyId: tenant.agencyId, id: report.id });
      await this.announce(manager, 'report.approved', approved);
      return approved;
    });
  }

  /** The narrative each report prints when none was edited, drafted from its frozen figures. */
  async draftedNarratives(ids: readonly string[]): Promise<string[][]> {
    const tenant = currentTenant();
    const rows = await this.db.run((manager) =>
      manager.find(ReportEntity, { where: { agencyId: tenant.agencyId, id: In([...ids]) }, select: { id: true, snapshot: true } }),
    );
    const byId = new Map(rows.map((row) => [row.id, frozenSnapshot(row)]));
    return ids.map((id) => {
      const snapshot: ReportSnapshot | null | undefined = byId.get(id);
      return snapshot === null || snapshot === undefined ? [] : draftNarrative(snapshot);
    });
  }

  /**
   * The restatements of each report (batched), oldest first, each with its KPI's name as the report
   * printed it. The reports were already read through findVisible; a client viewer sees them only
   * when the agency lets its client's viewers see alerts (clients.viewer_alerts_visible).
   */
  async restatements(reportIds: readonly string[]): Promise<ReportRestatementView[][]> {
    const tenant = currentTenant();
    const rows = await this.db.run(async (manager) => {
      const reports = await manager.find(ReportEntity, {
        where: { agencyId: tenant.agencyId, id: In([...reportIds]) },
        select: { id: true, clientId: true, snapshot: true },
      });
      if (tenant.role === 'CLIENT_VIEWER') {
        const client = tenant.clientId === null ? null : await manager.findOneBy(ClientEntity, { agencyId: tenant.agencyId, id: tenant.clientId });
        if (client === null || !client.viewerAlertsVisible) return { reports: [], restatements: [] };
      }
      const visible = reports.filter((report) => tenant.role !== 'CLIENT_VIEWER' || report.clientId === tenant.clientId);
      const restatements =
        visible.length === 0
          ? []
          : await manager.find(ReportRestatementEntity, {
              where: { agencyId: tenant.agencyId, reportId: In(visible.map((report) => report.id)) },
              order: { detectedAt: 'ASC', id: 'ASC' },
            });
      return { reports: visible, restatements };
    });
    const names = new Map(rows.reports.map((report) => [report.id, new Map((frozenSnapshot(report)?.kpis ?? []).map((kpi) => [kpi.key, kpi.name]))]));
    return reportIds.map((id) =>
      rows.restatements
        .filter((restatement) => restatement.reportId === id)
        .map((restatement) => ({ restatement, kpiName: names.get(id)?.get(restatement.kpiKey) ?? restatement.kpiKey })),
    );
  }

  /** QUEUED|FAILED|stale RENDERING → RENDERING with one more attempt; the row as it is otherwise. */
  private async claim(agencyId: string, reportId: string): Promise<ReportEntity> {
    if (!isUuid(reportId)) throw new NotFoundError('Report', reportId);
    return this.db.run(async (manager) => {
      const claimed = await manager
        .createQueryBuilder()
        .update(ReportEntity)
        .set({ status: 'RENDERING', attempts: () => 'attempts + 1', error: null, retryPending: false })
        .where('agency_id = :agencyId AND id = :id', { agencyId, id: reportId })
        .andWhere(`(status IN (:...claimable) OR (status = 'RENDERING' AND updated_at < now() - make_interval(secs => :stale)))`, {
          claimable: CLAIMABLE_STATUSES,
          stale: STALE_RENDERING_SECONDS,
        })
        .execute();
      const report = await manager.findOneBy(ReportEntity, { agencyId, id: reportId });
      if (report === null) throw new NotFoundError('Report', reportId);
      if (claimed.affected === 1) {
        await recordAudit(manager, { action: 'report.rendering', entityType: 'report', entityId: reportId, data: { attempt: report.attempts } });
        return report;
      }
      if (report.status === 'RENDERING') {
        throw new ConflictError(`Report ${reportId} is being rendered by another worker`, { status: report.status });
      }
      return report;
    });
  }

  /** Assembles the snapshot on the first attempt only; later attempts reuse the frozen one. */
  private async freezeSnapshot(report: ReportEntity, claim: Pick<ReportEntity, 'agencyId' | 'id' | 'status' | 'attempts'>): Promise<ReportEntity> {
    if (report.snapshot !== null) return report;
    const assembled = await this.assembler.assemble({
      clientId: report.clientId,
      kind: report.kind,
      periodStart: report.periodStart,
      authorUserId: report.requestedBy,
    });
    const snapshot = await this.db.run(async (manager) => ({
      ...assembled,
      corrections: await this.correctionsSince(manager, report, assembled),
      incompleteKpis: readinessWarningKpis(report.readinessWarning).map((key) => assembled.kpis.find((kpi) => kpi.key === key)?.name ?? key),
    }));
    return this.db.run(async (manager) => {
      await manager
        .createQueryBuilder()
        .update(ReportEntity)
        .set({ snapshot: () => ':snapshot::jsonb' })
        .setParameter('snapshot', JSON.stringify(snapshot))
        .where('agency_id = :agencyId AND id = :id AND status = :status AND attempts = :attempts AND snapshot IS NULL', claim)
        .execute();
      return manager.findOneByOrFail(ReportEntity, { agencyId: claim.agencyId, id: claim.id });
    });
  }

  /**
   * A new version of a report whose figures later values restated (see RestatementDetector): the
   * existing version machinery (requestReport → renderReport) with a snapshot assembled from
   * current values, which carries the corrections since the version it corrects. Only the latest
   * rendered version of its period can be corrected (an older one is already superseded).
   */
  async createCorrectedVersion(reportId: string): Promise<ReportEntity> {
    assertTenantCanWrite();
    const tenant = currentTenant();
    const requested = await this.db.run(async (manager) => {
      const report = await this.findVisible(manager, reportId);
      await this.assertClientActive(manager, report);
      if (!RENDERED_STATUSES.includes(report.status)) {
        throw new ConflictError(`Report ${report.id} is ${report.status}: only a READY, APPROVED or SENT report can be corrected`, { status: report.status });
      }
      const newer = await manager.existsBy(ReportEntity, {
        agencyId: tenant.agencyId,
        clientId: report.clientId,
        kind: report.kind,
        periodStart: report.periodStart,
        version: MoreThan(report.version),
      });
      if (newer) throw new ConflictError(`Report ${report.id} has a newer version: correct the latest one`, { status: report.status });
      return this.requestReport(manager, { clientId: report.clientId, kind: report.kind, periodStart: report.periodStart });
    });
    try {
      return await this.renderReport(tenant.agencyId, requested.id);
    } catch (error) {
      // Recorded on the report (FAILED with its error): the caller gets it back in that state.
      this.logger.warn(`Corrected report ${requested.id} failed to render: ${errorMessage(error)}`);
      return this.get(requested.id);
    }
  }

  /**
   * The restatements recorded on the latest earlier rendered version of the period, as this
   * version prints them: the earlier version's figure, this snapshot's figure, and when the change
   * was first found. Null when there is no earlier version or nothing was restated.
   */
  private async correctionsSince(manager: EntityManager, report: ReportEntity, snapshot: ReportSnapshot): Promise<ReportCorrections | null> {
    const corrected = await manager.findOne(ReportEntity, {
      where: {
        agencyId: report.agencyId,
        clientId: report.clientId,
        kind: report.kind,
        periodStart: report.periodStart,
        version: LessThan(report.version),
        status: In([...RENDERED_STATUSES]),
      },
      order: { version: 'DESC' },
    });
    if (corrected === null) return null;
    const restatements = await manager.find(ReportRestatementEntity, {
      where: { agencyId: report.agencyId, reportId: corrected.id },
      order: { detectedAt: 'ASC', id: 'ASC' },
    });
    if (restatements.length === 0) return null;
    const printed = new Map((frozenSnapshot(corrected)?.kpis ?? []).map((kpi) => [kpi.key, kpi]));
    const firstFound = new Map<string, Date>();
    for (const restatement of restatements) if (!firstFound.has(restatement.kpiKey)) firstFound.set(restatement.kpiKey, restatement.detectedAt);
    const items: ReportCorrection[] = [];
    // In the new snapshot's order (the scorecard's), KPIs that left the plan left out.
    for (const kpi of snapshot.kpis) {
      const foundAt = firstFound.get(kpi.key);
      if (foundAt === undefined) continue;
      items.push({
        kpiKey: kpi.key,
        name: kpi.name,
        unit: kpi.unit,
        oldValue: printed.get(kpi.key)?.value ?? null,
        newValue: kpi.value,
        foundAt: foundAt.toISOString(),
      });
    }
    return items.length === 0 ? null : { sinceVersion: corrected.version, items };
  }

  private async markFailed(claim: Pick<ReportEntity, 'agencyId' | 'id' | 'status' | 'attempts'>, error: unknown, retryPending: boolean): Promise<void> {
    const message = errorMessage(error);
    this.logger.error(`Report ${claim.id} failed to render (attempt ${claim.attempts}): ${message}`);
    await this.db.run(async (manager) => {
      const done = await manager.update(ReportEntity, claim, { status: 'FAILED', error: message, retryPending });
      if (done.affected === 1) {
        await recordAudit(manager, { action: 'report.failed', entityType: 'report', entityId: claim.id, data: { attempt: claim.attempts, error: message } });
      }
    });
  }

  private commentaryChanges(report: ReportEntity, input: ReportCommentaryInput): CommentaryChanges {
    const changes: CommentaryChanges = {};
    if (input.commentary !== undefined) {
      changes.commentary = input.commentary === null || input.commentary.trim() === '' ? null : input.commentary.trim();
    }
    if (input.kpiCommentary !== undefined) {
      const known = frozenSnapshot(report)?.kpis.map((kpi) => kpi.key) ?? null;
      const kpiCommentary: Record<string, string> = {};
      input.kpiCommentary.forEach((entry, index) => {
        if (known !== null && !known.includes(entry.kpiKey)) {
          throw BadUserInputError.forField(`kpiCommentary.${index}.kpiKey`, `"${entry.kpiKey}" is not a KPI of this report`);
        }
        if (entry.text.trim() !== '') kpiCommentary[entry.kpiKey] = entry.text.trim();
      });
      changes.kpiCommentary = kpiCommentary;
    }
    if (input.narrative !== undefined) {
      const paragraphs = input.narrative.map((paragraph) => paragraph.trim()).filter((paragraph) => paragraph !== '');
      changes.narrative = paragraphs.length === 0 ? null : paragraphs;
    }
    return changes;
  }
}
