import type { ReportEntity } from '@pilotage/database';
import { readinessWarningKpis } from '@pilotage/report-production';
import type { Report } from './report.model';

export function toReportModel(entity: ReportEntity): Report {
  return {
    id: entity.id,
    clientId: entity.clientId,
    kind: entity.kind,
    periodStart: entity.periodStart,
    periodEnd: entity.periodEnd,
    version: entity.version,
    status: entity.status,
    batchId: entity.batchId,
    pageCount: entity.pageCount,
    byteSize: entity.byteSize,
    checksum: entity.checksum,
    attempts: entity.attempts,
    error: entity.error,
    commentary: entity.commentary,
    kpiCommentary: Object.entries(entity.kpiCommentary).map(([kpiKey, text]) => ({ kpiKey, text })),
    narrative: entity.narrative,
    requestedBy: entity.requestedBy,
    renderedAt: entity.renderedAt,
    approvedAt: entity.approvedAt,
    sentAt: entity.sentAt,
    incompleteKpiKeys: readinessWarningKpis(entity.readinessWarning),
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
