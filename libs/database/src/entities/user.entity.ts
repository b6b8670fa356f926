import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { AgencyEntity } from './agency.entity';
import { ClientEntity } from './client.entity';

export const USER_ROLES = ['OWNER', 'MANAGER', 'CLIENT_VIEWER'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * A person who signs in. E-mails are unique inside an agency; the same person may belong to
 * two agencies (a freelance project manager), so login may need the agency's slug.
 */
@Entity({ name: 'users' })
@Index('users_agency_id_email_key', ['agencyId', 'email'], { unique: true })
@Index('users_agency_id_invitation_token_hash_key', ['agencyId', 'invitationTokenHash'], { unique: true })
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { onDelete: 'CASCADE' })
export class UserEntity {
  @PrimaryColumn('uuid', { name: 'agency_id' })
  @ForeignKey(() => AgencyEntity, { onDelete: 'CASCADE' })
  agencyId!: string;

  @PrimaryColumn('uuid')
  id!: string;

  /** Stored lower-cased. */
  @Column('text')
  email!: string;

  @Column('text', { name: 'display_name' })
  displayName!: string;

  /** argon2id hash; null while an invitation is pending. */
  @Column('text', { name: 'password_hash', nullable: true })
  passwordHash!: string | null;

  @Column('text')
  role!: UserRole;

  /** The only client a CLIENT_VIEWER may see; null for agency staff. */
  @Column('uuid', { name: 'client_id', nullable: true })
  clientId!: string | null;

  /** SHA-256 of the invitation token (the token itself is only ever in the e-mail). */
  @Column('text', { name: 'invitation_token_hash', nullable: true })
  invitationTokenHash!: string | null;

  @Column('timestamptz', { name: 'invitation_expires_at', nullable: true })
  invitationExpiresAt!: Date | null;

  /** When the owner of `email` proved it (followed the e-mailed link, or accepted an invitation); null: cannot log in. */
  @Column('timestamptz', { name: 'email_verified_at', nullable: true })
  emailVerifiedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
