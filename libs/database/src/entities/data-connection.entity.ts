import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ClientEntity } from './client.entity';

/** The platforms a client's account can be connected to. */
export const DATA_PROVIDERS = ['GA4', 'GOOGLE_ADS', 'META_ADS', 'SEARCH_CONSOLE'] as const;
export type DataProvider = (typeof DATA_PROVIDERS)[number];

/**
 * PENDING: created, waiting for the account owner's consent. ACTIVE: syncing.
 * NEEDS_REAUTHORIZATION: the platform refused the tokens (revoked, expired, password changed):
 * someone must open a new connect link. FAILING: the last sync failed for another reason (the
 * platform's outage, a quota): retried on schedule. REVOKED: disconnected by the agency; its
 * values stay, its tokens are gone.
 */
export const DATA_CONNECTION_STATUSES = ['PENDING', 'ACTIVE', 'NEEDS_REAUTHORIZATION', 'FAILING', 'REVOKED'] as const;
export type DataConnectionStatus = (typeof DATA_CONNECTION_STATUSES)[number];

/**
 * A client's connection to one platform account. Tokens are stored only encrypted
 * (`tokenCiphertext`, AES-256-GCM under the key `tokenKeyId`; see libs/connectors TokenCipher).
 */
const quoted = (values: readonly string[]): string => values.map((value) => `'${value}'`).join(', ');

@Entity({ name: 'data_connections' })
@Check('data_connections_provider_check', `"provider" IN (${quoted(DATA_PROVIDERS)})`)
@Check('data_connections_status_check', `"status" IN (${quoted(DATA_CONNECTION_STATUSES)})`)
@Check('data_connections_token_check', `("token_ciphertext" IS NULL) = ("token_key_id" IS NULL)`)
@Index('data_connections_live_source_key', ['agencyId', 'clientId', 'source'], { unique: true, where: 'revoked_at IS NULL' })
@Index('data_connections_agency_id_client_id_created_at_idx', ['agencyId', 'clientId', 'createdAt', 'id'])
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'data_connections_client_fkey', onDelete: 'CASCADE' })
export class DataConnectionEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'data_connections_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'data_connections_pkey' })
  id!: string;

  @Column('uuid', { name: 'client_id' })
  clientId!: string;

  @Column('text')
  provider!: DataProvider;

  /** The platform's id of the account: `123456789` (GA4 property), `1234567890` (Google Ads customer), `act_123` (Meta), `sc-domain:example.com` (Search Console). */
  @Column('text', { name: 'account_id' })
  accountId!: string;

  @Column('text', { name: 'account_name', nullable: true })
  accountName!: string | null;

  /** The `metric_values.source` of its values ("GA4 123456789"). */
  @Column('text')
  source!: string;

  @Column('text')
  status!: DataConnectionStatus;

  /** Why the connection is not ACTIVE, in words for the agency (never a token, never a raw response body). */
  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('bytea', { name: 'token_ciphertext', nullable: true })
  tokenCiphertext!: Buffer | null;

  @Column('text', { name: 'token_key_id', nullable: true })
  tokenKeyId!: string | null;

  /** When the access token expires (refreshed a few minutes before). */
  @Column({ type: 'timestamptz', name: 'token_expires_at', precision: 3, nullable: true })
  tokenExpiresAt!: Date | null;

  @Column('text', { array: true, default: () => "'{}'" })
  scopes!: string[];

  /** First day of the history pulled (the backfill's start). */
  @Column('date', { name: 'backfill_from', nullable: true })
  backfillFrom!: string | null;

  /** Last day the platform's figures were pulled for (inclusive). */
  @Column('date', { name: 'data_through', nullable: true })
  dataThrough!: string | null;

  @Column({ type: 'timestamptz', name: 'last_synced_at', precision: 3, nullable: true })
  lastSyncedAt!: Date | null;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', name: 'revoked_at', precision: 3, nullable: true })
  revokedAt!: Date | null;
}
