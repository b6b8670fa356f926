import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { BusinessModel, FormattingLocale, Locale } from '@pilotage/kpi';
import { AgencyEntity } from './agency.entity';

/** A client of an agency: the company whose marketing the agency reports on. */
export const REPORT_DELIVERY_MODES = ['REVIEW', 'AUTOMATIC'] as const;
export type ReportDeliveryMode = (typeof REPORT_DELIVERY_MODES)[number];

@Entity({ name: 'clients' })
@Check('clients_report_delivery_mode_check', `"report_delivery_mode" IN ('REVIEW', 'AUTOMATIC')`)
@Index('clients_agency_id_created_at_idx', ['agencyId', 'createdAt', 'id'])
export class ClientEntity {
  @PrimaryColumn('uuid', { name: 'agency_id' })
  @ForeignKey(() => AgencyEntity, { onDelete: 'CASCADE' })
  agencyId!: string;

  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'business_model' })
  businessModel!: BusinessModel;

  @Column('text')
  locale!: Locale;

  /** How reports write numbers, money and dates; null: the language's default (fr-FR, en-GB). */
  @Column('text', { name: 'formatting_locale', nullable: true })
  formattingLocale!: FormattingLocale | null;

  @Column('text')
  currency!: string;

  @Column('text', { name: 'time_zone' })
  timeZone!: string;

  @Column('text', { name: 'report_recipients', array: true, default: () => "'{}'" })
  reportRecipients!: string[];

  /** Co-brand logo shown on the report cover, as a data URI. */
  @Column('text', { name: 'logo_data_uri', nullable: true })
  logoDataUri!: string | null;

  /** Client-level override of the agency's primary colour. */
  @Column('text', { name: 'primary_color', nullable: true })
  primaryColor!: string | null;

  /** Whether the hourly schedule generates the client's WEEKLY report every Monday (opt-in). */
  @Column('boolean', { name: 'weekly_report_enabled', default: false })
  weeklyReportEnabled!: boolean;

  /** The agency user who manages this client: their daily alert digest covers it. Null: the owners'. */
  @Column('uuid', { name: 'project_manager_id', nullable: true })
  projectManagerId!: string | null;

  /** REVIEW: a READY report waits for a PM's approval. AUTOMATIC: approved and sent once ready. */
  @Column('text', { name: 'report_delivery_mode', default: 'REVIEW' })
  reportDeliveryMode!: ReportDeliveryMode;

  /** Whether the client's viewers see its alerts. */
  @Column('boolean', { name: 'viewer_alerts_visible', default: false })
  viewerAlertsVisible!: boolean;

  @Column('timestamptz', { name: 'archived_at', nullable: true })
  archivedAt!: Date | null;

  /** Millisecond precision, like JavaScript dates, so keyset cursors round-trip exactly. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
