import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { DataConnectionEntity } from './data-connection.entity';

/**
 * An OAuth 2.0 authorization code flow in progress for a connection: the connect link's `state`
 * (only its SHA-256) and PKCE verifier (encrypted like the tokens). Used once, short-lived.
 */
@Entity({ name: 'data_connection_authorizations' })
@Index('data_connection_authorizations_state_hash_key', ['agencyId', 'stateHash'], { unique: true })
@ForeignKey(() => DataConnectionEntity, ['agencyId', 'connectionId'], ['agencyId', 'id'], {
  name: 'data_connection_authorizations_connection_fkey',
  onDelete: 'CASCADE',
})
export class DataConnectionAuthorizationEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'data_connection_authorizations_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'data_connection_authorizations_pkey' })
  id!: string;

  @Column('uuid', { name: 'connection_id' })
  connectionId!: string;

  /** Hex SHA-256 of the random part of `state`. */
  @Column('text', { name: 'state_hash' })
  stateHash!: string;

  @Column('bytea', { name: 'verifier_ciphertext' })
  verifierCiphertext!: Buffer;

  @Column('text', { name: 'verifier_key_id' })
  verifierKeyId!: string;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'expires_at', precision: 3 })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', name: 'used_at', precision: 3, nullable: true })
  usedAt!: Date | null;
}
