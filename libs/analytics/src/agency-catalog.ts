import type { EntityManager } from 'typeorm';
import { CustomKpiEntity, CustomMetricEntity, currentTenant } from '@pilotage/database';
import { AgencyCatalog, type CustomKpiDefinition, type CustomMetricDefinition } from '@pilotage/kpi';

export function toCustomMetricDefinition(entity: CustomMetricEntity): CustomMetricDefinition {
  return {
    key: entity.key,
    name: entity.name,
    description: entity.description,
    unit: entity.unit,
    aggregation: entity.aggregation,
  };
}

export function toCustomKpiDefinition(entity: CustomKpiEntity): CustomKpiDefinition {
  return {
    key: entity.key,
    name: entity.name,
    description: entity.description,
    stage: entity.stage,
    category: entity.category,
    unit: entity.unit,
    direction: entity.direction,
    aggregation: entity.aggregation,
    formula: entity.formula,
    businessModels: entity.businessModels,
  };
}

/** The current agency's custom metrics, oldest first, inside the caller's tenant transaction. */
export function findCustomMetrics(manager: EntityManager): Promise<CustomMetricEntity[]> {
  return manager.find(CustomMetricEntity, { where: { agencyId: currentTenant().agencyId }, order: { createdAt: 'ASC', id: 'ASC' } });
}

/** The current agency's custom KPIs, oldest first, inside the caller's tenant transaction. */
export function findCustomKpis(manager: EntityManager): Promise<CustomKpiEntity[]> {
  return manager.find(CustomKpiEntity, { where: { agencyId: currentTenant().agencyId }, order: { createdAt: 'ASC', id: 'ASC' } });
}

/** Loads the current agency's custom definitions inside the caller's tenant transaction. */
export async function loadAgencyCatalog(manager: EntityManager): Promise<AgencyCatalog> {
  // One after the other: a transaction is one connection, which runs one query at a time anyway.
  const metrics = await findCustomMetrics(manager);
  const kpis = await findCustomKpis(manager);
  return new AgencyCatalog(metrics.map(toCustomMetricDefinition), kpis.map(toCustomKpiDefinition));
}
