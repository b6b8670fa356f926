import type { EntityManager } from 'typeorm';
import { CustomKpiEntity, CustomMetricEntity, currentTenant } from '@pilotage/database';
import {
  findKpi,
  findMetric,
  resolveRequiredMetrics,
  type FunnelStage,
  type KpiAggregation,
  type KpiUnit,
  type RecommendableKpi,
} from '@pilotage/kpi';

/** What the API needs to know of any KPI, whether from the system catalog or the agency's own. */
export interface KnownKpi {
  readonly key: string;
  readonly stage: FunnelStage;
  readonly unit: KpiUnit;
  readonly aggregation: KpiAggregation;
  readonly formula: string;
  readonly custom: boolean;
}

export function toRecommendableKpi(entity: CustomKpiEntity): RecommendableKpi {
  return {
    key: entity.key,
    // Agency-written texts have one language: the same text answers every locale.
    name: { fr: entity.name, en: entity.name },
    stage: entity.stage,
    formula: entity.formula,
    businessModels: entity.businessModels,
  };
}

/**
 * The system catalogs merged with the current agency's custom metrics and KPIs, loaded once per
 * unit of work. Catalog keys win; custom keys never collide with them (checked on write).
 */
export class AgencyCatalog {
  private readonly customMetricsByKey: ReadonlyMap<string, CustomMetricEntity>;
  private readonly customKpisByKey: ReadonlyMap<string, CustomKpiEntity>;

  constructor(
    readonly customMetrics: readonly CustomMetricEntity[],
    readonly customKpis: readonly CustomKpiEntity[],
  ) {
    this.customMetricsByKey = new Map(customMetrics.map((metric) => [metric.key, metric]));
    this.customKpisByKey = new Map(customKpis.map((kpi) => [kpi.key, kpi]));
  }

  isMetric(key: string): boolean {
    return findMetric(key) !== undefined || this.customMetricsByKey.has(key);
  }

  customMetric(key: string): CustomMetricEntity | undefined {
    return this.customMetricsByKey.get(key);
  }

  customKpi(key: string): CustomKpiEntity | undefined {
    return this.customKpisByKey.get(key);
  }

  findKpi(key: string): KnownKpi | undefined {
    const system = findKpi(key);
    if (system) {
      return { key, stage: system.stage, unit: system.unit, aggregation: system.aggregation, formula: system.formula, custom: false };
    }
    const custom = this.customKpisByKey.get(key);
    if (!custom) return undefined;
    return {
      key,
      stage: custom.stage,
      unit: custom.unit,
      aggregation: custom.aggregation,
      formula: custom.formula,
      custom: true,
    };
  }

  /** Metrics (catalog or custom) a KPI needs, references to other KPIs followed down. */
  requiredMetrics(kpi: { key: string; formula: string }): string[] {
    return resolveRequiredMetrics(kpi, (key) => this.findKpi(key), (key) => this.isMetric(key));
  }

  /** Every metric a set of KPIs needs, once each; unknown KPI keys need none. */
  metricsOfKpis(kpiKeys: readonly string[]): string[] {
    return [...new Set(kpiKeys.flatMap((key) => {
      const kpi = this.findKpi(key);
      return kpi ? this.requiredMetrics(kpi) : [];
    }))];
  }

  /** Whether the system catalogs already use `key`, as a metric or as a KPI. */
  isCatalogKey(key: string): boolean {
    return findMetric(key) !== undefined || findKpi(key) !== undefined;
  }
}

/** Loads the current agency's custom definitions inside the caller's tenant transaction. */
export async function loadAgencyCatalog(manager: EntityManager): Promise<AgencyCatalog> {
  const { agencyId } = currentTenant();
  // One after the other: a transaction is one connection, which runs one query at a time anyway.
  const metrics = await manager.find(CustomMetricEntity, { where: { agencyId }, order: { createdAt: 'ASC', id: 'ASC' } });
  const kpis = await manager.find(CustomKpiEntity, { where: { agencyId }, order: { createdAt: 'ASC', id: 'ASC' } });
  return new AgencyCatalog(metrics, kpis);
}
