import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { WebhookEndpointEntity, type WebhookEventType } from './webhook-endpoint.entity';

export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event sent (or being sent) to one endpoint, with its attempts: the delivery log. */
@Entity({ name: 'webhook_deliveries' })
@Check('webhook_deliveries_status_check', `"status" IN (${WEBHOOK_DELIVERY_STATUSES.map((value) => `'${value}'`).join(', ')})`)
@Index('webhook_deliveries_agency_id_endpoint_id_created_at_idx', ['agencyId', 'endpointId', 'createdAt', 'id'])
@ForeignKey(() => WebhookEndpointEntity, ['agencyId', 'endpointId'], ['agencyId', 'id'], { name: 'webhook_deliveries_endpoint_fkey', onDelete: 'CASCADE' })
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  id!: string;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId!: string;

  /** The event's id (the same in every endpoint's delivery of it: receivers deduplicate on it). */
  @Column('uuid', { name: 'event_id' })
  eventId!: string;

  @Column('text', { name: 'event_type' })
  eventType!: WebhookEventType;

  /** The event's body as sent (JSON format) or as it will be formatted (Slack). Never a secret. */
  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column('text')
  status!: WebhookDeliveryStatus;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('integer', { name: 'last_status_code', nullable: true })
  lastStatusCode!: number | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', precision: 3, default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'last_attempt_at', precision: 3, nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'delivered_at', precision: 3, nullable: true })
  deliveredAt!: Date | null;
}
