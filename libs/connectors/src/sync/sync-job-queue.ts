import { randomUUID } from 'node:crypto';
import type { SendOptions } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { type DataConnectionEntity, JobQueue, SyncRunEntity, type SyncRunKind } from '@pilotage/database';
import type { DayRange } from '../provider.types';
import { syncChunks } from './sync-window';

/** Runs one sync run (`sync_runs` row) of a connection. */
export const SYNC_QUEUE = 'connection.sync';
/** The hourly tick that queues the daily sync of every active connection whose day has come. */
export const SYNC_SCHEDULE_QUEUE = 'connection.schedule';

/** A sync job's payload: ids only; the handler reads the run and the connection under the tenant. */
export interface SyncJob {
  readonly agencyId: string;
  readonly runId: string;
}

/**
 * Retries of a sync job: a platform outage or a quota exhausted for the day is retried with
 * a growing wait (1 min doubling up to 1 h, 6 attempts). A Retry-After up to a minute is waited
 * out by the HTTP client itself (ProviderHttp); a longer one fails the attempt, and the job's
 * backoff (at least a minute, then longer) is the wait: re-sending it with `startAfter` is not
 * possible while its own job holds the connection's singleton key. Each retry resumes at the
 * first chunk not committed. A run that hangs is expired after 30 minutes (a 25-month backfill
 * is minutes).
 */
export const SYNC_JOB_OPTIONS: Readonly<SendOptions> = {
  retryLimit: 5,
  retryDelay: 60,
  retryBackoff: true,
  retryDelayMax: 3600,
  expireInSeconds: 1800,
  heartbeatSeconds: 60,
};

/** The sync queue (see {@link JobQueue} for the roles: the API sends, the worker runs). */
export class SyncJobQueue extends JobQueue {}

/**
 * Records a QUEUED run of `connection` over `window` and sends its job, both on `manager`'s
 * transaction (the run exists if and only if its job does). The connection id is the job's
 * singleton key on an `exclusive` queue: while one of its runs is queued or running another
 * send is a no-op, and then no run is recorded either (null).
 */
export async function queueSyncRun(
  manager: EntityManager,
  queue: SyncJobQueue,
  connection: Pick<DataConnectionEntity, 'agencyId' | 'id' | 'clientId'>,
  kind: SyncRunKind,
  window: DayRange,
  chunkDays: number,
  options: { readonly startAfter?: Date } = {},
): Promise<SyncRunEntity | null> {
  const run = manager.create(SyncRunEntity, {
    agencyId: connection.agencyId,
    id: randomUUID(),
    connectionId: connection.id,
    clientId: connection.clientId,
    kind,
    status: 'QUEUED',
    windowStart: window.from,
    windowEnd: window.to,
    chunksTotal: syncChunks(window, chunkDays).length,
  });
  await manager.save(run);
  const job: SyncJob = { agencyId: connection.agencyId, runId: run.id };
  const jobId = await queue.send(manager, SYNC_QUEUE, job, { ...SYNC_JOB_OPTIONS, singletonKey: connection.id, startAfter: options.startAfter });
  if (jobId === null) {
    await manager.delete(SyncRunEntity, { agencyId: run.agencyId, id: run.id });
    return null;
  }
  return run;
}
