import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { UserSessionEntity } from './user-session.entity';

/**
 * A refresh token a session was given, by SHA-256 (the token itself is only ever sent to the
 * client). Used once: a second use means a copy was stolen, and the session is revoked.
 */
@Entity({ name: 'refresh_tokens' })
@Index('refresh_tokens_agency_id_session_id_idx', ['agencyId', 'sessionId'])
@ForeignKey(() => UserSessionEntity, ['agencyId', 'sessionId'], ['agencyId', 'id'], { name: 'refresh_tokens_session_fkey', onDelete: 'CASCADE' })
export class RefreshTokenEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'refresh_tokens_pkey' })
  agencyId!: string;

  @PrimaryColumn('text', { name: 'token_hash', primaryKeyConstraintName: 'refresh_tokens_pkey' })
  tokenHash!: string;

  @Column('uuid', { name: 'session_id' })
  sessionId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'used_at', precision: 3, nullable: true })
  usedAt!: Date | null;
}
