import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import type { Channel } from '@pilotage/kpi';
import { ClientEntity } from './client.entity';

/**
 * Monthly roll-up of `metric_values`, one row per client, metric, calendar month (the
 * client's local dates), channel, source and campaign, rebuilt for the months an import touches, in the import's own
 * transaction (see `metricMonthlyRefreshSql`). Month, quarter and year figures — scorecards,
 * funnels, the report's 13-month series — read ~600 of these rows instead of ~17,000 daily
 * values. It holds the same three aggregates the daily query computes, so both paths give the
 * same numbers: the sum (flows), the value at the latest dated day (stocks) and the days covered.
 */
@Entity({ name: 'metric_monthly' })
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'metric_monthly_client_fkey', onDelete: 'CASCADE' })
export class MetricMonthlyEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'metric_monthly_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { name: 'client_id', primaryKeyConstraintName: 'metric_monthly_pkey' })
  clientId!: string;

  @PrimaryColumn('text', { name: 'metric_key', primaryKeyConstraintName: 'metric_monthly_pkey' })
  metricKey!: string;

  /** First day of the month, `YYYY-MM-01`. */
  @PrimaryColumn('date', { primaryKeyConstraintName: 'metric_monthly_pkey' })
  month!: string;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'metric_monthly_pkey' })
  channel!: Channel;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'metric_monthly_pkey' })
  source!: string;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'metric_monthly_pkey' })
  campaign!: string;

  /** Sum of the group's values of the month (exact decimal). */
  @Column('numeric', { name: 'sum_value' })
  sumValue!: string;

  /** Latest date of the month that has a value. */
  @Column('date', { name: 'last_date' })
  lastDate!: string;

  /** The group's value at `last_date` (a stock's month-end value). */
  @Column('numeric', { name: 'last_value' })
  lastValue!: string;

  /**
   * Days of the month the values cover, as bits (bit 0 = the 1st): a daily value its day, a
   * weekly one its seven days (within the month), a monthly one every day. A bigint: pg returns it as a string.
   */
  @Column('bigint', { name: 'day_mask' })
  dayMask!: string;
}
