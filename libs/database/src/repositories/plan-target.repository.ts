import type { EntityManager } from 'typeorm';

/**
 * Targets of a plan between two dates, keyed `kpiKey|YYYY-MM-01`. A plain query: hydrating a
 * few hundred entities per scorecard cost more than the query itself.
 */
export async function findPlanTargets(manager: EntityManager, plan: { agencyId: string; id: string }, from: string, to: string): Promise<Map<string, number>> {
  const rows = await manager.query<Array<{ kpi_key: string; month: string; value: number }>>(
    `SELECT kpi_key, to_char(month, 'YYYY-MM-DD') AS month, value::float8 AS value
       FROM monthly_targets WHERE agency_id = $1 AND plan_id = $2 AND month BETWEEN $3::date AND $4::date`,
    [plan.agencyId, plan.id, from, to],
  );
  return new Map(rows.map((row) => [`${row.kpi_key}|${row.month}`, row.value]));
}

/** Clients whose active plan holds the KPI `kpiKey`. */
export async function findClientsWithKpiInActivePlan(manager: EntityManager, agencyId: string, kpiKey: string): Promise<string[]> {
  const rows = await manager.query<Array<{ client_id: string }>>(
    `SELECT p.client_id FROM plan_kpis k
       JOIN kpi_plans p ON p.agency_id = k.agency_id AND p.id = k.plan_id
      WHERE k.agency_id = $1 AND k.kpi_key = $2 AND p.status = 'ACTIVE'`,
    [agencyId, kpiKey],
  );
  return rows.map((row) => row.client_id);
}
