import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/** One signed-in device: created at login, kept alive by refresh, revoked to cut access at once. */
@Entity({ name: 'user_sessions' })
@Index('user_sessions_agency_id_user_id_idx', ['agencyId', 'userId'])
@ForeignKey(() => UserEntity, ['agencyId', 'userId'], ['agencyId', 'id'], { name: 'user_sessions_user_fkey', onDelete: 'CASCADE' })
export class UserSessionEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'user_sessions_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'user_sessions_pkey' })
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** As the browser announced itself at login (shown in the session list, never trusted). */
  @Column('text', { name: 'user_agent', nullable: true })
  userAgent!: string | null;

  @Column('text', { name: 'ip_address', nullable: true })
  ipAddress!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  /** Last login or refresh (access tokens are not tracked: they live minutes). */
  @Column({ type: 'timestamptz', name: 'last_used_at', precision: 3, default: () => 'now()' })
  lastUsedAt!: Date;

  /** After this the refresh token is refused: log in again. */
  @Column({ type: 'timestamptz', name: 'expires_at', precision: 3 })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', name: 'revoked_at', precision: 3, nullable: true })
  revokedAt!: Date | null;
}
