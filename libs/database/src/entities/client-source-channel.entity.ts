import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { CHANNELS, type Channel } from '@pilotage/kpi';
import { ClientEntity } from './client.entity';

/**
 * A client's choice of channel for one source ("Google Ads 123-456-7890" → PAID_SEARCH): values
 * of that source sent without a channel of their own take it. Sources without a row fall back to
 * the defaults guessed from their name (see libs/ingestion).
 */
@Entity({ name: 'client_source_channels' })
@Check('client_source_channels_channel_check', `"channel" IN (${CHANNELS.map((channel) => `'${channel}'`).join(', ')})`)
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'client_source_channels_client_fkey', onDelete: 'CASCADE' })
export class ClientSourceChannelEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'client_source_channels_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { name: 'client_id', primaryKeyConstraintName: 'client_source_channels_pkey' })
  clientId!: string;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'client_source_channels_pkey' })
  source!: string;

  @Column('text')
  channel!: Channel;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
