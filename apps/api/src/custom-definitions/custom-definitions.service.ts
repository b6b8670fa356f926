import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CustomKpiEntity,
  CustomMetricEntity,
  currentTenant,
  findClientsWithKpiInActivePlan,
  isUuid,
  lockForTransaction,
  recordAudit,
  TenantDatabase,
} from '@pilotage/database';
import {
  BUSINESS_MODELS,
  FormulaCycleError,
  FormulaReferenceError,
  FormulaSyntaxError,
  formulaReferences,
  isFormulaFunctionName,
  KPI_CATALOG,
  orderByDependencies,
  parseFormula,
  type AgencyCatalog,
  type FunnelStage,
  type KpiCategory,
} from '@pilotage/kpi';
import { BadUserInputError, ConflictError, NotFoundError } from '@pilotage/common';
import { findCustomKpis, findCustomMetrics, loadAgencyCatalog, toCustomKpiDefinition } from '@pilotage/analytics';
import type { CustomKpi, CustomMetric } from './custom-definition.models';
import type { CreateCustomKpiInput, CreateCustomMetricInput, UpdateCustomKpiInput, UpdateCustomMetricInput } from './dto/custom-definition.inputs';

/** Every funnel stage has the category of the same name: a custom KPI's default category. */
const STAGE_CATEGORIES: Readonly<Record<FunnelStage, KpiCategory>> = {
  ACQUISITION: 'acquisition',
  CONVERSION: 'conversion',
  ENGAGEMENT: 'engagement',
  REVENUE: 'revenue',
  REFERRAL: 'referral',
};

