import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { CHANNELS, type Channel } from '@pilotage/kpi';
import { ClientEntity } from './client.entity';

export const METRIC_GRANULARITIES = ['DAY', 'WEEK', 'MONTH'] as const;
export type MetricGranularity = (typeof METRIC_GRANULARITIES)[number];

/**
 * One value of one metric for one client, day (or week, month), source, channel and campaign, keyed on that natural
 * key so that a re-import replaces the value instead of counting it twice. `date` is the local
 * calendar date in the client's time zone; a weekly or monthly figure (many small agencies type
 * monthly figures by hand) sits on the period's first day (Monday, the 1st) and says so in
 * `granularity`. No surrogate id and no secondary index: the primary key serves both the upsert
 * and the per-client, per-metric date-range reads, and a million-row import pays for one index only.
 */
@Entity({ name: 'metric_values' })
@Check('metric_values_channel_check', `"channel" IN (${CHANNELS.map((channel) => `'${channel}'`).join(', ')})`)
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'metric_values_client_fkey', onDelete: 'CASCADE' })
export class MetricValueEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'metric_values_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { name: 'client_id', primaryKeyConstraintName: 'metric_values_pkey' })
  clientId!: string;

  /** A catalog metric key or one of the agency's custom metrics. */
  @PrimaryColumn('text', { name: 'metric_key', primaryKeyConstraintName: 'metric_values_pkey' })
  metricKey!: string;

  /** `YYYY-MM-DD` (pg returns `date` as a string: no time zone shift). */
  @PrimaryColumn('date', { primaryKeyConstraintName: 'metric_values_pkey' })
  date!: string;

  /** Where the figure comes from ("Google Analytics 4", "manual"), so two tools never overwrite each other. */
  @PrimaryColumn('text', { primaryKeyConstraintName: 'metric_values_pkey' })
  source!: string;

  /** The channel the figure was earned through (CHANNELS of libs/kpi; OTHER when nothing says). */
  @PrimaryColumn('text', { primaryKeyConstraintName: 'metric_values_pkey', default: 'OTHER' })
  channel!: Channel;

  /** The campaign the figure belongs to; '' when it belongs to none (a key column cannot be null). */
  @PrimaryColumn('text', { primaryKeyConstraintName: 'metric_values_pkey', default: '' })
  campaign!: string;

  @Column('text')
  granularity!: MetricGranularity;

  /** Exact decimal, 4 decimals (money exact to the cent); pg returns it as a string, never a float. */
  @Column('numeric', { precision: 20, scale: 4 })
  value!: string;

  /** The metric_imports batch that last wrote the value. */
  @Column('uuid', { name: 'import_batch_id' })
  importBatchId!: string;

  /** Null when the system wrote it (a scheduled connector). */
  @Column('uuid', { name: 'entered_by', nullable: true })
  enteredBy!: string | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
