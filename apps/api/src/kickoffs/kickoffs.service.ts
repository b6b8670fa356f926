import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import {
  assertClientNotArchived,
  ClientEntity,
  currentTenant,
  KickoffEntity,
  KickoffKpiEntity,
  KickoffTargetEntity,
  keysetPage,
  KpiPlanEntity,
  MonthlyTargetEntity,
  PlanKpiEntity,
  recordAudit,
  TenantDatabase,
  isUuid,
  withKeysetNodes,
} from '@pilotage/database';
import {
  localDate,
  planWarnings,
  recommendKpis,
  splitAnnualTarget,
  validateTargetValue,
  type FunnelStage,
  type Locale,
  type ObjectiveKey,
} from '@pilotage/kpi';
import { BadUserInputError, ConflictError, NotFoundError, type FieldProblem } from '@pilotage/common';
import { AnalyticsService, loadAgencyCatalog } from '@pilotage/analytics';
import { ClientsService } from '../clients/clients.service';
import { toRecommendableKpi, type AgencyCatalog } from '@pilotage/kpi';
import type { AnnualTargetSplit, Kickoff, KickoffChange, KpiPlan, KpiPlanConnection, KpiRecommendations, MonthlyTarget } from './kickoff.models';
import type {
  KpiPlanHistoryArgs,
  KpiRecommendationsArgs,
  SelectKickoffKpisInput,
  SetKickoffObjectivesInput,
  SetKickoffTargetsInput,
  SplitKickoffAnnualTargetInput,
  StartKickoffInput,
} from './dto/kickoff.inputs';

/** `YYYY-MM-01`, the month key of targets (a date column: first day of the month). */
function monthDate(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

function toMonthlyTarget(row: { kpiKey: string; month: string; value: string }): MonthlyTarget {
  const [year, month] = row.month.split('-').map(Number);
  return { kpiKey: row.kpiKey, year, month, value: Number(row.value) };
}

function byKpiThenMonth(order: ReadonlyMap<string, number>) {
  return (a: { kpiKey: string; month: string }, b: { kpiKey: string; month: string }): number =>
    (order.get(a.kpiKey) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.kpiKey) ?? Number.MAX_SAFE_INTEGER) ||
    a.kpiKey.localeCompare(b.kpiKey) ||
    a.month.localeCompare(b.month);
}

/**
 * The kickoff workflow: start, objectives, KPI recommendations and selection, monthly targets,
 * approval into a versioned KPI plan. Each mutation is one tenant transaction that locks the
 * kickoff, so two project managers editing the same kickoff queue rather than interleave.
 */
