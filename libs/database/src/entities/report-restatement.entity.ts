import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { MetricImportEntity } from './metric-import.entity';
import { ReportEntity } from './report.entity';

/**
 * A KPI figure of a READY, APPROVED or SENT report that later values changed beyond the threshold
 * (relative for volumes, points for rates) or whose status flipped: what it was, what it is, and
 * the import or sync (its metric_imports row) that changed it.
 */
@Entity({ name: 'report_restatements' })
@Index('report_restatements_agency_id_report_id_detected_at_idx', ['agencyId', 'reportId', 'detectedAt', 'id'])
@ForeignKey(() => ReportEntity, ['agencyId', 'reportId'], ['agencyId', 'id'], { name: 'report_restatements_report_fkey', onDelete: 'CASCADE' })
@ForeignKey(() => MetricImportEntity, ['agencyId', 'importId'], ['agencyId', 'id'], { name: 'report_restatements_import_fkey' })
export class ReportRestatementEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'report_restatements_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'report_restatements_pkey' })
  id!: string;

  @Column('uuid', { name: 'report_id' })
  reportId!: string;

  @Column('uuid', { name: 'client_id' })
  clientId!: string;

  @Column('text', { name: 'kpi_key' })
  kpiKey!: string;

  /** The value as the report froze it (null: none). */
  @Column('numeric', { name: 'old_value', nullable: true })
  oldValue!: string | null;

  @Column('numeric', { name: 'new_value', nullable: true })
  newValue!: string | null;

  @Column('text', { name: 'old_status', nullable: true })
  oldStatus!: string | null;

  @Column('text', { name: 'new_status', nullable: true })
  newStatus!: string | null;

  @Column('uuid', { name: 'import_id', nullable: true })
  importId!: string | null;

  @Column({ type: 'timestamptz', name: 'detected_at', precision: 3, default: () => 'now()' })
  detectedAt!: Date;
}
