import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ReportEntity } from './report.entity';

/** SENT: the server accepted at least one recipient. FAILED: nothing was delivered. */
export const REPORT_DELIVERY_STATUSES = ['SENT', 'FAILED'] as const;
export type ReportDeliveryStatus = (typeof REPORT_DELIVERY_STATUSES)[number];

/** One attempt to e-mail a report to its client's recipients, successful or not. */
@Entity({ name: 'report_deliveries' })
@Index('report_deliveries_agency_id_report_id_created_at_idx', ['agencyId', 'reportId', 'createdAt'])
@ForeignKey(() => ReportEntity, ['agencyId', 'reportId'], ['agencyId', 'id'], { name: 'report_deliveries_report_fkey', onDelete: 'CASCADE' })
export class ReportDeliveryEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'report_deliveries_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'report_deliveries_pkey' })
  id!: string;

  @Column('uuid', { name: 'report_id' })
  reportId!: string;

  /** The addresses the message was sent to (for FAILED: the addresses it was meant for). */
  @Column('text', { array: true })
  recipients!: string[];

  /** The SMTP Message-ID, when the server accepted the message. */
  @Column('text', { name: 'message_id', nullable: true })
  messageId!: string | null;

  @Column('text')
  status!: ReportDeliveryStatus;

  @Column('text', { nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
