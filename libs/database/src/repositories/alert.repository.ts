import type { EntityManager } from 'typeorm';
import { AlertEntity, AlertSettingEntity, type AlertRule, type AlertSensitivity, type AlertSeverity, type AlertStatus } from '../entities';
import { keysetPage, type KeysetPage, type KeysetPageRequest } from '../pagination';

/*
 * The alerts' reads and writes (libs/alerts holds no SQL). Every function runs on the caller's
 * tenant transaction (`TenantDatabase.run`): row-level security keeps each agency to its own rows.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The rows of a `... RETURNING` (TypeORM shapes an UPDATE's as `[rows, count]`). */
function returnedRows(result: unknown): Record<string, unknown>[] {
  const rows: unknown = Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result;
  return Array.isArray(rows) ? rows.filter(isRecord) : [];
}

/**
 * The client's alerts the evaluation may touch, in one read: the OPEN and ACKNOWLEDGED ones (to
 * update or resolve) and any alert, RESOLVED included, whose key a finding has (a resolved alert is
 * not reopened for the same period).
 */
export function findEvaluatedAlerts(manager: EntityManager, agencyId: string, clientId: string, dedupKeys: readonly string[]): Promise<AlertEntity[]> {
  return manager
    .createQueryBuilder(AlertEntity, 'alert')
    .where('alert.agencyId = :agencyId AND alert.clientId = :clientId', { agencyId, clientId })
    .andWhere(`(alert.status IN ('OPEN', 'ACKNOWLEDGED') OR alert.dedupKey = ANY(:dedupKeys))`, { dedupKeys: [...dedupKeys] })
    .getMany();
}

