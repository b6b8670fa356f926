import { REPORT_SNAPSHOT_SCHEMA_VERSION, type ReportSnapshot } from '@pilotage/reporting';
import type { ReportEntity } from '@pilotage/database';

/** The frozen snapshot of a report row, checked to be one this code knows how to render. */
export function frozenSnapshot(report: Pick<ReportEntity, 'id' | 'snapshot'>): ReportSnapshot | null {
  const snapshot = report.snapshot;
  if (snapshot === null) return null;
  const version = 'schemaVersion' in snapshot ? snapshot.schemaVersion : undefined;
  if (version !== REPORT_SNAPSHOT_SCHEMA_VERSION) {
    throw new Error(`Report ${report.id} has a snapshot of schema version ${String(version)}, expected ${REPORT_SNAPSHOT_SCHEMA_VERSION}`);
  }
  // The row's JSON was written from a ReportSnapshot of this schema version (see freezeSnapshot).
  return snapshot as ReportSnapshot;
}

/**
 * The snapshot as printed: its frozen numbers with the report's current editorial content
 * (the manager's commentary, per-KPI commentary and edited narrative). Keeping that content
 * on the row means editing it re-renders the same figures without re-reading the database.
 */
export function withEditorialContent(snapshot: ReportSnapshot, report: Pick<ReportEntity, 'commentary' | 'kpiCommentary' | 'narrative'>): ReportSnapshot {
  return {
    ...snapshot,
    commentary: report.commentary,
    narrative: report.narrative ?? [],
    kpis: snapshot.kpis.map((kpi) => ({ ...kpi, commentary: report.kpiCommentary[kpi.key] ?? null })),
  };
}
