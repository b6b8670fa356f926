import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ClientEntity } from './client.entity';
import { ReportBatchEntity } from './report-batch.entity';

export const REPORT_KINDS = ['MONTHLY', 'WEEKLY'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/**
 * QUEUED → RENDERING → READY | FAILED; READY → APPROVED → SENT. FAILED (and a RENDERING claim
 * gone stale) goes back to RENDERING on a retry. Every change is audited.
 */
export const REPORT_STATUSES = ['QUEUED', 'RENDERING', 'READY', 'FAILED', 'APPROVED', 'SENT'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/**
 * One version of a client's report for one period. The snapshot (a `ReportSnapshot` of
 * @pilotage/reporting, kept as opaque JSON here so that the database library does not depend
 * on the reporting one) is frozen at the first render: re-rendering a version gives the same
 * figures whatever was imported since.
 */
@Entity({ name: 'reports' })
@Index('reports_agency_id_client_id_kind_period_start_version_key', ['agencyId', 'clientId', 'kind', 'periodStart', 'version'], { unique: true })
@Index('reports_agency_id_client_id_created_at_idx', ['agencyId', 'clientId', 'createdAt', 'id'])
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'reports_client_fkey', onDelete: 'CASCADE' })
// Added by the job queue's migration (1795380000000), with the report_batches table.
@ForeignKey(() => ReportBatchEntity, ['agencyId', 'batchId'], ['agencyId', 'id'], { name: 'reports_batch_fkey' })
export class ReportEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'reports_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'reports_pkey' })
  id!: string;

  @Column('uuid', { name: 'client_id' })
  clientId!: string;

  @Column('text')
  kind!: ReportKind;

  /** First day of the period (YYYY-MM-DD, client time zone). */
  @Column('date', { name: 'period_start' })
  periodStart!: string;

  /** Last day of the period, included. */
  @Column('date', { name: 'period_end' })
  periodEnd!: string;

  /** 1, 2, … per client × kind × period. */
  @Column('integer')
  version!: number;

  @Column('text')
  status!: ReportStatus;

  /** The generation batch that requested it, if any. */
  @Column('uuid', { name: 'batch_id', nullable: true })
  batchId!: string | null;

  /** A ReportSnapshot (JSON); the reporting code checks its `schemaVersion` before use. */
  @Column('jsonb', { nullable: true })
  snapshot!: object | null;

  @Column('text', { name: 'storage_key', nullable: true })
  storageKey!: string | null;

  /** Lower-case hex SHA-256 of the stored PDF. */
  @Column('text', { nullable: true })
  checksum!: string | null;

  @Column('integer', { name: 'byte_size', nullable: true })
  byteSize!: number | null;

  @Column('integer', { name: 'page_count', nullable: true })
  pageCount!: number | null;

  /** Renders started, including retries. */
  @Column('integer', { default: 0 })
  attempts!: number;

  /** FAILED with a retry to come: the job queue will render it again (set by the worker from the job's retry count). */
  @Column('boolean', { name: 'retry_pending', default: false })
  retryPending!: boolean;

  /** Why the last render failed. */
  @Column('text', { nullable: true })
  error!: string | null;

  /** The project manager's analysis (plain text, light formatting, always escaped). */
  @Column('text', { nullable: true })
  commentary!: string | null;

  /** Per-KPI commentary, keyed by KPI key. */
  @Column('jsonb', { name: 'kpi_commentary', default: () => "'{}'" })
  kpiCommentary!: Record<string, string>;

  /** The edited narrative paragraphs; null to draft them from the numbers. */
  @Column('jsonb', { nullable: true })
  narrative!: string[] | null;

  /** Why a scheduled report was generated before its data was complete (shown in it); null: it was complete. */
  @Column('text', { name: 'readiness_warning', nullable: true })
  readinessWarning!: string | null;

  @Column('uuid', { name: 'requested_by', nullable: true })
  requestedBy!: string | null;

  @Column('uuid', { name: 'approved_by', nullable: true })
  approvedBy!: string | null;

  @Column({ type: 'timestamptz', name: 'approved_at', precision: 3, nullable: true })
  approvedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'rendered_at', precision: 3, nullable: true })
  renderedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'sent_at', precision: 3, nullable: true })
  sentAt!: Date | null;

  /** Millisecond precision, like JavaScript dates, so keyset cursors round-trip exactly. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
