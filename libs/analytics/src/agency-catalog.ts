import type { EntityManager } from 'typeorm';
import { CustomKpiEntity, CustomMetricEntity, currentTenant } from '@pilotage/database';
import {
  AgencyCatalog,
  type BusinessModel,
  type CustomKpiDefinition,
  type CustomMetricDefinition,
  type FunnelStage,
  type KpiAggregation,
  type KpiCategory,
  type KpiDirection,
  type KpiUnit,
  type MetricAggregation,
  type MetricUnit,
} from '@pilotage/kpi';

// The columns hold the domain's values (checked on write); the casts go once the entities are typed with the unions.
export function toCustomMetricDefinition(entity: CustomMetricEntity): CustomMetricDefinition {
  return {
    key: entity.key,
    name: entity.name,
    description: entity.description,
    unit: entity.unit as MetricUnit,
    aggregation: entity.aggregation as MetricAggregation,
  };
}

export function toCustomKpiDefinition(entity: CustomKpiEntity): CustomKpiDefinition {
  return {
    key: entity.key,
    name: entity.name,
    description: entity.description,
    stage: entity.stage as FunnelStage,
    category: entity.category as KpiCategory,
    unit: entity.unit as KpiUnit,
    direction: entity.direction as KpiDirection,
    aggregation: entity.aggregation as KpiAggregation,
    formula: entity.formula,
    businessModels: entity.businessModels as BusinessModel[],
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
