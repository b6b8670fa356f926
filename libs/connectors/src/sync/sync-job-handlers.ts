import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobWithMetadata } from 'pg-boss';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { isUuid, listAgencyIds, listSyncableConnections, runWithTenant, systemContext, TenantDatabase } from '@pilotage/database';
import { ProviderRegistry } from '../providers/provider-registry';
import { dueDailySync } from './daily-sync-schedule';
import { queueSyncRun, SYNC_JOB_OPTIONS, SYNC_QUEUE, SYNC_SCHEDULE_QUEUE, SyncJobQueue, type SyncJob } from './sync-job-queue';
import { SyncRunner, type SyncAttemptResult } from './sync-runner';

/** Options of the worker's sync handlers, set by the process that runs them. */
export interface SyncJobHandlerOptions {
  /** Sync jobs this process runs at once (each mostly waits on a platform). */
  readonly concurrency: number;
  /** Whether this process registers the hourly cron (one cron row per database whatever the count of workers). */
  readonly schedule: boolean;
  /** How often an idle worker polls for jobs, in seconds (pg-boss minimum 0.5). */
  readonly pollingIntervalSeconds?: number;
}

export const SYNC_JOB_HANDLER_OPTIONS = Symbol('SYNC_JOB_HANDLER_OPTIONS');

/** Minute 17 of every hour, UTC (away from the reports' minute 7): the due rule reads each client's time zone. */
export const SYNC_SCHEDULE_CRON = '17 * * * *';

/** A live worker refreshes a running sync's heartbeat this often; SYNC_JOB_OPTIONS.heartbeatSeconds declares it dead. */
export const SYNC_HEARTBEAT_REFRESH_SECONDS = Math.floor((SYNC_JOB_OPTIONS.heartbeatSeconds ?? 60) / 3);

function isSyncJob(data: unknown): data is SyncJob {
  if (typeof data !== 'object' || data === null || !('agencyId' in data) || !('runId' in data)) return false;
  const { agencyId, runId } = data;
  return typeof agencyId === 'string' && isUuid(agencyId) && typeof runId === 'string' && isUuid(runId);
}

/**
 * The worker's side of the sync queue: runs sync jobs and the hourly tick that queues each
 * connection's daily sync. Both can run twice without harm: a finished run is skipped, a run
 * resumes at its first chunk not committed, and the tick skips connections already synced
 * through yesterday (while one of a connection's runs is queued or running, the exclusive
 * queue's singleton key makes another send a no-op).
 */
@Injectable()
export class SyncJobHandlers implements OnApplicationBootstrap {
  private readonly logger = new Logger(SyncJobHandlers.name);

  constructor(
    private readonly queue: SyncJobQueue,
    private readonly runner: SyncRunner,
    private readonly db: TenantDatabase,
    private readonly providers: ProviderRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SYNC_JOB_HANDLER_OPTIONS) private readonly options: SyncJobHandlerOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const boss = await this.queue.worker();
    const pollingIntervalSeconds = this.options.pollingIntervalSeconds ?? 2;
    await boss.work<
      unknown,
      SyncAttemptResult,
      { pollingIntervalSeconds: number; localConcurrency: number; includeMetadata: true; heartbeatRefreshSeconds: number }
    >(
      SYNC_QUEUE,
      // With its metadata, a job tells whether the queue will retry it (retryCount < retryLimit).
      {
        pollingIntervalSeconds,
        localConcurrency: Math.max(1, this.options.concurrency),
        includeMetadata: true,
        heartbeatRefreshSeconds: SYNC_HEARTBEAT_REFRESH_SECONDS,
      },
      ([job]) => this.sync(job),
    );
    await boss.work<unknown>(SYNC_SCHEDULE_QUEUE, { pollingIntervalSeconds }, () => this.scheduleTick());
    if (this.options.schedule) await boss.schedule(SYNC_SCHEDULE_QUEUE, SYNC_SCHEDULE_CRON, null, { tz: 'UTC' });
  }

  /** Throws on a transient failure before the last attempt: pg-boss then retries with backoff. */
  async sync(job: JobWithMetadata<unknown> | undefined): Promise<SyncAttemptResult> {
    if (job === undefined) throw new Error(`${SYNC_QUEUE}: no job given`);
    if (!isSyncJob(job.data)) throw new Error(`Malformed ${SYNC_QUEUE} job ${job.id}: expected { agencyId, runId } uuids`);
    return this.runner.run(job.data, { lastAttempt: job.retryCount >= job.retryLimit });
  }

  async scheduleTick(): Promise<{ queued: number }> {
    const queued = await this.queueDailySyncs(new Date());
    if (queued > 0) this.logger.log(`Queued ${queued} daily sync(s)`);
    return { queued };
  }

  /** Queues the daily sync of every connection due at `now`, agency by agency; returns how many were queued. */
  async queueDailySyncs(now: Date): Promise<number> {
    const agencyIds = await this.db.runWithoutTenant((manager) => listAgencyIds(manager));
    let queued = 0;
    for (const agencyId of agencyIds) {
      try {
        queued += await this.queueDailySyncsOf(agencyId, now);
      } catch (error) {
        // One agency's failure does not stop the others' syncs.
        this.logger.error(`Daily syncs of agency ${agencyId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return queued;
  }

  /** One agency's part of the tick, under its system tenant. */
  queueDailySyncsOf(agencyId: string, now: Date): Promise<number> {
    return runWithTenant(systemContext(agencyId), () =>
      this.db.run(async (manager) => {
        let queued = 0;
        for (const connection of await listSyncableConnections(manager, agencyId)) {
          // A provider this process does not know (removed from the code) leaves its connections alone.
          const provider = this.providers.all().find((candidate) => candidate.provider === connection.provider);
          if (provider === undefined) continue;
          const window = dueDailySync(now, connection, provider, this.config.connectors.dailySyncHour);
          if (window === null) continue;
          if ((await queueSyncRun(manager, this.queue, connection, 'DAILY', window, provider.chunkDays)) !== null) queued += 1;
        }
        return queued;
      }),
    );
  }
}
