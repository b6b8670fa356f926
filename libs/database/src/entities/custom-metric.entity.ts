import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { MetricAggregation, MetricUnit } from '@pilotage/kpi';
import { AgencyEntity } from './agency.entity';

/**
 * A raw measure an agency tracks beyond the system catalog (e.g. "showroom_visits"). Its key is
 * what formulas reference, so it never changes once created and never shadows a catalog key.
 */
@Entity({ name: 'custom_metrics' })
@Index('custom_metrics_agency_id_key_key', ['agencyId', 'key'], { unique: true })
export class CustomMetricEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'custom_metrics_pkey' })
  @ForeignKey(() => AgencyEntity, { name: 'custom_metrics_agency_id_fkey', onDelete: 'CASCADE' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'custom_metrics_pkey' })
  id!: string;

  @Column('text')
  key!: string;

  /** Written by the agency in its own language, shown as-is whatever the requested locale. */
  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('text')
  unit!: MetricUnit;

  /** SUM for flows, LAST for stocks. */
  @Column('text')
  aggregation!: MetricAggregation;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
