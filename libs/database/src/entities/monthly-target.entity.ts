import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { PlanKpiEntity } from './plan-kpi.entity';

/** The target of one KPI of a plan for one month. */
@Entity({ name: 'monthly_targets' })
@ForeignKey(() => PlanKpiEntity, ['agencyId', 'planId', 'kpiKey'], ['agencyId', 'planId', 'kpiKey'], {
  name: 'monthly_targets_plan_kpi_fkey',
  onDelete: 'CASCADE',
})
export class MonthlyTargetEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'monthly_targets_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { name: 'plan_id', primaryKeyConstraintName: 'monthly_targets_pkey' })
  planId!: string;

  @PrimaryColumn('text', { name: 'kpi_key', primaryKeyConstraintName: 'monthly_targets_pkey' })
  kpiKey!: string;

  /** First day of the month. */
  @PrimaryColumn('date', { primaryKeyConstraintName: 'monthly_targets_pkey' })
  month!: string;

  /** Exact decimal (pg returns it as a string). */
  @Column('numeric')
  value!: string;
}
