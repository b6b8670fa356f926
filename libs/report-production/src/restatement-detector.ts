import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { lockForTransaction, ReportEntity, ReportRestatementEntity, runWithTenant, systemContext, TenantDatabase } from '@pilotage/database';
import { DomainEvents } from '@pilotage/events';
import { loadAgencyCatalog } from '@pilotage/analytics';
import type { KpiStatus } from '@pilotage/reporting';
import { frozenSnapshot } from './report-content';
import { ReportSnapshotAssembler } from './report-snapshot.assembler';
import { RENDERED_STATUSES } from './reports.service';
import { restatementChanges, type KpiFigure, type RestatementChange } from './restatement-changes';

/** A restatement this check recorded. */
export interface RecordedRestatement extends RestatementChange {
  readonly id: string;
  readonly reportId: string;
  readonly importId: string | null;
}

const KPI_STATUSES: readonly string[] = ['ON_TRACK', 'AT_RISK', 'OFF_TRACK', 'NO_DATA', 'NO_TARGET'] satisfies readonly KpiStatus[];

function isKpiStatus(value: string | null): value is KpiStatus {
  return value !== null && KPI_STATUSES.includes(value);
}

/** `numeric` columns travel as text: the value as PostgreSQL stores it, for the idempotency check. */
function numericText(value: number | null): string | null {
  return value === null ? null : String(value);
}

/**
 * Checks a client's READY, APPROVED and SENT reports against current values after an import or
 * a sync chunk changed them (the restatements.check job, debounced per client). Each report's
 * figures are assembled again by the same assembler that froze them — one KPI engine — and
 * compared with what the report told (its frozen snapshot, or the latest restatement of a KPI;
 * see restatementChanges for the thresholds). Running it
 * twice records nothing more: a (report, KPI, new value) already recorded is skipped.
 */