export function toCustomMetricModel(entity: CustomMetricEntity): CustomMetric {
  return {
    id: entity.id,
    key: entity.key,
    name: entity.name,
    description: entity.description,
    unit: entity.unit,
    aggregation: entity.aggregation,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toCustomKpiModel(entity: CustomKpiEntity): CustomKpi {
  return {
    id: entity.id,
    ...toCustomKpiDefinition(entity),
    businessModels: entity.businessModels,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

/**
 * The agency's own metrics and KPIs. Keys share one namespace with the system catalogs (a
 * formula reference is resolved as a metric first, then a KPI), so a custom key never reuses a
 * catalog key or another custom key, and a formula is accepted only when it parses, references
 * known keys and closes no cycle.
 */
@Injectable()
export class CustomDefinitionsService {
  constructor(private readonly db: TenantDatabase) {}

  async listMetrics(): Promise<CustomMetric[]> {
    return this.db.run(async (manager) => (await findCustomMetrics(manager)).map(toCustomMetricModel));
  }

  async listKpis(): Promise<CustomKpi[]> {
    return this.db.run(async (manager) => (await findCustomKpis(manager)).map(toCustomKpiModel));
  }

  async createMetric(input: CreateCustomMetricInput): Promise<CustomMetric> {
    const { agencyId } = currentTenant();
    return this.db.run(async (manager) => {
      await this.lockKeys(manager);
      const catalog = await loadAgencyCatalog(manager);
      this.assertKeyFree(catalog, input.key);
      const entity = manager.create(CustomMetricEntity, {
        agencyId,
        id: randomUUID(),
        key: input.key,
        name: input.name.trim(),
        description: input.description?.trim() ?? '',
        unit: input.unit,
        aggregation: input.aggregation,
      });
      await manager.insert(CustomMetricEntity, entity);
      await recordAudit(manager, { action: 'custom_metric.created', entityType: 'custom_metric', entityId: entity.id, data: { key: entity.key } });
      return toCustomMetricModel(await manager.findOneByOrFail(CustomMetricEntity, { agencyId, id: entity.id }));
    });
  }

  async updateMetric(input: UpdateCustomMetricInput): Promise<CustomMetric> {
    return this.db.run(async (manager) => {
      const entity = await this.findMetric(manager, input.id);
      const changes: Partial<CustomMetricEntity> = {};
      if (input.name !== undefined) changes.name = input.name.trim();
      if (input.description !== undefined) changes.description = input.description.trim();
      if (input.unit !== undefined) changes.unit = input.unit;
      if (input.aggregation !== undefined) changes.aggregation = input.aggregation;
      Object.assign(entity, changes);
      await manager.save(CustomMetricEntity, entity);
      await recordAudit(manager, {
        action: 'custom_metric.updated',
        entityType: 'custom_metric',
        entityId: entity.id,
        data: { changes: Object.keys(changes) },
      });
      return toCustomMetricModel(entity);
    });
  }

  async deleteMetric(id: string): Promise<CustomMetric> {
    return this.db.run(async (manager) => {
      await this.lockKeys(manager);
      const entity = await this.findMetric(manager, id);
      const catalog = await loadAgencyCatalog(manager);
      // Only custom KPIs can read a custom metric, and an active plan only through one of them.
      const users = catalog.customKpis.filter((kpi) => formulaReferences(parseFormula(kpi.formula)).includes(entity.key)).map((kpi) => kpi.key);
      if (users.length > 0) {
        throw new ConflictError(`Metric '${entity.key}' is used by the custom KPI(s) ${users.join(', ')}`, { usedBy: users });
      }
      await manager.delete(CustomMetricEntity, { agencyId: entity.agencyId, id: entity.id });
      await recordAudit(manager, { action: 'custom_metric.deleted', entityType: 'custom_metric', entityId: entity.id, data: { key: entity.key } });
      return toCustomMetricModel(entity);
    });
  }

  async createKpi(input: CreateCustomKpiInput): Promise<CustomKpi> {
    const { agencyId } = currentTenant();
    return this.db.run(async (manager) => {
      await this.lockKeys(manager);
      const catalog = await loadAgencyCatalog(manager);
      this.assertKeyFree(catalog, input.key);
      this.assertFormula(catalog, input.key, input.formula);
      const entity = manager.create(CustomKpiEntity, {
        agencyId,
        id: randomUUID(),
        key: input.key,
        name: input.name.trim(),
        description: input.description?.trim() ?? '',
        stage: input.stage,
        category: input.category ?? STAGE_CATEGORIES[input.stage],
        unit: input.unit,
        direction: input.direction,
        aggregation: input.aggregation,
        formula: input.formula.trim(),
        businessModels: input.businessModels ?? [...BUSINESS_MODELS],
      });
      await manager.insert(CustomKpiEntity, entity);
      await recordAudit(manager, { action: 'custom_kpi.created', entityType: 'custom_kpi', entityId: entity.id, data: { key: entity.key } });
      return toCustomKpiModel(await manager.findOneByOrFail(CustomKpiEntity, { agencyId, id: entity.id }));
    });
  }

  async updateKpi(input: UpdateCustomKpiInput): Promise<CustomKpi> {
    return this.db.run(async (manager) => {
      await this.lockKeys(manager);
      const entity = await this.findKpi(manager, input.id);
      const changes: Partial<CustomKpiEntity> = {};
      if (input.formula !== undefined) {
        this.assertFormula(await loadAgencyCatalog(manager), entity.key, input.formula);
        changes.formula = input.formula.trim();
      }
      if (input.name !== undefined) changes.name = input.name.trim();
      if (input.description !== undefined) changes.description = input.description.trim();
      if (input.stage !== undefined) changes.stage = input.stage;
      if (input.category !== undefined) changes.category = input.category;
      if (input.unit !== undefined) changes.unit = input.unit;
      if (input.direction !== undefined) changes.direction = input.direction;
      if (input.aggregation !== undefined) changes.aggregation = input.aggregation;
      if (input.businessModels !== undefined) changes.businessModels = input.businessModels;
      Object.assign(entity, changes);
      await manager.save(CustomKpiEntity, entity);
      await recordAudit(manager, { action: 'custom_kpi.updated', entityType: 'custom_kpi', entityId: entity.id, data: { changes: Object.keys(changes) } });
      return toCustomKpiModel(entity);
    });
  }

  async deleteKpi(id: string): Promise<CustomKpi> {
    return this.db.run(async (manager) => {
      await this.lockKeys(manager);
      const entity = await this.findKpi(manager, id);
      const catalog = await loadAgencyCatalog(manager);
      const users = catalog.customKpis
        .filter((kpi) => kpi.key !== entity.key && formulaReferences(parseFormula(kpi.formula)).includes(entity.key))
        .map((kpi) => kpi.key);
      if (users.length > 0) {
        throw new ConflictError(`KPI '${entity.key}' is used by the custom KPI(s) ${users.join(', ')}`, { usedBy: users });
      }
      const clientIds = await findClientsWithKpiInActivePlan(manager, entity.agencyId, entity.key);
      if (clientIds.length > 0) {
        throw new ConflictError(`KPI '${entity.key}' is in the active KPI plan of ${clientIds.length} client(s)`, {
          clientIds,
        });
      }
      await manager.delete(CustomKpiEntity, { agencyId: entity.agencyId, id: entity.id });
      await recordAudit(manager, { action: 'custom_kpi.deleted', entityType: 'custom_kpi', entityId: entity.id, data: { key: entity.key } });
      return toCustomKpiModel(entity);
    });
  }

  /**
   * Serialises changes to one agency's definitions: key uniqueness spans two tables (no single
   * unique index can hold it) and a cycle can only be seen with every formula in view.
   */
  private async lockKeys(manager: EntityManager): Promise<void> {
    await lockForTransaction(manager, `custom-definitions:${currentTenant().agencyId}`);
  }

  private assertKeyFree(catalog: AgencyCatalog, key: string): void {
    if (catalog.isCatalogKey(key)) throw BadUserInputError.forField('key', `'${key}' is already a key of the system catalog`);
    if (isFormulaFunctionName(key)) throw BadUserInputError.forField('key', `'${key}' is a formula function name`);
    if (catalog.customMetric(key) || catalog.customKpi(key)) {
      throw BadUserInputError.forField('key', `'${key}' is already one of your metrics or KPIs`);
    }
  }

  /** Syntax (with the position), references and cycles, against the catalogs and every custom KPI. */
  private assertFormula(catalog: AgencyCatalog, key: string, formula: string): void {
    try {
      parseFormula(formula);
    } catch (error) {
      if (error instanceof FormulaSyntaxError) {
        const message = error.message.includes(`position ${error.position}`) ? error.message : `${error.message} (at position ${error.position})`;
        throw new BadUserInputError(`formula: ${message}`, [{ field: 'formula', message }], { position: error.position });
      }
      throw error;
    }
    // The KPI being written goes first, so that a cycle is reported from its point of view.
    const definitions = [
      { key, formula },
      ...KPI_CATALOG.map((kpi) => ({ key: kpi.key, formula: kpi.formula })),
      ...catalog.customKpis.filter((kpi) => kpi.key !== key).map((kpi) => ({ key: kpi.key, formula: kpi.formula })),
    ];
    try {
      orderByDependencies(definitions, (reference) => catalog.isMetric(reference));
    } catch (error) {
      if (error instanceof FormulaReferenceError) {
        throw BadUserInputError.forField('formula', `'${error.reference}' is neither a metric nor a KPI`);
      }
      if (error instanceof FormulaCycleError) {
        throw new BadUserInputError(
          `formula: KPIs would depend on each other in a cycle: ${error.cycle.join(' -> ')}`,
          [{ field: 'formula', message: `creates a cycle: ${error.cycle.join(' -> ')}` }],
          { cycle: error.cycle },
        );
      }
      throw error;
    }
  }

  private async findMetric(manager: EntityManager, id: string): Promise<CustomMetricEntity> {
    if (!isUuid(id)) throw new NotFoundError('CustomMetric', id);
    const entity = await manager.findOneBy(CustomMetricEntity, { agencyId: currentTenant().agencyId, id });
    if (!entity) throw new NotFoundError('CustomMetric', id);
    return entity;
  }

  private async findKpi(manager: EntityManager, id: string): Promise<CustomKpiEntity> {
    if (!isUuid(id)) throw new NotFoundError('CustomKpi', id);
    const entity = await manager.findOneBy(CustomKpiEntity, { agencyId: currentTenant().agencyId, id });
    if (!entity) throw new NotFoundError('CustomKpi', id);
    return entity;
  }
}
