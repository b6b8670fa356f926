import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ClientEntity } from './client.entity';

/**
 * A saved mapping as stored: which column of an export holds the date, campaign, channel and
 * which metric each other column feeds. Checked by libs/ingestion (checkColumnMapping) before it
 * is saved and again before it is applied. TODO(merge): type `channel` with @pilotage/kpi's Channel.
 */
export interface StoredColumnMapping {
  readonly dateColumn: string;
  readonly dateFormat: string;
  readonly campaignColumn: string | null;
  readonly channel: string;
  readonly channelColumn: string | null;
  readonly channelValues: readonly { readonly value: string; readonly channel: string }[];
  readonly source: string;
  readonly metrics: readonly { readonly column: string; readonly metricKey: string }[];
}

/** A client's saved column mapping, for export files no preset recognises. */
@Entity({ name: 'client_column_mappings' })
@Index('client_column_mappings_agency_id_client_id_name_key', ['agencyId', 'clientId', 'name'], { unique: true })
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'client_column_mappings_client_fkey', onDelete: 'CASCADE' })
export class ClientColumnMappingEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'client_column_mappings_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'client_column_mappings_pkey' })
  id!: string;

  @Column('uuid', { name: 'client_id' })
  clientId!: string;

  /** Unique per client: it is how people pick a mapping. */
  @Column('text')
  name!: string;

  @Column('jsonb')
  definition!: StoredColumnMapping;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
