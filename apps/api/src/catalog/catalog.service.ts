import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgencyEntity, currentTenant, findVisibleClient, KpiPlanEntity, PlanKpiEntity, TenantDatabase } from '@pilotage/database';
import { KPI_CATALOG, METRIC_CATALOG, OBJECTIVE_CATALOG, type Locale } from '@pilotage/kpi';
import { ClientsService } from '../clients/clients.service';
import { loadAgencyCatalog } from '@pilotage/analytics';
import type { CatalogKpi, CatalogMetric, Objective } from './catalog.models';
import type { CatalogArgs, KpiCatalogArgs } from './dto/catalog.args';

/**
 * The catalogs in the requested language, the agency's own definitions merged in after the
 * system ones. Custom texts are written by the agency in one language and shown as written.
 */
@Injectable()
export class CatalogService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly clients: ClientsService,
  ) {}

  async metrics(args: CatalogArgs): Promise<CatalogMetric[]> {
    return this.db.run(async (manager) => {
      const locale = await this.resolveLocale(manager, args);
      const catalog = await loadAgencyCatalog(manager);
      return [
        ...METRIC_CATALOG.map((metric) => ({
          key: metric.key,
          name: metric.name[locale],
          description: metric.description[locale],
          unit: metric.unit,
          aggregation: metric.aggregation,
          sources: [...metric.sources],
          custom: false,
        })),
        ...catalog.customMetrics.map(({ key, name, description, unit, aggregation }) => ({
          key,
          name,
          description,
          unit,
          aggregation,
          sources: [],
          custom: true,
        })),
      ];
    });
  }

  async kpis(args: KpiCatalogArgs): Promise<CatalogKpi[]> {
    return this.db.run(async (manager) => {
      const locale = await this.resolveLocale(manager, args);
      const catalog = await loadAgencyCatalog(manager);
      const all: CatalogKpi[] = [
        ...KPI_CATALOG.map((kpi) => ({
          key: kpi.key,
          name: kpi.name[locale],
          description: kpi.description[locale],
          stage: kpi.stage,
          category: kpi.category,
          unit: kpi.unit,
          direction: kpi.direction,
          aggregation: kpi.aggregation,
          formula: kpi.formula,
          businessModels: [...kpi.businessModels],
          requiredMetrics: catalog.requiredMetrics(kpi),
          source: kpi.source?.[locale] ?? null,
          custom: false,
        })),
        ...catalog.customKpis.map((kpi) => ({
          ...kpi,
          businessModels: [...kpi.businessModels],
          requiredMetrics: catalog.requiredMetrics(kpi),
          source: null,
          custom: true,
        })),
      ];
      const visible = await this.viewerScope(manager, all);
      return visible.filter(
        (kpi) =>
          (args.stage === undefined || kpi.stage === args.stage) && (args.businessModel === undefined || kpi.businessModels.includes(args.businessModel)),
      );
    });
  }

  /**
   * What a client viewer may see of the catalog: the KPIs of their own client's active plan
   * (none without one), with names and descriptions so that reports and scorecards read well,
   * but without the formulas and metrics of the agency's own KPIs — those are the agency's
   * know-how, not the client's. The system catalog's formulas are public conventions. Staff
   * see everything. A viewer of an archived client gets NOT_FOUND, as everywhere.
   */
  private async viewerScope(manager: EntityManager, kpis: readonly CatalogKpi[]): Promise<CatalogKpi[]> {
    const tenant = currentTenant();
    if (tenant.role !== 'CLIENT_VIEWER') return [...kpis];
    if (tenant.clientId === null) return [];
    const client = await findVisibleClient(manager, tenant.clientId);
    const plan = await manager.findOneBy(KpiPlanEntity, { agencyId: client.agencyId, clientId: client.id, status: 'ACTIVE' });
    if (plan === null) return [];
    const planKeys = new Set((await manager.findBy(PlanKpiEntity, { agencyId: plan.agencyId, planId: plan.id })).map((kpi) => kpi.kpiKey));
    return kpis.filter((kpi) => planKeys.has(kpi.key)).map((kpi) => (kpi.custom ? { ...kpi, formula: null, requiredMetrics: [] } : kpi));
  }

  async objectives(args: CatalogArgs): Promise<Objective[]> {
    return this.db.run(async (manager) => {
      const locale = await this.resolveLocale(manager, args);
      return OBJECTIVE_CATALOG.map((objective) => ({
        key: objective.key,
        name: objective.name[locale],
        description: objective.description[locale],
        measures: objective.measures.map((measure) => ({
          kpiKey: measure.kpiKey,
          stage: measure.stage,
          weight: measure.weight,
          reason: measure.reason[locale],
          businessModels: measure.businessModels ? [...measure.businessModels] : null,
        })),
      }));
    });
  }

  /**
   * The language asked for; else the client's (NOT_FOUND when the client is not the user's to
   * see); else the agency's default.
   */
  async resolveLocale(manager: EntityManager, args: { locale?: Locale; clientId?: string }): Promise<Locale> {
    if (args.locale) return args.locale;
    if (args.clientId) return (await this.clients.findVisible(manager, args.clientId)).locale;
    const agency = await manager.findOneByOrFail(AgencyEntity, { id: currentTenant().agencyId });
    return agency.defaultLocale;
  }
}
