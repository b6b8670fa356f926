import type { EntityManager } from 'typeorm';
import { currentTenant } from '../tenancy/tenant-context';
import { MetricImportEntity, type MetricImportErrorSummary, type MetricImportKind, type MetricImportStatus } from '../entities';
import type { MetricValueBatchTarget, MetricValueWriteCounts } from './metric-value.repository';

/** One import batch as the history keeps it: a recordMetricValues call or a CSV file. */
export interface MetricImportRecord extends MetricValueWriteCounts {
  readonly kind: MetricImportKind;
  readonly fileName: string | null;
  readonly status: MetricImportStatus;
  /** Valid values read. */
  readonly rows: number;
  readonly errors: MetricImportErrorSummary;
  /** The data connection whose sync wrote the batch (kind SYNC). */
  readonly connectionId?: string;
}

/**
 * Records an import batch (committed or rejected) under the target's import id, in the caller's
 * tenant transaction; a batch sent with an API key names the key (from the tenant context).
 */
export async function insertMetricImport(manager: EntityManager, target: MetricValueBatchTarget, record: MetricImportRecord): Promise<void> {
  await manager.insert(MetricImportEntity, {
    agencyId: target.agencyId,
    id: target.importId,
    clientId: target.clientId,
    kind: record.kind,
    fileName: record.fileName,
    status: record.status,
    rows: record.rows,
    inserted: record.inserted,
    updated: record.updated,
    unchanged: record.unchanged,
    errors: record.errors,
    createdBy: target.enteredBy,
    apiKeyId: currentTenant().apiKeyId ?? null,
    connectionId: record.connectionId ?? null,
  });
}
