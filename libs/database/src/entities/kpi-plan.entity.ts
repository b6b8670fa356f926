import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from './agency.entity';
import { ClientEntity } from './client.entity';
import { KickoffEntity } from './kickoff.entity';

export const KPI_PLAN_STATUSES = ['ACTIVE', 'SUPERSEDED'] as const;
export type KpiPlanStatus = (typeof KPI_PLAN_STATUSES)[number];

/**
 * A client's KPI plan, created by approving a kickoff. Versioned: a later approval supersedes the
 * active plan and the history stays; a partial unique index keeps one ACTIVE plan per client.
 */
@Entity({ name: 'kpi_plans' })
@Index('kpi_plans_agency_id_client_id_version_key', ['agencyId', 'clientId', 'version'], { unique: true })
@Index('kpi_plans_agency_id_client_id_active_key', ['agencyId', 'clientId'], { unique: true, where: `status = 'ACTIVE'` })
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'kpi_plans_client_fkey', onDelete: 'CASCADE' })
@ForeignKey(() => KickoffEntity, ['agencyId', 'kickoffId'], ['agencyId', 'id'], { name: 'kpi_plans_kickoff_fkey' })
export class KpiPlanEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'kpi_plans_pkey' })
  @ForeignKey(() => AgencyEntity, { name: 'kpi_plans_agency_id_fkey', onDelete: 'CASCADE' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'kpi_plans_pkey' })
  id!: string;

  @Column('uuid', { name: 'client_id' })
  clientId!: string;

  /** 1, 2, ... per client, in approval order. */
  @Column('integer')
  version!: number;

  @Column('uuid', { name: 'kickoff_id' })
  kickoffId!: string;

  @Column('text')
  status!: KpiPlanStatus;

  /** The year the monthly targets cover. */
  @Column('integer')
  year!: number;

  /** Millisecond precision, like JavaScript dates, so keyset cursors round-trip exactly. */
  @Column({ type: 'timestamptz', name: 'approved_at', precision: 3 })
  approvedAt!: Date;

  @Column('uuid', { name: 'approved_by', nullable: true })
  approvedBy!: string | null;
}
