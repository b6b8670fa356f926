import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { ClientEntity } from './client.entity';

/** LOW: fewer alerts (wider anomaly bands, later no-data), HIGH: more. */
export const ALERT_SENSITIVITIES = ['LOW', 'NORMAL', 'HIGH'] as const;
export type AlertSensitivity = (typeof ALERT_SENSITIVITIES)[number];

/** A client's alert setting: for the whole client (`kpiKey` '') or one KPI (which wins). */
@Entity({ name: 'alert_settings' })
@Check('alert_settings_sensitivity_check', `"sensitivity" IN (${ALERT_SENSITIVITIES.map((value) => `'${value}'`).join(', ')})`)
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'alert_settings_client_fkey', onDelete: 'CASCADE' })
export class AlertSettingEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'alert_settings_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { name: 'client_id', primaryKeyConstraintName: 'alert_settings_pkey' })
  clientId!: string;

  /** '' for the client's default. */
  @PrimaryColumn('text', { name: 'kpi_key', primaryKeyConstraintName: 'alert_settings_pkey' })
  kpiKey!: string;

  @Column('boolean', { default: false })
  muted!: boolean;

  @Column('text', { default: 'NORMAL' })
  sensitivity!: AlertSensitivity;

  @Column('uuid', { name: 'updated_by', nullable: true })
  updatedBy!: string | null;

  @Column({ type: 'timestamptz', name: 'updated_at', precision: 3, default: () => 'now()' })
  updatedAt!: Date;
}
