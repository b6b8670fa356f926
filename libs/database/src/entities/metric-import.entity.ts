import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { ClientEntity } from './client.entity';
import { DataConnectionEntity } from './data-connection.entity';

/** API: a recordMetricValues call. CSV: a file. SYNC: a chunk of a data connection's sync. */
export const METRIC_IMPORT_KINDS = ['API', 'CSV', 'SYNC'] as const;
export type MetricImportKind = (typeof METRIC_IMPORT_KINDS)[number];

/** COMMITTED: the values were written. REJECTED: the file had errors and nothing was written. */
export const METRIC_IMPORT_STATUSES = ['COMMITTED', 'REJECTED'] as const;
export type MetricImportStatus = (typeof METRIC_IMPORT_STATUSES)[number];

/** What an import's `errors` column keeps: the count and the first errors, located. */
export interface MetricImportErrorSummary {
  readonly count: number;
  readonly truncated: boolean;
  readonly first: readonly { readonly line: number; readonly column: string; readonly code: string; readonly message: string }[];
}

/**
 * One batch of metric values (a GraphQL call or a CSV file): who sent it, when, and what it
 * changed. A rejected file is kept too (with its errors) so the agency sees the attempt.
 */
@Entity({ name: 'metric_imports' })
@Index('metric_imports_agency_id_client_id_created_at_idx', ['agencyId', 'clientId', 'createdAt', 'id'])
@ForeignKey(() => ClientEntity, ['agencyId', 'clientId'], ['agencyId', 'id'], { name: 'metric_imports_client_fkey', onDelete: 'CASCADE' })
@ForeignKey(() => ApiKeyEntity, ['agencyId', 'apiKeyId'], ['agencyId', 'id'], { name: 'metric_imports_api_key_fkey' })
@ForeignKey(() => DataConnectionEntity, ['agencyId', 'connectionId'], ['agencyId', 'id'], { name: 'metric_imports_connection_fkey' })
export class MetricImportEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'metric_imports_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'metric_imports_pkey' })
  id!: string;

  @Column('uuid', { name: 'client_id' })
  clientId!: string;

  @Column('text')
  kind!: MetricImportKind;

  @Column('text', { name: 'file_name', nullable: true })
  fileName!: string | null;

  @Column('text')
  status!: MetricImportStatus;

  /** Valid values read. */
  @Column('integer')
  rows!: number;

  @Column('integer')
  inserted!: number;

  @Column('integer')
  updated!: number;

  @Column('integer')
  unchanged!: number;

  /** Always written (count 0 for a clean import). */
  @Column('jsonb')
  errors!: MetricImportErrorSummary;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  /** The API key that sent the batch (then `createdBy` is null). */
  @Column('uuid', { name: 'api_key_id', nullable: true })
  apiKeyId!: string | null;

  /** The data connection whose sync wrote the batch (kind SYNC). */
  @Column('uuid', { name: 'connection_id', nullable: true })
  connectionId!: string | null;

  /** Millisecond precision, like JavaScript dates, so keyset cursors round-trip exactly. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