/** A finding of the evaluation, as stored. */
export interface AlertFindingRow {
  readonly rule: AlertRule;
  readonly kpiKey: string;
  readonly periodKey: string;
  readonly dedupKey: string;
  readonly severity: AlertSeverity;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

/** Opens a new alert (its key must not exist: the caller read them in the same transaction). One statement. */
export async function insertAlert(manager: EntityManager, agencyId: string, clientId: string, id: string, finding: AlertFindingRow): Promise<AlertEntity> {
  const result: unknown = await manager.query(
    `INSERT INTO alerts (agency_id, id, client_id, rule, kpi_key, period_key, dedup_key, status, severity, message, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'OPEN', $8, $9, $10::jsonb)
     RETURNING opened_at, last_evaluated_at`,
    [
      agencyId,
      id,
      clientId,
      finding.rule,
      finding.kpiKey,
      finding.periodKey,
      finding.dedupKey,
      finding.severity,
      finding.message,
      JSON.stringify(finding.details),
    ],
  );
  const [row] = returnedRows(result);
  const openedAt = row?.opened_at instanceof Date ? row.opened_at : new Date();
  return manager.create(AlertEntity, {
    agencyId,
    id,
    clientId,
    ...finding,
    status: 'OPEN',
    openedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    lastEvaluatedAt: row?.last_evaluated_at instanceof Date ? row.last_evaluated_at : openedAt,
  });
}

/**
 * Brings an OPEN or ACKNOWLEDGED alert's numbers, message and severity up to date; touches no
 * row when they are the same (evaluating twice changes nothing). Whether it changed.
 */
export async function refreshAlert(manager: EntityManager, agencyId: string, id: string, finding: AlertFindingRow): Promise<boolean> {
  const result: unknown = await manager.query(
    `UPDATE alerts SET severity = $3, message = $4, details = $5::jsonb, last_evaluated_at = now()
      WHERE agency_id = $1 AND id = $2 AND status IN ('OPEN', 'ACKNOWLEDGED')
        AND (severity, message, details) IS DISTINCT FROM ($3, $4, $5::jsonb)
      RETURNING id`,
    [agencyId, id, finding.severity, finding.message, JSON.stringify(finding.details)],
  );
  return returnedRows(result).length > 0;
}

/** Resolves OPEN or ACKNOWLEDGED alerts whose condition no longer holds (by the evaluation: resolved_by null). The ids resolved. */
export async function resolveAlertsByEvaluation(manager: EntityManager, agencyId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const result: unknown = await manager.query(
    `UPDATE alerts SET status = 'RESOLVED', resolved_at = now(), resolved_by = NULL, last_evaluated_at = now()
      WHERE agency_id = $1 AND id = ANY($2::uuid[]) AND status IN ('OPEN', 'ACKNOWLEDGED')
      RETURNING id`,
    [agencyId, [...ids]],
  );
  return returnedRows(result).flatMap((row) => (typeof row.id === 'string' ? [row.id] : []));
}

/**
 * An OPEN alert acknowledged by a person; an ACKNOWLEDGED or RESOLVED one stays as it is. Null
 * when the alert does not exist for this tenant.
 */
export async function acknowledgeAlert(manager: EntityManager, agencyId: string, id: string, userId: string | null): Promise<AlertEntity | null> {
  await manager.query(
    `UPDATE alerts SET status = 'ACKNOWLEDGED', acknowledged_at = now(), acknowledged_by = $3
      WHERE agency_id = $1 AND id = $2 AND status = 'OPEN'`,
    [agencyId, id, userId],
  );
  return manager.findOneBy(AlertEntity, { agencyId, id });
}

/** An OPEN or ACKNOWLEDGED alert resolved by a person (resolved_by); a RESOLVED one stays as it is. Null when it does not exist. */
export async function resolveAlertByUser(manager: EntityManager, agencyId: string, id: string, userId: string | null): Promise<AlertEntity | null> {
  await manager.query(
    `UPDATE alerts SET status = 'RESOLVED', resolved_at = now(), resolved_by = $3
      WHERE agency_id = $1 AND id = $2 AND status IN ('OPEN', 'ACKNOWLEDGED')`,
    [agencyId, id, userId],
  );
  return manager.findOneBy(AlertEntity, { agencyId, id });
}

export function findAlert(manager: EntityManager, agencyId: string, id: string): Promise<AlertEntity | null> {
  return manager.findOneBy(AlertEntity, { agencyId, id });
}

/** A client's settings: its default (`kpiKey` '') and its KPIs'. */
export function findAlertSettings(manager: EntityManager, agencyId: string, clientId: string): Promise<AlertSettingEntity[]> {
  return manager.find(AlertSettingEntity, { where: { agencyId, clientId }, order: { kpiKey: 'ASC' } });
}

/** Sets a client's (`kpiKey` '') or a KPI's setting; what is not given keeps its value (or the default for a new row). */
export async function upsertAlertSetting(
  manager: EntityManager,
  setting: { agencyId: string; clientId: string; kpiKey: string; muted?: boolean | null; sensitivity?: AlertSensitivity | null; updatedBy: string | null },
): Promise<AlertSettingEntity> {
  await manager.query(
    `INSERT INTO alert_settings (agency_id, client_id, kpi_key, muted, sensitivity, updated_by, updated_at)
     VALUES ($1, $2, $3, coalesce($4, false), coalesce($5, 'NORMAL'), $6, now())
     ON CONFLICT (agency_id, client_id, kpi_key) DO UPDATE
       SET muted = coalesce($4, alert_settings.muted), sensitivity = coalesce($5, alert_settings.sensitivity),
           updated_by = $6, updated_at = now()`,
    [setting.agencyId, setting.clientId, setting.kpiKey, setting.muted ?? null, setting.sensitivity ?? null, setting.updatedBy],
  );
  return manager.findOneByOrFail(AlertSettingEntity, { agencyId: setting.agencyId, clientId: setting.clientId, kpiKey: setting.kpiKey });
}

/**
 * For each of `metricKeys`, the days (DAY granularity) with a stored value from `from` on: one
 * query for every KPI's no-data rule. A stored zero is a day with data.
 */
export async function findMetricDays(
  manager: EntityManager,
  agencyId: string,
  clientId: string,
  metricKeys: readonly string[],
  from: string,
): Promise<Map<string, string[]>> {
  const days = new Map<string, string[]>();
  if (metricKeys.length === 0) return days;
  const rows: unknown = await manager.query(
    `SELECT metric_key, array_agg(DISTINCT to_char(date, 'YYYY-MM-DD')) AS days
       FROM metric_values
      WHERE agency_id = $1 AND client_id = $2 AND metric_key = ANY($3::text[]) AND date >= $4::date AND granularity = 'DAY'
      GROUP BY metric_key`,
    [agencyId, clientId, [...metricKeys], from],
  );
  for (const row of returnedRows(rows)) {
    if (typeof row.metric_key === 'string' && Array.isArray(row.days))
      days.set(
        row.metric_key,
        row.days.filter((day) => typeof day === 'string'),
      );
  }
  return days;
}

/** Filters of the alerts list. */
export interface AlertFilters {
  readonly agencyId: string;
  /** Only these clients' (a viewer's one client); all the agency's when absent. */
  readonly clientIds?: readonly string[] | null;
  readonly status?: AlertStatus | null;
  readonly rule?: AlertRule | null;
  readonly kpiKey?: string | null;
}

/** One page of an agency's alerts, newest first. */
export function findAlertsPage(manager: EntityManager, filters: AlertFilters, page: KeysetPageRequest): Promise<KeysetPage<AlertEntity>> {
  const query = manager.createQueryBuilder(AlertEntity, 'alert').where('alert.agencyId = :agencyId', { agencyId: filters.agencyId });
  if (filters.clientIds) query.andWhere('alert.clientId = ANY(:clientIds)', { clientIds: [...filters.clientIds] });
  if (filters.status) query.andWhere('alert.status = :status', { status: filters.status });
  if (filters.rule) query.andWhere('alert.rule = :rule', { rule: filters.rule });
  if (filters.kpiKey) query.andWhere('alert.kpiKey = :kpiKey', { kpiKey: filters.kpiKey });
  return keysetPage(query, page, { alias: 'alert', sortBy: 'openedAt', direction: 'DESC' });
}

/**
 * The agency's alerts a digest tells: those opened since `since`, and those still OPEN whatever
 * their age, oldest first per client.
 */
export function findDigestAlerts(manager: EntityManager, agencyId: string, since: Date): Promise<AlertEntity[]> {
  return manager
    .createQueryBuilder(AlertEntity, 'alert')
    .where('alert.agencyId = :agencyId', { agencyId })
    .andWhere(`(alert.openedAt >= :since OR alert.status = 'OPEN')`, { since })
    .orderBy('alert.clientId')
    .addOrderBy('alert.openedAt')
    .addOrderBy('alert.id')
    .getMany();
}
