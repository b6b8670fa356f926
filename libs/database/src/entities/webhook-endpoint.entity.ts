import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from './agency.entity';

/** JSON: our payload, HMAC-signed. SLACK: a Slack incoming webhook's `{ text, blocks }`. */
export const WEBHOOK_FORMATS = ['JSON', 'SLACK'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The events an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'alert.opened',
  'alert.resolved',
  'import.completed',
  'report.ready',
  'report.approved',
  'report.sent',
  'restatement.found',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** An agency's outbound endpoint. Its signing secret is kept encrypted (shown once, at creation). */
@Entity({ name: 'webhook_endpoints' })
@Check('webhook_endpoints_format_check', `"format" IN (${WEBHOOK_FORMATS.map((value) => `'${value}'`).join(', ')})`)
@Index('webhook_endpoints_agency_id_created_at_idx', ['agencyId', 'createdAt', 'id'])
export class WebhookEndpointEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'webhook_endpoints_pkey' })
  @ForeignKey(() => AgencyEntity, { name: 'webhook_endpoints_agency_id_fkey', onDelete: 'CASCADE' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'webhook_endpoints_pkey' })
  id!: string;

  @Column('text')
  url!: string;

  @Column('text')
  format!: WebhookFormat;

  @Column('text', { array: true })
  events!: WebhookEventType[];

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('bytea', { name: 'secret_ciphertext' })
  secretCiphertext!: Buffer;

  @Column('text', { name: 'secret_key_id' })
  secretKeyId!: string;

  @Column('boolean', { default: true })
  enabled!: boolean;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', precision: 3, default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', precision: 3, default: () => 'now()' })
  updatedAt!: Date;
}