@Injectable()
export class RestatementDetector {
  constructor(
    private readonly db: TenantDatabase,
    private readonly assembler: ReportSnapshotAssembler,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  checkClient(agencyId: string, clientId: string): Promise<RecordedRestatement[]> {
    return runWithTenant(systemContext(agencyId), async () => {
      const reports = await this.db.run((manager) => this.latestRenderedReports(manager, agencyId, clientId));
      const recorded: RecordedRestatement[] = [];
      for (const report of reports) recorded.push(...(await this.checkReport(report)));
      return recorded;
    });
  }

  /** The latest READY, APPROVED or SENT version of each period of the client: earlier versions are superseded. */
  private latestRenderedReports(manager: EntityManager, agencyId: string, clientId: string): Promise<ReportEntity[]> {
    return manager
      .createQueryBuilder(ReportEntity, 'report')
      .distinctOn(['report.kind', 'report.periodStart'])
      .where('report.agencyId = :agencyId AND report.clientId = :clientId AND report.status IN (:...statuses)', {
        agencyId,
        clientId,
        statuses: RENDERED_STATUSES,
      })
      .andWhere('report.snapshot IS NOT NULL')
      .orderBy('report.kind')
      .addOrderBy('report.periodStart')
      .addOrderBy('report.version', 'DESC')
      .getMany();
  }

  private async checkReport(report: ReportEntity): Promise<RecordedRestatement[]> {
    const frozen = frozenSnapshot(report);
    if (frozen === null) return [];
    // Outside any transaction: the assembler opens its own, as when the report was frozen.
    const current = await this.assembler.assemble({ clientId: report.clientId, kind: report.kind, periodStart: report.periodStart, authorUserId: null });
    const baseline = await this.db.run((manager) => this.lastKnownFigures(manager, report, frozen.kpis));
    const changes = restatementChanges(baseline, current.kpis, {
      volumeRatio: this.config.alerts.restatementVolumeRatio,
      ratePoints: this.config.alerts.restatementRatePoints,
    });
    if (changes.length === 0) return [];
    return this.db.run(async (manager) => {
      // Two checks of the same client (a retry beside a new job) record each change once.
      await lockForTransaction(manager, `restatement:${report.agencyId}:${report.id}`);
      const catalog = await loadAgencyCatalog(manager);
      const recorded: RecordedRestatement[] = [];
      for (const change of changes) {
        const known = await manager
          .createQueryBuilder(ReportRestatementEntity, 'restatement')
          .where('restatement.agencyId = :agencyId AND restatement.reportId = :reportId AND restatement.kpiKey = :kpiKey', {
            agencyId: report.agencyId,
            reportId: report.id,
            kpiKey: change.kpiKey,
          })
          .andWhere('restatement.newValue IS NOT DISTINCT FROM CAST(:newValue AS numeric)', { newValue: numericText(change.newValue) })
          .getExists();
        if (known) continue;
        const importId = await this.restatingImport(manager, report, catalog.metricsOfKpis([change.kpiKey]));
        const id = randomUUID();
        await manager.insert(ReportRestatementEntity, {
          agencyId: report.agencyId,
          id,
          reportId: report.id,
          clientId: report.clientId,
          kpiKey: change.kpiKey,
          oldValue: numericText(change.oldValue),
          newValue: numericText(change.newValue),
          oldStatus: change.oldStatus,
          newStatus: change.newStatus,
          importId,
        });
        await this.events.emit(manager, {
          type: 'restatement.found',
          agencyId: report.agencyId,
          clientId: report.clientId,
          data: {
            restatementId: id,
            reportId: report.id,
            reportVersion: report.version,
            kind: report.kind,
            periodStart: report.periodStart,
            kpiKey: change.kpiKey,
            oldValue: change.oldValue,
            newValue: change.newValue,
            oldStatus: change.oldStatus,
            newStatus: change.newStatus,
            importId,
          },
        });
        recorded.push({ ...change, id, reportId: report.id, importId });
      }
      return recorded;
    });
  }

  /**
   * What the client was last told of each KPI: the frozen figure, or the latest restatement's new
   * figure once one was recorded. Comparing with it rather than with the frozen figure alone means
   * a small drift after a restatement (one more late order) is not recorded again and again.
   */
  private async lastKnownFigures(manager: EntityManager, report: ReportEntity, frozen: readonly KpiFigure[]): Promise<KpiFigure[]> {
    const latest = await manager
      .createQueryBuilder(ReportRestatementEntity, 'restatement')
      .distinctOn(['restatement.kpiKey'])
      .where('restatement.agencyId = :agencyId AND restatement.reportId = :reportId', { agencyId: report.agencyId, reportId: report.id })
      .orderBy('restatement.kpiKey')
      .addOrderBy('restatement.detectedAt', 'DESC')
      .addOrderBy('restatement.id', 'DESC')
      .getMany();
    const byKpi = new Map(latest.map((restatement) => [restatement.kpiKey, restatement]));
    return frozen.map((figure) => {
      const restated = byKpi.get(figure.key);
      if (restated === undefined) return figure;
      return {
        ...figure,
        value: restated.newValue === null ? null : Number(restated.newValue),
        status: isKpiStatus(restated.newStatus) ? restated.newStatus : figure.status,
      };
    });
  }

  /**
   * The import (or sync chunk) that restated a KPI: the most recent committed metric_imports row
   * of the client that last wrote one of the KPI's metrics in the report's period
   * (metric_values.import_batch_id is the import that last wrote each value). Null when none
   * did (the values came from before imports were recorded, or a KPI lost its metrics).
   */
  private async restatingImport(manager: EntityManager, report: ReportEntity, metricKeys: readonly string[]): Promise<string | null> {
    if (metricKeys.length === 0) return null;
    const rows: { id: string }[] = await manager.query(
      `SELECT i.id
         FROM metric_imports i
        WHERE i.agency_id = $1 AND i.client_id = $2 AND i.status = 'COMMITTED'
          AND EXISTS (
            SELECT 1 FROM metric_values v
             WHERE v.agency_id = i.agency_id AND v.client_id = i.client_id AND v.import_batch_id = i.id
               AND v.metric_key = ANY($3::text[]) AND v.date BETWEEN $4 AND $5)
        ORDER BY i.created_at DESC, i.id DESC
        LIMIT 1`,
      [report.agencyId, report.clientId, metricKeys, report.periodStart, report.periodEnd],
    );
    return rows[0]?.id ?? null;
  }
}
