import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/** VERIFY_EMAIL: proves the address of a sign-up or a change of e-mail. RESET_PASSWORD: sets a new password. */
export const ACCOUNT_TOKEN_PURPOSES = ['VERIFY_EMAIL', 'RESET_PASSWORD'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/** A token e-mailed to a user; its id is the signed token's `jti`, so it can be used once. */
@Entity({ name: 'account_tokens' })
@Index('account_tokens_agency_id_user_id_idx', ['agencyId', 'userId'])
@ForeignKey(() => UserEntity, ['agencyId', 'userId'], ['agencyId', 'id'], { name: 'account_tokens_user_fkey', onDelete: 'CASCADE' })
export class AccountTokenEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'account_tokens_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'account_tokens_pkey' })
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  purpose!: AccountTokenPurpose;

  /** The address the token was sent to (for a change of e-mail: the new address). */
  @Column('text')
  email!: string;

  @Column({ type: 'timestamptz', name: 'expires_at', precision: 3 })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', name: 'used_at', precision: 3, nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
