import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { DataConnectionEntity } from './data-connection.entity';

/** BACKFILL: the history pulled when a connection is made. DAILY: the scheduled re-pull of the lookback window. MANUAL: asked for by a person. */
export const SYNC_RUN_KINDS = ['BACKFILL', 'DAILY', 'MANUAL'] as const;
export type SyncRunKind = (typeof SYNC_RUN_KINDS)[number];

export const SYNC_RUN_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];

/** One sync of a connection: its window of days, progress in chunks, what it wrote and how it ended. */
const quoted = (values: readonly string[]): string => values.map((value) => `'${value}'`).join(', ');

@Entity({ name: 'sync_runs' })
@Check('sync_runs_kind_check', `"kind" IN (${quoted(SYNC_RUN_KINDS)})`)
@Check('sync_runs_status_check', `"status" IN (${quoted(SYNC_RUN_STATUSES)})`)
@Check('sync_runs_window_check', `"window_start" <= "window_end"`)
@Index('sync_runs_agency_id_connection_id_queued_at_idx', ['agencyId', 'connectionId', 'queuedAt', 'id'])
@ForeignKey(() => DataConnectionEntity, ['agencyId', 'connectionId'], ['agencyId', 'id'], { name: 'sync_runs_connection_fkey', onDelete: 'CASCADE' })
export class SyncRunEntity {
  @PrimaryColumn('uuid', { name: 'agency_id', primaryKeyConstraintName: 'sync_runs_pkey' })
  agencyId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'sync_runs_pkey' })
  id!: string;

  @Column('uuid', { name: 'connection_id' })
  connectionId!: string;

  @Column('uuid', { name: 'client_id' })
  clientId!: string;

  @Column('text')
  kind!: SyncRunKind;

  @Column('text')
  status!: SyncRunStatus;

  @Column('date', { name: 'window_start' })
  windowStart!: string;

  @Column('date', { name: 'window_end' })
  windowEnd!: string;

  @Column('integer', { name: 'chunks_total' })
  chunksTotal!: number;

  @Column('integer', { name: 'chunks_done', default: 0 })
  chunksDone!: number;

  /** Values read from the platform. */
  @Column('integer', { default: 0 })
  rows!: number;

  @Column('integer', { default: 0 })
  inserted!: number;

  @Column('integer', { default: 0 })
  updated!: number;

  @Column('integer', { default: 0 })
  unchanged!: number;

  /** Values of the window the platform no longer reports (restated away), removed. */
  @Column('integer', { default: 0 })
  deleted!: number;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('text', { nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', name: 'queued_at', precision: 3, default: () => 'now()' })
  queuedAt!: Date;

  @Column({ type: 'timestamptz', name: 'started_at', precision: 3, nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'finished_at', precision: 3, nullable: true })
  finishedAt!: Date | null;
}
