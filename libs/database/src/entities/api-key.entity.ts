import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from './agency.entity';

/**
 * What a key may do. METRICS_WRITE: record values (GraphQL `recordMetricValues`, the CSV import
 * endpoint). ANALYTICS_READ: the analytics queries and the client list they need.
 */
export const API_KEY_SCOPES = ['METRICS_WRITE', 'ANALYTICS_READ'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * An agency's key for machines (an ETL, n8n, a script). Only the SHA-256 of its secret is kept;
 * `publicId` is the short random part printed in the key, to find a leaked key. Revoked, never
 * deleted: the audit log and the imports keep pointing at it.
 */
@Entity({ name: 'api_keys' })
@Index('api_keys_public_id_key', ['publicId'], { unique: true })
@Index('api_keys_agency_id_created_at_idx', ['agencyId', 'createdAt', 'id'])
export class ApiKeyEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'api_keys_pkey' })
  @ForeignKey(() => AgencyEntity, { name: 'api_keys_agency_id_fkey', onDelete: 'CASCADE' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'api_keys_pkey' })
  id!: string;

  @Column('text', { name: 'public_id' })
  publicId!: string;

  @Column('text')
  name!: string;

  /** Hex SHA-256 of the secret part of the key. */
  @Column('text', { name: 'secret_hash' })
  secretHash!: string;

  @Column('text', { array: true })
  scopes!: ApiKeyScope[];

  /** Null: every client of the agency; else only these. */
  @Column('uuid', { name: 'client_ids', array: true, nullable: true })
  clientIds!: string[] | null;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'expires_at', precision: 3, nullable: true })
  expiresAt!: Date | null;

  /** Recorded at most once a minute per key (see ApiKeyAuthenticator). */
  @Column({ type: 'timestamptz', name: 'last_used_at', precision: 3, nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'revoked_at', precision: 3, nullable: true })
  revokedAt!: Date | null;
}
