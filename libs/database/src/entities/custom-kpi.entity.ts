import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { BusinessModel, FunnelStage, KpiAggregation, KpiCategory, KpiDirection, KpiUnit } from '@pilotage/kpi';
import { AgencyEntity } from './agency.entity';

/**
 * A KPI an agency defines as a formula over metrics and KPIs (catalog or its own). The formula is
 * validated on write (syntax, references, no cycle); the key is immutable for the same reason as
 * a custom metric's.
 */
@Entity({ name: 'custom_kpis' })
@Index('custom_kpis_agency_id_key_key', ['agencyId', 'key'], { unique: true })
export class CustomKpiEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'custom_kpis_pkey' })
  @ForeignKey(() => AgencyEntity, { name: 'custom_kpis_agency_id_fkey', onDelete: 'CASCADE' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'custom_kpis_pkey' })
  id!: string;

  @Column('text')
  key!: string;

  /** Written by the agency in its own language, shown as-is whatever the requested locale. */
  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('text')
  stage!: FunnelStage;

  @Column('text')
  category!: KpiCategory;

  @Column('text')
  unit!: KpiUnit;

  @Column('text')
  direction!: KpiDirection;

  /** FLOW or LEVEL: whether a yearly target splits across months. */
  @Column('text')
  aggregation!: KpiAggregation;

  @Column('text')
  formula!: string;

  /** Business models the KPI is proposed for at a kickoff. */
  @Column('text', { name: 'business_models', array: true, default: () => "'{}'" })
  businessModels!: BusinessModel[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
