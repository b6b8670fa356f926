import type { EntityManager } from 'typeorm';
import type { ReportKind } from '../entities';

/** A FAILED report is final when the queue will not retry it (see `reports.retry_pending`). */
const FINALLY_FAILED = `r.status = 'FAILED' AND NOT r.retry_pending`;
const RENDERED = `r.status IN ('READY', 'APPROVED', 'SENT')`;

/** A batch's reports counted by status: a failure with a retry to come is still pending. */
const BATCH_PROGRESS_SQL = `
  SELECT b.id, b.kind, to_char(b.period_start, 'YYYY-MM-DD') AS "periodStart", b.total, b.created_at AS "createdAt",
         count(r.id) FILTER (WHERE ${RENDERED})::int AS done,
         count(r.id) FILTER (WHERE ${FINALLY_FAILED})::int AS failed
    FROM report_batches b
    LEFT JOIN reports r ON r.agency_id = b.agency_id AND r.batch_id = b.id
   WHERE b.agency_id = $1 AND b.id = ANY($2::uuid[])
   GROUP BY b.agency_id, b.id
   ORDER BY b.created_at DESC, b.id`;

const REPORTS_PROGRESS_SQL = `
  SELECT count(*)::int AS total,
         count(*) FILTER (WHERE ${RENDERED})::int AS done,
         count(*) FILTER (WHERE ${FINALLY_FAILED})::int AS failed
    FROM reports r
   WHERE r.agency_id = $1 AND r.id = ANY($2::uuid[])`;

/** A batch with its reports counted: rendered, and failed for good (a failure with a retry to come is neither). */
export interface ReportBatchCounts {
  readonly id: string;
  readonly kind: ReportKind;
  readonly periodStart: string;
  readonly total: number;
  readonly createdAt: Date;
  readonly done: number;
  readonly failed: number;
}

/** The batches of `batchIds`, newest first, with their reports counted. */
export function countBatchesByOutcome(manager: EntityManager, agencyId: string, batchIds: readonly string[]): Promise<ReportBatchCounts[]> {
  return manager.query<ReportBatchCounts[]>(BATCH_PROGRESS_SQL, [agencyId, batchIds]);
}

/** Any set of reports counted like a batch's. */
export async function countReportsByOutcome(
  manager: EntityManager,
  agencyId: string,
  reportIds: readonly string[],
): Promise<{ total: number; done: number; failed: number }> {
  const [row] = await manager.query<{ total: number; done: number; failed: number }[]>(REPORTS_PROGRESS_SQL, [agencyId, reportIds]);
  return row;
}
