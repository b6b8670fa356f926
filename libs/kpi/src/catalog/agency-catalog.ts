import type { BusinessModel, FunnelStage, KpiDirection, KpiUnit, MetricAggregation, MetricUnit } from '../domain';
import type { RecommendableKpi } from '../recommendations/recommend-kpis';
import { findKpi, type KpiAggregation, type KpiCategory } from './kpi-catalog';
import { findMetric } from './metric-catalog';
import { resolveRequiredMetrics } from './required-metrics';

/** A metric an agency defines beyond the system catalog, as the domain reads it (no storage fields). */
export interface CustomMetricDefinition {
  readonly key: string;
  /** Written by the agency in its own language, shown as-is whatever the requested locale. */
  readonly name: string;
  readonly description: string;
  readonly unit: MetricUnit;
  readonly aggregation: MetricAggregation;
}

/** A KPI an agency defines as a formula over metrics and KPIs (catalog or its own). */
export interface CustomKpiDefinition {
  readonly key: string;
  /** Written by the agency in its own language, shown as-is whatever the requested locale. */
  readonly name: string;
  readonly description: string;
  readonly stage: FunnelStage;
  readonly category: KpiCategory;
  readonly unit: KpiUnit;
  readonly direction: KpiDirection;
  readonly aggregation: KpiAggregation;
  readonly formula: string;
  readonly businessModels: readonly BusinessModel[];
}

/** What the engine needs to know of any KPI, whether from the system catalog or the agency's own. */
export interface KnownKpi {
  readonly key: string;
  readonly stage: FunnelStage;
  readonly unit: KpiUnit;
  readonly aggregation: KpiAggregation;
  readonly formula: string;
  readonly custom: boolean;
}

export function toRecommendableKpi(kpi: CustomKpiDefinition): RecommendableKpi {
  return {
    key: kpi.key,
    // Agency-written texts have one language: the same text answers every locale.
    name: { fr: kpi.name, en: kpi.name },
    stage: kpi.stage,
    formula: kpi.formula,
    businessModels: kpi.businessModels,
  };
}

/**
 * The system catalogs merged with one agency's custom metrics and KPIs, built once per unit of
 * work. Catalog keys win; custom keys never collide with them (checked on write).
 */
export class AgencyCatalog {
  private readonly customMetricsByKey: ReadonlyMap<string, CustomMetricDefinition>;
  private readonly customKpisByKey: ReadonlyMap<string, CustomKpiDefinition>;

  constructor(
    readonly customMetrics: readonly CustomMetricDefinition[],
    readonly customKpis: readonly CustomKpiDefinition[],
  ) {
    this.customMetricsByKey = new Map(customMetrics.map((metric) => [metric.key, metric]));
    this.customKpisByKey = new Map(customKpis.map((kpi) => [kpi.key, kpi]));
  }

  isMetric(key: string): boolean {
    return findMetric(key) !== undefined || this.customMetricsByKey.has(key);
  }

  customMetric(key: string): CustomMetricDefinition | undefined {
    return this.customMetricsByKey.get(key);
  }

  customKpi(key: string): CustomKpiDefinition | undefined {
    return this.customKpisByKey.get(key);
  }

  findKpi(key: string): KnownKpi | undefined {
    const system = findKpi(key);
    if (system) {
      return { key, stage: system.stage, unit: system.unit, aggregation: system.aggregation, formula: system.formula, custom: false };
    }
    const custom = this.customKpisByKey.get(key);
    if (!custom) return undefined;
    return { key, stage: custom.stage, unit: custom.unit, aggregation: custom.aggregation, formula: custom.formula, custom: true };
  }

  /** Metrics (catalog or custom) a KPI needs, references to other KPIs followed down. */
  requiredMetrics(kpi: { key: string; formula: string }): string[] {
    return resolveRequiredMetrics(
      kpi,
      (key) => this.findKpi(key),
      (key) => this.isMetric(key),
    );
  }

  /** Every metric a set of KPIs needs, once each; unknown KPI keys need none. */
  metricsOfKpis(kpiKeys: readonly string[]): string[] {
    return [
      ...new Set(
        kpiKeys.flatMap((key) => {
          const kpi = this.findKpi(key);
          return kpi ? this.requiredMetrics(kpi) : [];
        }),
      ),
    ];
  }

  /** Whether the system catalogs already use `key`, as a metric or as a KPI. */
  isCatalogKey(key: string): boolean {
    return findMetric(key) !== undefined || findKpi(key) !== undefined;
  }
}
