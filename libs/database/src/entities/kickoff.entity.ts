import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { BusinessModel, ClientTrait, MarketingChannel, ObjectiveKey } from '@pilotage/kpi';
import { AgencyEntity } from './agency.entity';
import { ClientEntity } from './client.entity';

export const KICKOFF_STATUSES = ['DRAFT', 'APPROVED'] as const;
export type KickoffStatus = (typeof KICKOFF_STATUSES)[number];

/**
 * The kickoff workshop with a client, saved step by step (objectives, KPIs, targets) until its
 * approval turns it into the client's active KPI plan. An approved kickoff is frozen.
 */
@Entity({ name: 'kickoffs' })
@Index('kickoffs_agency_id_client_id_idx', ['agencyId', 'clientId', 'createdAt'])
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'kickoffs_client_fkey', onDelete: 'CASCADE' })
export class KickoffEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'kickoffs_pkey' })
  @ForeignKey(() => AgencyEntity, { name: 'kickoffs_agency_id_fkey', onDelete: 'CASCADE' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'kickoffs_pkey' })
  id!: string;

  @Column('uuid', { name: 'client_id' })
  clientId!: string;

  @Column('text')
  status!: KickoffStatus;

  @Column('text', { name: 'business_model' })
  businessModel!: BusinessModel;

  @Column('text', { array: true, default: () => "'{}'" })
  traits!: ClientTrait[];

  @Column('text', { array: true, default: () => "'{}'" })
  channels!: MarketingChannel[];

  /** The client's core target audience ("cœur de cible"), in the agency's words. */
  @Column('text', { name: 'core_target' })
  coreTarget!: string;

  /** The one or two vital objectives, in the order chosen. */
  @Column('text', { name: 'objective_keys', array: true, default: () => "'{}'" })
  objectiveKeys!: ObjectiveKey[];

  /** The year the monthly targets cover; fixed by the first target set. */
  @Column('integer', { name: 'plan_year', nullable: true })
  planYear!: number | null;

  /** The plan its approval created. */
  @Column('uuid', { name: 'plan_id', nullable: true })
  planId!: string | null;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
