import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import type { ObjectiveKey } from '@pilotage/kpi';
import { KickoffEntity } from './kickoff.entity';

/** A KPI kept at a kickoff, tied to one of the kickoff's objectives. */
@Entity({ name: 'kickoff_kpis' })
@ForeignKey(() => KickoffEntity, ['agencyId', 'kickoffId'], ['agencyId', 'id'], { name: 'kickoff_kpis_kickoff_fkey', onDelete: 'CASCADE' })
export class KickoffKpiEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'kickoff_kpis_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { name: 'kickoff_id', primaryKeyConstraintName: 'kickoff_kpis_pkey' })
  kickoffId!: string;

  @PrimaryColumn('text', { name: 'kpi_key', primaryKeyConstraintName: 'kickoff_kpis_pkey' })
  kpiKey!: string;

  @Column('text', { name: 'objective_key' })
  objectiveKey!: ObjectiveKey;

  /** Order of the selection, kept for the report. */
  @Column('integer')
  position!: number;
}
