import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { KickoffKpiEntity } from './kickoff-kpi.entity';

/** A monthly target drafted at a kickoff; dropped with its KPI when the KPI is deselected. */
@Entity({ name: 'kickoff_targets' })
@ForeignKey(() => KickoffKpiEntity, ['agencyId', 'kickoffId', 'kpiKey'], ['agencyId', 'kickoffId', 'kpiKey'], {
  name: 'kickoff_targets_kickoff_kpi_fkey',
  onDelete: 'CASCADE',
})
export class KickoffTargetEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'kickoff_targets_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { name: 'kickoff_id', primaryKeyConstraintName: 'kickoff_targets_pkey' })
  kickoffId!: string;

  @PrimaryColumn('text', { name: 'kpi_key', primaryKeyConstraintName: 'kickoff_targets_pkey' })
  kpiKey!: string;

  /** First day of the month. */
  @PrimaryColumn('date', { primaryKeyConstraintName: 'kickoff_targets_pkey' })
  month!: string;

  /** Exact decimal (pg returns it as a string): money targets keep their cents. */
  @Column('numeric')
  value!: string;
}
