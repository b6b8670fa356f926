import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import type { FunnelStage, ObjectiveKey } from '@pilotage/kpi';
import { KpiPlanEntity } from './kpi-plan.entity';

/** A KPI of a plan, tied to the objective it measures, at its funnel stage. */
@Entity({ name: 'plan_kpis' })
@ForeignKey(() => KpiPlanEntity, ['agencyId', 'planId'], ['agencyId', 'id'], { name: 'plan_kpis_plan_fkey', onDelete: 'CASCADE' })
export class PlanKpiEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'plan_kpis_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { name: 'plan_id', primaryKeyConstraintName: 'plan_kpis_pkey' })
  planId!: string;

  @PrimaryColumn('text', { name: 'kpi_key', primaryKeyConstraintName: 'plan_kpis_pkey' })
  kpiKey!: string;

  @Column('text', { name: 'objective_key' })
  objectiveKey!: ObjectiveKey;

  /** Copied at approval so the report keeps the plan's funnel. */
  @Column('text')
  stage!: FunnelStage;

  @Column('integer')
  position!: number;
}
