import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReportKind } from './report.entity';

/**
 * One "generate the reports of this period for every active client" request. Its progress is
 * not stored: it is counted from the `reports` rows that carry its id, so it can never drift
 * from what the reports really are.
 */
@Entity({ name: 'report_batches' })
@Index('report_batches_agency_id_kind_period_start_created_at_idx', ['agencyId', 'kind', 'periodStart', 'createdAt'])
export class ReportBatchEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'report_batches_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'report_batches_pkey' })
  id!: string;

  @Column('text')
  kind!: ReportKind;

  /** First day of the period (YYYY-MM-DD). */
  @Column('date', { name: 'period_start' })
  periodStart!: string;

  /** Reports requested by the batch: the active clients when it was created. */
  @Column('integer')
  total!: number;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
