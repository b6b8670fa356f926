import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from './agency.entity';
import { ApiKeyEntity } from './api-key.entity';

/** Who changed what, and when. Append-only. */
@Entity({ name: 'audit_log' })
@Index('audit_log_agency_id_entity_idx', ['agencyId', 'entityType', 'entityId', 'createdAt'])
@ForeignKey(() => ApiKeyEntity, ['agencyId', 'apiKeyId'], ['agencyId', 'id'], { name: 'audit_log_api_key_fkey' })
export class AuditLogEntryEntity {
  @PrimaryColumn('uuid', { name: 'agency_id' })
  @ForeignKey(() => AgencyEntity, { onDelete: 'CASCADE' })
  agencyId!: string;

  @PrimaryColumn('uuid')
  id!: string;

  /** Null for actions of the system (scheduled jobs, signup). */
  @Column('uuid', { name: 'actor_user_id', nullable: true })
  actorUserId!: string | null;

  /** The API key the change was made with (then `actorUserId` is null). */
  @Column('uuid', { name: 'api_key_id', nullable: true })
  apiKeyId!: string | null;

  @Column('text')
  action!: string;

  @Column('text', { name: 'entity_type' })
  entityType!: string;

  @Column('uuid', { name: 'entity_id' })
  entityId!: string;

  @Column('jsonb', { default: () => "'{}'" })
  data!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