@Injectable()
export class KickoffsService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly clients: ClientsService,
    private readonly analytics: AnalyticsService,
  ) {}

  async start(input: StartKickoffInput): Promise<Kickoff> {
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const client = await this.clients.findVisible(manager, input.clientId);
      if (client.archivedAt !== null) throw BadUserInputError.forField('clientId', 'the client is archived');
      const entity = manager.create(KickoffEntity, {
        agencyId: tenant.agencyId,
        id: randomUUID(),
        clientId: client.id,
        status: 'DRAFT',
        businessModel: input.businessModel,
        traits: [...new Set(input.traits)],
        channels: [...new Set(input.channels)],
        coreTarget: input.coreTarget.trim(),
        objectiveKeys: [],
        planYear: null,
        planId: null,
        createdBy: tenant.userId,
      });
      await manager.insert(KickoffEntity, entity);
      await recordAudit(manager, { action: 'kickoff.started', entityType: 'kickoff', entityId: entity.id, data: { clientId: client.id } });
      const saved = await manager.findOneByOrFail(KickoffEntity, { agencyId: tenant.agencyId, id: entity.id });
      return this.toModel(manager, saved, await loadAgencyCatalog(manager));
    });
  }

  async get(id: string): Promise<Kickoff> {
    return this.db.run(async (manager) => this.toModel(manager, await this.findKickoff(manager, id, false), await loadAgencyCatalog(manager)));
  }

  async setObjectives(input: SetKickoffObjectivesInput): Promise<KickoffChange> {
    return this.db.run(async (manager) => {
      const kickoff = await this.findDraft(manager, input.kickoffId);
      kickoff.objectiveKeys = [...new Set(input.objectiveKeys)];
      await manager.save(KickoffEntity, kickoff);
      await recordAudit(manager, {
        action: 'kickoff.objectives_set',
        entityType: 'kickoff',
        entityId: kickoff.id,
        data: { objectiveKeys: kickoff.objectiveKeys },
      });
      return this.withWarnings(manager, kickoff);
    });
  }

  async recommendations(args: KpiRecommendationsArgs): Promise<KpiRecommendations> {
    return this.db.run(async (manager) => {
      const kickoff = await this.findKickoff(manager, args.kickoffId, false);
      const locale = args.locale ?? (await this.clientLocale(manager, kickoff));
      const catalog = await loadAgencyCatalog(manager);
      const result = recommendKpis({
        businessModel: kickoff.businessModel,
        traits: kickoff.traits,
        channels: kickoff.channels,
        objectiveKeys: kickoff.objectiveKeys,
        locale,
        // recommendKpis resolves required metrics against the system metric catalog only, which
        // a custom KPI over a custom metric would fail: it gets a reference-free stand-in formula
        // and its metrics are resolved below against the agency's catalog.
        customKpis: catalog.customKpis.map((kpi) => ({ ...toRecommendableKpi(kpi), formula: '0' })),
      });
      return {
        stages: result.stages.map((stage) => ({
          stage: stage.stage,
          kpis: stage.kpis.map((kpi) => {
            const custom = kpi.custom ? catalog.customKpi(kpi.kpiKey) : undefined;
            return {
              kpiKey: kpi.kpiKey,
              name: kpi.name,
              stage: kpi.stage,
              score: kpi.score,
              reasons: [...kpi.reasons],
              requiredMetrics: custom ? catalog.requiredMetrics(custom) : [...kpi.requiredMetrics],
              objectiveKeys: [...kpi.objectiveKeys],
              shortlisted: kpi.shortlisted,
              custom: kpi.custom,
            };
          }),
        })),
        warnings: [...result.warnings],
      };
    });
  }

  async selectKpis(input: SelectKickoffKpisInput): Promise<KickoffChange> {
    return this.db.run(async (manager) => {
      const kickoff = await this.findDraft(manager, input.kickoffId);
      const catalog = await loadAgencyCatalog(manager);
      const problems: FieldProblem[] = [];
      const seen = new Set<string>();
      input.selections.forEach((selection, index) => {
        if (!catalog.findKpi(selection.kpiKey)) {
          problems.push({ field: `selections.${index}.kpiKey`, message: `'${selection.kpiKey}' is not a KPI of the catalog or of your agency` });
        } else if (seen.has(selection.kpiKey)) {
          problems.push({ field: `selections.${index}.kpiKey`, message: `'${selection.kpiKey}' is selected twice` });
        }
        seen.add(selection.kpiKey);
        if (!kickoff.objectiveKeys.includes(selection.objectiveKey)) {
          problems.push({ field: `selections.${index}.objectiveKey`, message: `${selection.objectiveKey} is not an objective of this kickoff` });
        }
      });
      if (problems.length > 0) throw this.invalid(problems);

      const keys = input.selections.map((selection) => selection.kpiKey);
      // Deselected KPIs take their drafted targets with them (FK cascade); kept ones keep theirs.
      const existing = await manager.findBy(KickoffKpiEntity, { agencyId: kickoff.agencyId, kickoffId: kickoff.id });
      const dropped = existing.filter((row) => !keys.includes(row.kpiKey)).map((row) => row.kpiKey);
      if (dropped.length > 0) {
        await manager.delete(KickoffKpiEntity, { agencyId: kickoff.agencyId, kickoffId: kickoff.id, kpiKey: In(dropped) });
      }
      if (input.selections.length > 0) {
        await manager.upsert(
          KickoffKpiEntity,
          input.selections.map((selection, position) => ({
            agencyId: kickoff.agencyId,
            kickoffId: kickoff.id,
            kpiKey: selection.kpiKey,
            objectiveKey: selection.objectiveKey,
            position,
          })),
          ['agencyId', 'kickoffId', 'kpiKey'],
        );
      }
      await manager.save(KickoffEntity, kickoff);
      await recordAudit(manager, { action: 'kickoff.kpis_selected', entityType: 'kickoff', entityId: kickoff.id, data: { kpiKeys: keys } });
      return this.withWarnings(manager, kickoff);
    });
  }

  async setTargets(input: SetKickoffTargetsInput): Promise<Kickoff> {
    return this.db.run(async (manager) => {
      const kickoff = await this.findDraft(manager, input.kickoffId);
      const catalog = await loadAgencyCatalog(manager);
      await this.assertYear(manager, kickoff, input.year, 'year');
      const selected = new Set((await manager.findBy(KickoffKpiEntity, { agencyId: kickoff.agencyId, kickoffId: kickoff.id })).map((row) => row.kpiKey));
      const problems: FieldProblem[] = [];
      const seen = new Set<string>();
      input.targets.forEach((target, index) => {
        const kpi = catalog.findKpi(target.kpiKey);
        if (!selected.has(target.kpiKey) || !kpi) {
          problems.push({ field: `targets.${index}.kpiKey`, message: `'${target.kpiKey}' is not a KPI of this kickoff` });
          return;
        }
        const key = `${target.kpiKey}:${target.month}`;
        if (seen.has(key)) problems.push({ field: `targets.${index}.month`, message: `${target.kpiKey} has two targets for month ${target.month}` });
        seen.add(key);
        const valueProblem = validateTargetValue(target.value, kpi.unit);
        if (valueProblem) problems.push({ field: `targets.${index}.value`, message: valueProblem });
      });
      if (problems.length > 0) throw this.invalid(problems);

      if (input.targets.length > 0) {
        await manager.upsert(
          KickoffTargetEntity,
          input.targets.map((target) => ({
            agencyId: kickoff.agencyId,
            kickoffId: kickoff.id,
            kpiKey: target.kpiKey,
            month: monthDate(input.year, target.month),
            value: String(target.value),
          })),
          ['agencyId', 'kickoffId', 'kpiKey', 'month'],
        );
      }
      kickoff.planYear = input.year;
      await manager.save(KickoffEntity, kickoff);
      await recordAudit(manager, {
        action: 'kickoff.targets_set',
        entityType: 'kickoff',
        entityId: kickoff.id,
        data: { year: input.year, count: input.targets.length },
      });
      return this.toModel(manager, kickoff, catalog);
    });
  }

  async splitAnnualTarget(input: SplitKickoffAnnualTargetInput): Promise<AnnualTargetSplit> {
    return this.db.run(async (manager) => {
      const kickoff = await this.findDraft(manager, input.kickoffId);
      const catalog = await loadAgencyCatalog(manager);
      await this.assertYear(manager, kickoff, input.year, 'year');
      const selection = await manager.findOneBy(KickoffKpiEntity, { agencyId: kickoff.agencyId, kickoffId: kickoff.id, kpiKey: input.kpiKey });
      const kpi = catalog.findKpi(input.kpiKey);
      if (!selection || !kpi) throw BadUserInputError.forField('kpiKey', `'${input.kpiKey}' is not a KPI of this kickoff`);
      const valueProblem = validateTargetValue(input.annual, kpi.unit);
      if (valueProblem) throw BadUserInputError.forField('annual', valueProblem);

      const lastYear = input.mode === 'SEASONAL' ? await this.lastYearMonthlyValues(manager, kickoff.clientId, kpi.key, input.year - 1) : undefined;
      const split = splitAnnualTarget({ annual: input.annual, months: 12, mode: input.mode, kind: kpi.aggregation, unit: kpi.unit, lastYear });
      const rows = split.targets.map((value, index) => ({
        agencyId: kickoff.agencyId,
        kickoffId: kickoff.id,
        kpiKey: kpi.key,
        month: monthDate(input.year, index + 1),
        value: String(value),
      }));
      await manager.upsert(KickoffTargetEntity, rows, ['agencyId', 'kickoffId', 'kpiKey', 'month']);
      kickoff.planYear = input.year;
      await manager.save(KickoffEntity, kickoff);
      await recordAudit(manager, {
        action: 'kickoff.annual_target_split',
        entityType: 'kickoff',
        entityId: kickoff.id,
        data: { kpiKey: kpi.key, year: input.year, annual: input.annual, mode: split.mode },
      });
      return {
        kickoff: await this.toModel(manager, kickoff, catalog),
        kpiKey: kpi.key,
        mode: split.mode,
        fallbackReason: split.fallbackReason ?? null,
        targets: rows.map(toMonthlyTarget),
      };
    });
  }

  async approve(kickoffId: string): Promise<KpiPlan> {
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const kickoff = await this.findDraft(manager, kickoffId);
      const catalog = await loadAgencyCatalog(manager);
      const selections = await manager.find(KickoffKpiEntity, {
        where: { agencyId: kickoff.agencyId, kickoffId: kickoff.id },
        order: { position: 'ASC' },
      });
      if (kickoff.objectiveKeys.length === 0) {
        throw BadUserInputError.forField('objectiveKeys', 'choose one or two objectives before approving the kickoff');
      }
      if (selections.length === 0) throw BadUserInputError.forField('kpis', 'select the KPIs of the plan before approving the kickoff');
      // Objectives or custom KPIs may have changed since the selection: re-check, never drop silently.
      const problems: FieldProblem[] = [];
      const planKpis: Array<{ kpiKey: string; objectiveKey: ObjectiveKey; stage: FunnelStage }> = [];
      selections.forEach((selection, index) => {
        const kpi = catalog.findKpi(selection.kpiKey);
        if (!kpi) problems.push({ field: `kpis.${index}.kpiKey`, message: `'${selection.kpiKey}' no longer exists` });
        else planKpis.push({ kpiKey: selection.kpiKey, objectiveKey: selection.objectiveKey, stage: kpi.stage });
        if (!kickoff.objectiveKeys.includes(selection.objectiveKey)) {
          problems.push({ field: `kpis.${index}.objectiveKey`, message: `${selection.objectiveKey} is no longer an objective of this kickoff` });
        }
      });
      if (problems.length > 0) throw this.invalid(problems);

      // Serialises approvals for one client: versions and the single ACTIVE plan stay consistent.
      const client = await manager.findOne(ClientEntity, {
        where: { agencyId: kickoff.agencyId, id: kickoff.clientId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!client) throw new NotFoundError('Client', kickoff.clientId);
      const previous = await manager.findOneBy(KpiPlanEntity, { agencyId: kickoff.agencyId, clientId: client.id, status: 'ACTIVE' });
      if (previous) {
        // Before the insert: the partial unique index allows one ACTIVE plan per client at any time.
        await manager.update(KpiPlanEntity, { agencyId: previous.agencyId, id: previous.id }, { status: 'SUPERSEDED' });
        await recordAudit(manager, { action: 'kpi_plan.superseded', entityType: 'kpi_plan', entityId: previous.id, data: { version: previous.version } });
      }
      const last = await manager.findOne(KpiPlanEntity, { where: { agencyId: kickoff.agencyId, clientId: client.id }, order: { version: 'DESC' } });
      const plan = manager.create(KpiPlanEntity, {
        agencyId: kickoff.agencyId,
        id: randomUUID(),
        clientId: client.id,
        version: (last?.version ?? 0) + 1,
        kickoffId: kickoff.id,
        status: 'ACTIVE',
        year: kickoff.planYear ?? this.currentYear(client.timeZone),
        approvedAt: new Date(),
        approvedBy: tenant.userId,
      });
      await manager.insert(KpiPlanEntity, plan);
      await manager.insert(
        PlanKpiEntity,
        planKpis.map((kpi, position) => ({ agencyId: plan.agencyId, planId: plan.id, ...kpi, position })),
      );
      const targets = await manager.findBy(KickoffTargetEntity, { agencyId: kickoff.agencyId, kickoffId: kickoff.id });
      if (targets.length > 0) {
        await manager.insert(
          MonthlyTargetEntity,
          targets.map((target) => ({ agencyId: plan.agencyId, planId: plan.id, kpiKey: target.kpiKey, month: target.month, value: target.value })),
        );
      }
      kickoff.status = 'APPROVED';
      kickoff.planId = plan.id;
      await manager.save(KickoffEntity, kickoff);
      await recordAudit(manager, { action: 'kickoff.approved', entityType: 'kickoff', entityId: kickoff.id, data: { planId: plan.id } });
      await recordAudit(manager, {
        action: 'kpi_plan.approved',
        entityType: 'kpi_plan',
        entityId: plan.id,
        data: { clientId: client.id, version: plan.version, kickoffId: kickoff.id, kpiCount: selections.length, targetCount: targets.length },
      });
      const [model] = await this.toPlanModels(manager, [plan]);
      return model;
    });
  }

  /** The client's ACTIVE plan, or null; a client viewer may read their own client's only. */
  async activePlan(clientId: string): Promise<KpiPlan | null> {
    return this.db.run(async (manager) => {
      const client = await this.clients.findVisible(manager, clientId);
      const plan = await manager.findOneBy(KpiPlanEntity, { agencyId: client.agencyId, clientId: client.id, status: 'ACTIVE' });
      if (!plan) return null;
      const [model] = await this.toPlanModels(manager, [plan]);
      return model;
    });
  }

  /** Active plans of several clients already visible to the caller, in their order (DataLoader batch). */
  async activePlansByClient(clientIds: readonly string[]): Promise<Array<KpiPlan | null>> {
    return this.db.run(async (manager) => {
      const { agencyId } = currentTenant();
      const plans = await manager.findBy(KpiPlanEntity, { agencyId, clientId: In([...clientIds]), status: 'ACTIVE' });
      const models = await this.toPlanModels(manager, plans);
      const byClient = new Map(models.map((model) => [model.clientId, model]));
      return clientIds.map((clientId) => byClient.get(clientId) ?? null);
    });
  }

  async planHistory(args: KpiPlanHistoryArgs): Promise<KpiPlanConnection> {
    return this.db.run(async (manager) => {
      const client = await this.clients.findVisible(manager, args.clientId);
      const query = manager
        .createQueryBuilder(KpiPlanEntity, 'plan')
        .where('plan.agencyId = :agencyId AND plan.clientId = :clientId', { agencyId: client.agencyId, clientId: client.id });
      // Newest approval first: the history of a client's plan versions.
      const page = await keysetPage(query, args, { alias: 'plan', sortBy: 'approvedAt', direction: 'DESC' });
      return withKeysetNodes(
        page,
        await this.toPlanModels(
          manager,
          page.edges.map((edge) => edge.node),
        ),
      );
    });
  }

  /**
   * Last year's monthly values of a KPI for a client, computed from the stored metric values
   * like every other figure (ratio of sums, stocks at month end). A month without data is null,
   * and the split then falls back to EVEN, saying why.
   */
  private lastYearMonthlyValues(manager: EntityManager, clientId: string, kpiKey: string, year: number): Promise<Array<number | null>> {
    return this.analytics.monthlyValues(manager, clientId, kpiKey, year);
  }

  private async assertYear(manager: EntityManager, kickoff: KickoffEntity, year: number, field: string): Promise<void> {
    if (kickoff.planYear === null || kickoff.planYear === year) return;
    const drafted = await manager.countBy(KickoffTargetEntity, { agencyId: kickoff.agencyId, kickoffId: kickoff.id });
    if (drafted > 0) throw BadUserInputError.forField(field, `the kickoff’s targets are for ${kickoff.planYear}: a plan covers one year`);
  }

  private currentYear(timeZone: string): number {
    return Number(localDate(new Date(), timeZone).slice(0, 4));
  }

  private invalid(problems: readonly FieldProblem[]): BadUserInputError {
    return new BadUserInputError(`Invalid input — ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`, problems);
  }

  private async withWarnings(manager: EntityManager, kickoff: KickoffEntity): Promise<KickoffChange> {
    const model = await this.toModel(manager, kickoff, await loadAgencyCatalog(manager));
    const locale = await this.clientLocale(manager, kickoff);
    return { kickoff: model, warnings: planWarnings({ objectiveCount: model.objectiveKeys.length, kpiCount: model.kpis.length }, locale) };
  }

  private async clientLocale(manager: EntityManager, kickoff: KickoffEntity): Promise<Locale> {
    const client = await manager.findOneByOrFail(ClientEntity, { agencyId: kickoff.agencyId, id: kickoff.clientId });
    return client.locale;
  }

  /** The kickoff, locked for the rest of the transaction when `lock`; NOT_FOUND when not yours. */
  private async findKickoff(manager: EntityManager, id: string, lock: boolean): Promise<KickoffEntity> {
    const { agencyId } = currentTenant();
    if (!isUuid(id)) throw new NotFoundError('Kickoff', id);
    const entity = await manager.findOne(KickoffEntity, { where: { agencyId, id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!entity) throw new NotFoundError('Kickoff', id);
    return entity;
  }

  private async findDraft(manager: EntityManager, id: string): Promise<KickoffEntity> {
    const kickoff = await this.findKickoff(manager, id, true);
    if (kickoff.status !== 'DRAFT') throw new ConflictError(`Kickoff ${id} is approved; start a new kickoff to change the plan`);
    // An archived client's plan is read-only.
    assertClientNotArchived(await manager.findOneByOrFail(ClientEntity, { agencyId: kickoff.agencyId, id: kickoff.clientId }));
    return kickoff;
  }

  private async toModel(manager: EntityManager, entity: KickoffEntity, catalog: AgencyCatalog): Promise<Kickoff> {
    const kpis = await manager.find(KickoffKpiEntity, { where: { agencyId: entity.agencyId, kickoffId: entity.id }, order: { position: 'ASC' } });
    const targets = await manager.findBy(KickoffTargetEntity, { agencyId: entity.agencyId, kickoffId: entity.id });
    const order = new Map(kpis.map((kpi) => [kpi.kpiKey, kpi.position]));
    return {
      id: entity.id,
      clientId: entity.clientId,
      status: entity.status,
      businessModel: entity.businessModel,
      traits: entity.traits,
      channels: entity.channels,
      coreTarget: entity.coreTarget,
      objectiveKeys: entity.objectiveKeys,
      kpis: kpis.map((kpi) => ({
        kpiKey: kpi.kpiKey,
        objectiveKey: kpi.objectiveKey,
        stage: catalog.findKpi(kpi.kpiKey)?.stage ?? null,
        position: kpi.position,
      })),
      year: entity.planYear,
      targets: [...targets].sort(byKpiThenMonth(order)).map(toMonthlyTarget),
      planId: entity.planId,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
    };
  }

  /** Plans with their KPIs and targets, in two queries for the whole page (no N+1). */
  private async toPlanModels(manager: EntityManager, plans: readonly KpiPlanEntity[]): Promise<KpiPlan[]> {
    if (plans.length === 0) return [];
    const { agencyId } = currentTenant();
    const ids = plans.map((plan) => plan.id);
    const kpis = await manager.find(PlanKpiEntity, { where: { agencyId, planId: In(ids) }, order: { position: 'ASC' } });
    const targets = await manager.findBy(MonthlyTargetEntity, { agencyId, planId: In(ids) });
    return plans.map((plan) => {
      const planKpis = kpis.filter((kpi) => kpi.planId === plan.id);
      const order = new Map(planKpis.map((kpi) => [kpi.kpiKey, kpi.position]));
      return {
        id: plan.id,
        clientId: plan.clientId,
        version: plan.version,
        kickoffId: plan.kickoffId,
        status: plan.status,
        year: plan.year,
        approvedAt: plan.approvedAt,
        approvedBy: plan.approvedBy,
        kpis: planKpis.map((kpi) => ({
          kpiKey: kpi.kpiKey,
          objectiveKey: kpi.objectiveKey,
          stage: kpi.stage,
          position: kpi.position,
        })),
        targets: targets
          .filter((target) => target.planId === plan.id)
          .sort(byKpiThenMonth(order))
          .map(toMonthlyTarget),
      };
    });
  }
}
