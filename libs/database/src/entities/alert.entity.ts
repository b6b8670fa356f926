import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ClientEntity } from './client.entity';

/**
 * STATUS: a KPI of the active plan went at risk or off track with pacing. NO_DATA: no value for
 * days where values were coming (missing, not zero). ANOMALY: a day far outside the KPI's usual
 * values for that weekday (libs/kpi alert rules).
 */
export const ALERT_RULES = ['STATUS', 'NO_DATA', 'ANOMALY'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const ALERT_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_SEVERITIES = ['WARNING', 'CRITICAL'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

const quoted = (values: readonly string[]): string => values.map((value) => `'${value}'`).join(', ');

/** An alert of a client: one per rule × KPI × period (`dedupKey`), whatever how often it is evaluated. */
@Entity({ name: 'alerts' })
@Check('alerts_rule_check', `"rule" IN (${quoted(ALERT_RULES)})`)
@Check('alerts_status_check', `"status" IN (${quoted(ALERT_STATUSES)})`)
@Check('alerts_severity_check', `"severity" IN (${quoted(ALERT_SEVERITIES)})`)
@Index('alerts_dedup_key', ['agencyId', 'clientId', 'dedupKey'], { unique: true })
@Index('alerts_agency_id_opened_at_idx', ['agencyId', 'openedAt', 'id'])
@Index('alerts_agency_id_client_id_status_idx', ['agencyId', 'clientId', 'status'])
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'alerts_client_fkey', onDelete: 'CASCADE' })
export class AlertEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'alerts_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'alerts_pkey' })
  id!: string;

  @Column('uuid', { name: 'client_id' })
  clientId!: string;

  @Column('text')
  rule!: AlertRule;

  @Column('text', { name: 'kpi_key' })
  kpiKey!: string;

  /** The period the alert is about: `2026-12` (STATUS), the first day without data (NO_DATA), the day (ANOMALY). */
  @Column('text', { name: 'period_key' })
  periodKey!: string;

  /** `rule:kpiKey:periodKey`, unique per client. */
  @Column('text', { name: 'dedup_key' })
  dedupKey!: string;

  @Column('text')
  status!: AlertStatus;

  @Column('text')
  severity!: AlertSeverity;

  /** In the client's language, with the numbers. */
  @Column('text')
  message!: string;

  /** The numbers that triggered it (value, target, expected, median, MAD, score, last day with data...). */
  @Column('jsonb')
  details!: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'opened_at', precision: 3, default: () => 'now()' })
  openedAt!: Date;

  @Column({ type: 'timestamptz', name: 'acknowledged_at', precision: 3, nullable: true })
  acknowledgedAt!: Date | null;

  @Column('uuid', { name: 'acknowledged_by', nullable: true })
  acknowledgedBy!: string | null;

  @Column({ type: 'timestamptz', name: 'resolved_at', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  /** Null with a resolvedAt: resolved by an evaluation (the KPI recovered). */
  @Column('uuid', { name: 'resolved_by', nullable: true })
  resolvedBy!: string | null;

  @Column({ type: 'timestamptz', name: 'last_evaluated_at', precision: 3, default: () => 'now()' })
  lastEvaluatedAt!: Date;
}
